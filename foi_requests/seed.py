"""Load the register's starting facts: the UK police forces and what the five
source documents in data/sources evidence (data/seed.toml).

Everything is read and checked before anything is written: every quote must
appear in its source document, every reference must resolve, every value must
be a valid choice. Loading only adds what is missing, so running it twice
changes nothing and never overwrites a researcher's later edits.
"""

import csv
import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.partial_dates import PartialDate
from core.quotes import locate_quote
from register.models import (
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    FoiAct,
    Force,
    ForceKind,
    Nation,
    Origin,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    Supplier,
    Technique,
    Tool,
    ToolCategory,
)
from register.originals import read_original, store_seed_original

from .models import CategoryAsked, Exemption, FoiOutcome, FoiRequest
from .outcomes import request_outcome

DATA_DIR = Path(settings.BASE_DIR) / "data"
FORCES_CSV = DATA_DIR / "uk_police_forces.csv"
SEED_TOML = DATA_DIR / "seed.toml"

# The forces file writes the area a force covers; the register keeps the nation
# whose law and bank holidays apply.
NATIONS = {
    "England": Nation.ENGLAND,
    "Wales": Nation.WALES,
    "Scotland": Nation.SCOTLAND,
    "Northern Ireland": Nation.NORTHERN_IRELAND,
    "United Kingdom": Nation.UNITED_KINGDOM,
}
CHANGE_REASON = "Loaded from the seed data (data/seed.toml)"


class SeedError(Exception):
    """The seed files are not consistent; nothing has been written."""


def cites_rightly(quote: str, question: str) -> bool:
    """Whether the question a quote cites (its text and answer) holds it: all of it, or, for
    a quote whose ellipsis joins passages of several answers, one of them."""
    passages = [quote, *re.split(r"\s*(?:\.\.\.|…)\s*", quote)]
    return any(locate_quote(passage, question) is not None for passage in passages if passage.strip())


def nation_for(area: str) -> Nation:
    if area in NATIONS:
        return NATIONS[area]
    if area.startswith("Great Britain"):
        return Nation.GREAT_BRITAIN
    raise SeedError(f"unknown nation {area!r} in {FORCES_CSV.name}")


def public_values(model, entry: dict, *, apart: tuple[str, ...]) -> dict:
    """The values a seed entry gives for the record's public fields (`model.PUBLIC_FIELDS`;
    those it leaves out keep their defaults), but for those set `apart`: its look-up and
    the related records the loader finds itself."""
    return {key: entry[key] for key in model.PUBLIC_FIELDS if key in entry and key not in apart}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def summary(self) -> str:
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) or "nothing"
        kept = sum(self.existing.values())
        return f"Created {made}; {kept} records were already present and left unchanged."


class SeedLoader:
    def __init__(self, forces_csv: Path | None = None, seed_toml: Path | None = None):
        forces_csv, seed_toml = forces_csv or FORCES_CSV, seed_toml or SEED_TOML
        self.sources_dir = Path(settings.SOURCE_DOCUMENTS_DIR)
        self.forces = self._read_forces(forces_csv)
        try:
            self.seed = tomllib.loads(seed_toml.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SeedError(f"cannot read {seed_toml.name}: {error}") from error
        self.documents: dict[str, str] = {}
        self.outcomes: dict[str, str] = {}
        self.report = LoadReport()
        self.check()

    # Reading and checking -------------------------------------------------

    def _read_forces(self, path: Path) -> list[dict]:
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as error:
            raise SeedError(f"cannot read {path.name}: {error}") from error
        forces = []
        for line, row in enumerate(rows, start=2):
            if row.get("kind") not in ForceKind.values:
                raise SeedError(f"{path.name} line {line}: kind {row.get('kind')!r} is not territorial or special")
            forces.append(
                {
                    "slug": row["slug"],
                    "name": row["name"],
                    "nation": nation_for(row["nation"]),
                    "kind": row["kind"],
                    "website": row["website"],
                }
            )
        return forces

    def document(self, name: str) -> str:
        if name not in self.documents:
            path = self.sources_dir / name
            try:
                self.documents[name] = path.read_text(encoding="utf-8")
            except OSError as error:
                raise SeedError(f"source document {name} cannot be read: {error}") from error
        return self.documents[name]

    def excerpt(self, part: dict) -> str:
        text = self.document(part["document"])
        begin = text.find(part["after"]) if "after" in part else 0
        start = text.find(part["start"], max(begin, 0))
        if begin < 0 or start < 0:
            raise SeedError(f"{part['document']}: start marker {part['start']!r} not found")
        end = text.find(part["end"], start + len(part["start"])) if "end" in part else len(text)
        if end < 0:
            raise SeedError(f"{part['document']}: end marker {part['end']!r} not found")
        return text[start:end].strip()

    def response_text(self, request: dict) -> str:
        return "\n\n".join(self.excerpt(part) for part in request["response_text"])

    def passage(self, parts: dict | list[dict]) -> str:
        """A question's text or its answer: one excerpt, or several joined as paragraphs (a
        sub-question after the question it belongs to), without the markdown emphasis
        (asterisks) of the documents' conversion: the words are the document's own."""
        parts = [parts] if isinstance(parts, dict) else parts
        return re.sub(r"\*+", "", "\n\n".join(self.excerpt(part) for part in parts)).strip()

    def answer_text(self, request: dict) -> str:
        """The text of the request's answer as its source will hold it, which its quotes must be found in."""
        return FoiRequest(
            request_text=self.excerpt(request["request_text"]),
            response_text=self.response_text(request),
            requester_name=request.get("requester_name", ""),
            requester_email=request.get("requester_email", ""),
        ).public_response_text

    def outcome_of(self, request: dict) -> str:
        """The request's outcome: from its questions where the file records them (as
        `FoiRequest.apply_questions` keeps it), else as the file gives it."""
        recorded = request.get("outcome", FoiOutcome.AWAITING_RESPONSE)
        return str(request_outcome([question["outcome"] for question in request.get("questions", [])], recorded))

    def request_documents(self, request: dict) -> list[str]:
        parts = [request["request_text"], *request["response_text"]]
        return list(dict.fromkeys(part["document"] for part in parts))

    def check(self) -> None:
        force_slugs = {force["slug"] for force in self.forces}
        requests = {request["slug"]: request for request in self.seed.get("requests", [])}
        exemptions = {f"{e['act']} {e['section']}" for e in self.seed.get("exemptions", [])}
        suppliers = {supplier["slug"] for supplier in self.seed.get("suppliers", [])}
        tools = {tool["slug"] for tool in self.seed.get("tools", [])}

        def expect(condition: bool, message: str) -> None:
            if not condition:
                raise SeedError(message)

        def check_choice(value, choices, where: str) -> None:
            expect(value in choices.values, f"{where}: {value!r} is not one of {', '.join(choices.values)}")

        answers: dict[str, str] = {}
        # Each request's question numbers; one that records none is cited as a whole ("").
        numbers: dict[str, list[str]] = {}
        # Each question's text and answer, by request and number: a quote citing one is found there.
        asked_and_answered: dict[tuple[str, str], str] = {}

        def check_evidence(items: list[dict], where: str) -> None:
            expect(bool(items), f"{where}: a fact with no evidence cannot be loaded")
            for item in items:
                expect(item["request"] in requests, f"{where}: unknown request {item['request']!r}")
                cited, known = item.get("question", ""), numbers[item["request"]]
                expect(
                    cited in known,
                    f"{where}: question {cited!r} is not one of the questions of {item['request']}"
                    f" ({', '.join(repr(number) for number in known)})",
                )
                if (item["request"], cited) in asked_and_answered:
                    expect(
                        cites_rightly(item["quote"], asked_and_answered[item["request"], cited]),
                        f"{where}: quote not found in question {cited} of {item['request']}: {item['quote'][:80]!r}",
                    )
                if item["request"] not in answers:
                    answers[item["request"]] = self.answer_text(requests[item["request"]])
                expect(
                    locate_quote(item["quote"], answers[item["request"]]) is not None,
                    f"{where}: quote not found in the source of {item['request']}: {item['quote'][:80]!r}",
                )

        for act_section in exemptions:
            check_choice(act_section.split()[0], FoiAct, f"exemption {act_section}")
        for slug, request in requests.items():
            where = f"request {slug}"
            expect(request["force"] in force_slugs, f"{where}: unknown force {request['force']!r}")
            questions = request.get("questions", [])
            expect("outcome" in request or bool(questions), f"{where}: give its outcome or its questions")
            if "outcome" in request:
                check_choice(request["outcome"], FoiOutcome, where)
            for category in request.get("categories_asked", []):
                check_choice(category, ToolCategory, where)
            for exemption in request.get("exemptions", []):
                expect(exemption in exemptions, f"{where}: unknown exemption {exemption!r}")
            self.excerpt(request["request_text"])
            for part in request["response_text"]:
                self.excerpt(part)
            self.check_original(request, where)
            for question in questions:
                number = question.get("number")
                asked = f"{where}, question {number!r}"
                expect(isinstance(number, str), f"{asked}: the number must be text, as the request numbers it")
                check_choice(question.get("outcome"), QuestionOutcome, asked)
                for category in question.get("categories", []):
                    check_choice(category, ToolCategory, asked)
                for kind in question.get("safeguards", []):
                    expect(kind in SAFEGUARD_KINDS, f"{asked}: {kind!r} is not one of {', '.join(SAFEGUARD_KINDS)}")
                for exemption in question.get("exemptions", []):
                    expect(exemption in exemptions, f"{asked}: unknown exemption {exemption!r}")
                expect("text" in question, f"{asked}: no text")
                try:
                    text, answer = self.passage(question["text"]), self.passage(question.get("answer", []))
                except SeedError as error:
                    raise SeedError(f"{asked}: {error}") from error
                asked_and_answered[slug, number] = f"{text}\n{answer}"
            numbers[slug] = [question["number"] for question in questions] or [""]
            duplicated = sorted({number for number in numbers[slug] if numbers[slug].count(number) > 1})
            expect(not duplicated, f"{where}: question {', '.join(duplicated)} given twice")
            self.outcomes[slug] = self.outcome_of(request)
            if questions:
                # The request's own summary, where the file gives it, must be what its questions say.
                expect(
                    request.get("outcome", self.outcomes[slug]) == self.outcomes[slug],
                    f"{where}: outcome {request.get('outcome')!r} but its questions give {self.outcomes[slug]!r}",
                )
                for key, part in (("categories_asked", "categories"), ("exemptions", "exemptions")):
                    from_questions = {value for question in questions for value in question.get(part, [])}
                    expect(
                        set(request.get(key, from_questions)) == from_questions,
                        f"{where}: {key} differ from its questions' {part} ({', '.join(sorted(from_questions))})",
                    )
        for supplier in self.seed.get("suppliers", []):
            where = f"supplier {supplier['slug']}"
            expect(supplier.get("force") in (None, *force_slugs), f"{where}: unknown force {supplier.get('force')!r}")
            check_evidence(supplier.get("evidence", []), where)
        for tool in self.seed.get("tools", []):
            where = f"tool {tool['slug']}"
            check_choice(tool["category"], ToolCategory, where)
            check_choice(tool.get("technique", Technique.UNKNOWN), Technique, where)
            check_choice(tool.get("origin", Origin.UNKNOWN), Origin, where)
            expect(tool.get("supplier") in (None, *suppliers), f"{where}: unknown supplier {tool.get('supplier')!r}")
            check_evidence(tool.get("evidence", []), where)
        for deployment in self.seed.get("deployments", []):
            where = f"deployment of {deployment['tool']} at {deployment['force']}"
            expect(deployment["force"] in force_slugs, f"{where}: unknown force")
            expect(deployment["tool"] in tools, f"{where}: unknown tool")
            check_choice(deployment["status"], DeploymentStatus, where)
            for key in ("started", "ended"):
                if key in deployment:
                    try:
                        PartialDate.parse(deployment[key])
                    except ValueError as error:
                        raise SeedError(f"{where}: {key}: {error}") from error
            check_evidence(deployment.get("evidence", []), where)
            for assessment in deployment.get("assessments", []):
                check_choice(assessment["kind"], AssessmentKind, where)
                check_choice(assessment["result"], AssessmentResult, where)
                check_evidence(assessment.get("evidence", []), f"{where}, {assessment['kind']}")

    # Writing --------------------------------------------------------------

    @transaction.atomic
    def load(self, forces_only: bool = False) -> LoadReport:
        forces = {
            f["slug"]: self._get_or_create(Force, {"slug": f["slug"]}, {**f, "is_published": True}) for f in self.forces
        }
        if forces_only:
            return self.report
        exemptions = {
            f"{e['act']} {e['section']}": self._get_or_create(
                Exemption, {"act": e["act"], "section": e["section"]}, {"name": e["name"]}
            )
            for e in self.seed.get("exemptions", [])
        }
        requests = {}
        for request in self.seed.get("requests", []):
            instance, created = self._get_or_create(
                FoiRequest,
                {"force": forces[request["force"]], "reference": request["reference"]},
                {
                    "slug": request["slug"],
                    "title": request["title"],
                    "other_references": request.get("other_references", ""),
                    "outcome": self.outcomes[request["slug"]],
                    "date_received": request.get("date_received"),
                    "date_responded": request.get("date_responded"),
                    "request_text": self.excerpt(request["request_text"]),
                    "response_text": self.response_text(request),
                    "source_document": ", ".join(self.request_documents(request)),
                    "requester_name": request.get("requester_name", ""),
                    "requester_email": request.get("requester_email", ""),
                    "is_published": True,
                },
                with_created=True,
            )
            if created:
                instance.exemptions.set(exemptions[name] for name in request.get("exemptions", []))
                CategoryAsked.objects.bulk_create(
                    CategoryAsked(foi_request=instance, category=category)
                    for category in request.get("categories_asked", [])
                )
            self._add_questions(instance, request.get("questions", []), exemptions)
            self._add_original(instance, request)
            requests[request["slug"]] = instance

        suppliers = {}
        for supplier in self.seed.get("suppliers", []):
            instance = self._get_or_create(
                Supplier,
                {"slug": supplier["slug"]},
                {
                    "name": supplier["name"],
                    "force": forces.get(supplier.get("force")),
                    "description": supplier.get("description", ""),
                    "is_published": True,
                },
            )
            suppliers[supplier["slug"]] = instance
            self._add_evidence(supplier["evidence"], requests, supplier=instance)

        tools = {}
        for tool in self.seed.get("tools", []):
            values = public_values(Tool, tool, apart=("slug", "supplier"))
            values.update(supplier=suppliers.get(tool.get("supplier")), is_published=True)
            instance = self._get_or_create(Tool, {"slug": tool["slug"]}, values)
            tools[tool["slug"]] = instance
            self._add_evidence(tool["evidence"], requests, tool=instance)

        for deployment in self.seed.get("deployments", []):
            values = {**public_values(Deployment, deployment, apart=("id", "force", "tool")), "is_published": True}
            instance = self._get_or_create(
                Deployment, {"force": forces[deployment["force"]], "tool": tools[deployment["tool"]]}, values
            )
            self._add_evidence(deployment["evidence"], requests, deployment=instance)
            for assessment in deployment.get("assessments", []):
                values = public_values(Assessment, assessment, apart=("id", "deployment", "kind"))
                assessment_instance = self._get_or_create(
                    Assessment, {"deployment": instance, "kind": assessment["kind"]}, {**values, "is_published": True}
                )
                self._add_evidence(assessment["evidence"], requests, assessment=assessment_instance)
        return self.report

    def _get_or_create(self, model, lookup: dict, defaults: dict, with_created: bool = False):
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**{**defaults, **lookup})
            instance._change_reason = CHANGE_REASON
            instance.save()
        self.report.count(str(model._meta.verbose_name_plural), created)
        return (instance, created) if with_created else instance

    def _add_questions(self, foi_request: FoiRequest, questions: list[dict], exemptions: dict) -> None:
        """Add the questions the request's answer lacks, then bring the request's outcome,
        exemptions and categories asked in step with them. Until its questions were
        recorded a request held one question standing for the whole of it (number and
        text empty, made by migration foi_requests 0014): the seed's questions replace it."""
        added = False
        for entry in questions:
            question, created = self._get_or_create(
                Question,
                {"source": foi_request.source, "number": entry["number"]},
                {
                    "text": self.passage(entry["text"]),
                    "answer": self.passage(entry.get("answer", [])),
                    "outcome": entry["outcome"],
                },
                with_created=True,
            )
            if not created:
                continue
            added = True
            QuestionCategory.objects.bulk_create(
                QuestionCategory(question=question, category=category) for category in entry.get("categories", [])
            )
            QuestionSafeguard.objects.bulk_create(
                QuestionSafeguard(question=question, kind=kind) for kind in entry.get("safeguards", [])
            )
            for name in entry.get("exemptions", []):
                exemptions[name].questions.add(question)
        if added:
            if "" not in {entry["number"] for entry in questions}:
                foi_request.source.questions.filter(number="", text="", answer="").delete()
            foi_request.apply_questions()

    def original_document(self, request: dict) -> str:
        """The document kept as the answer's archived original: `original`, else the request's first."""
        return request.get("original") or self.request_documents(request)[0]

    def check_original(self, request: dict, where: str) -> None:
        name = self.original_document(request)
        try:
            data = (self.sources_dir / name).read_bytes()
        except OSError as error:
            raise SeedError(f"{where}: original {name} cannot be read: {error}") from error
        try:
            read_original(name, data)
        except ValidationError as error:
            raise SeedError(f"{where}: {error.messages[0]}") from error
        retrieved, checked = request.get("original_retrieved"), request.get("original_checked", False)
        if retrieved is not None and not isinstance(retrieved, datetime.date):
            raise SeedError(f"{where}: original_retrieved {retrieved!r} is not a date (YYYY-MM-DD)")
        if not isinstance(checked, bool):
            raise SeedError(f"{where}: original_checked must be true or false")

    def _add_original(self, foi_request: FoiRequest, request: dict) -> None:
        """Keep the answer's document as its source's archived original, once: a source that
        has one (loaded before, or uploaded by an editor) is left as it is. It is offered to
        the public only where the file says an editor checked it for personal data."""
        source = foi_request.source
        if source.original:
            self.report.count("archived originals", False)
            return
        name = self.original_document(request)
        store_seed_original(source, name, (self.sources_dir / name).read_bytes())
        source.original_retrieved = request.get("original_retrieved")
        source.original_checked = request.get("original_checked", False)
        source._change_reason = CHANGE_REASON
        source.save()
        self.report.count("archived originals", True)

    def _add_evidence(self, items: list[dict], requests: dict, **target) -> None:
        for item in items:
            self._get_or_create(
                Evidence,
                {
                    "source": requests[item["request"]].source,
                    "field": item.get("field", ""),
                    "quote": item["quote"],
                    **target,
                },
                {"question_number": item.get("question", "")},
            )


def load_seed_data(forces_only: bool = False) -> LoadReport:
    """Check the seed files, then add whatever the database lacks, in one transaction."""
    return SeedLoader().load(forces_only=forces_only)
