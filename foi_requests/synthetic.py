"""A large, clearly synthetic register for measuring performance.

At scale N it holds the 48 real forces and N × (200 tools, 2,000 deployments,
4,000 assessments, 10,000 FOI requests, 20,000 evidence links), with the skew
real data has: a few tools used by many forces and most by one; a few forces
receiving many requests. Every synthetic name starts with "Synthetic" and every
slug and reference with "syn", and the generator refuses to write into a
database holding real facts, so synthetic data never mixes with the register.
"""

import datetime
import itertools
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from core.caching import bump_data_version
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
    Origin,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    Source,
    Supplier,
    Technique,
    Tool,
    ToolCategory,
)

from .deadlines import due_date, working_days_between
from .models import CategoryAsked, Exemption, FoiOutcome, FoiRequest
from .outcomes import request_outcome

PREFIX = "syn"
BATCH = 5_000
SENTENCE_END = re.compile(r"(?<=\.)\s+")

PER_SCALE = {"tools": 200, "deployments": 2_000, "assessments": 4_000, "foi_requests": 10_000, "evidence": 20_000}

# The register's own terms, used in names and titles.
WORDS = [
    "predictive",
    "mapping",
    "risk",
    "score",
    "knife",
    "crime",
    "violence",
    "offender",
    "harm",
    "dashboard",
    "intelligence",
    "tasking",
    "patrol",
    "hotspot",
    "gang",
    "matrix",
    "custody",
    "vulnerability",
    "safeguarding",
    "exploitation",
    "burglary",
    "retail",
    "facial",
    "recognition",
    "fingerprint",
    "number",
    "plate",
    "network",
    "analysis",
    "solvability",
    "demand",
    "forecast",
]

# Words any FOI letter uses, most frequent first.
COMMON_WORDS = [
    "information",
    "request",
    "police",
    "force",
    "please",
    "provide",
    "data",
    "held",
    "system",
    "used",
    "whether",
    "any",
    "number",
    "officers",
    "years",
    "details",
    "records",
    "policy",
    "copy",
    "including",
    "software",
    "process",
    "decision",
    "assessment",
    "documents",
    "contract",
    "supplier",
    "cost",
    "training",
    "review",
    "staff",
    "public",
    "department",
    "freedom",
    "act",
    "section",
    "exemption",
    "response",
    "question",
    "use",
    "time",
    "period",
    "date",
    "current",
    "previous",
    "confirm",
    "regarding",
]


def vocabulary(size: int = 1_500) -> list[str]:
    """Words ranked by frequency, as texts use them: the common words, then
    the register's terms spread through a long tail of made-up words (real
    texts have thousands of words, so any one term is in few of them)."""
    syllables = ["ba", "ker", "lo", "min", "dra", "vel", "to", "sen", "qua", "rix", "po", "lan", "tur", "mé", "gor"]
    rng = random.Random(0)
    made_up = iter(
        dict.fromkeys("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size * 2))
    )
    tail = [next(made_up) for _ in range(size - len(COMMON_WORDS) - len(WORDS))]
    step = len(tail) // len(WORDS)
    for position, word in enumerate(WORDS):
        tail.insert(position * (step + 1), word)
    return COMMON_WORDS + tail


VOCABULARY = vocabulary()
# Zipf's law: the word of rank r is used in proportion to 1 / r.
VOCABULARY_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


# The exemptions forces cite most, with their subsections: the refusals to confirm or deny
# apart from the refusals to disclose. A vocabulary of the law, not facts: made where missing.
EXEMPTIONS = {
    FoiAct.FOIA: {
        QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: [
            ("31(3)", "Law enforcement: duty to confirm or deny"),
            ("24(2)", "National security: duty to confirm or deny"),
            ("30(3)", "Investigations: duty to confirm or deny"),
        ],
        QuestionOutcome.EXEMPT: [
            ("12(1)", "Cost of compliance exceeds the appropriate limit"),
            ("31(1)(a)", "Law enforcement: prevention or detection of crime"),
            ("40(2)", "Personal information"),
            ("43(2)", "Commercial interests"),
        ],
    },
    FoiAct.FOISA: {
        QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: [("18(1)", "Neither confirm nor deny")],
        QuestionOutcome.EXEMPT: [
            ("12(1)", "Excessive cost of compliance"),
            ("35(1)(a)", "Law enforcement: prevention or detection of crime"),
            ("38(1)(b)", "Personal information"),
        ],
    },
}
ANSWERS = {
    QuestionOutcome.NOT_HELD: "The information is not held.",
    QuestionOutcome.NEITHER_CONFIRM_NOR_DENY: "The force neither confirms nor denies that it holds the information.",
    QuestionOutcome.EXEMPT: "The information is exempt from disclosure and withheld.",
    QuestionOutcome.NOT_ANSWERED: "",
}
QUESTIONS_PER_REQUEST = ([1, 2, 3, 4, 5], [25, 30, 25, 12, 8])


class SyntheticDataError(Exception):
    """The database is not fit for synthetic data; nothing has been written."""


@dataclass(frozen=True)
class Plan:
    scale: int

    def count(self, kind: str) -> int:
        return PER_SCALE[kind] * self.scale


def skewed_counts(items: int, total: int, cap: int) -> list[int]:
    """How many times each of `items` ranked items is used, summing to `total`,
    each between 1 and `cap`, falling off like a power law with rank."""
    if not items <= total <= items * cap:
        raise SyntheticDataError(f"cannot spread {total} uses over {items} items with at most {cap} each")

    def counts(exponent: float) -> list[int]:
        return [max(1, min(cap, round(cap / (rank**exponent)))) for rank in range(1, items + 1)]

    low, high = 0.0, 10.0  # a larger exponent gives a steeper fall and a smaller sum
    for _ in range(60):
        middle = (low + high) / 2
        if sum(counts(middle)) > total:
            low = middle
        else:
            high = middle
    result = counts(high)
    # Rounding leaves the sum a little off: adjust the most used items first,
    # keeping each between 1 and the cap.
    step = 1 if sum(result) < total else -1
    rank = 0
    while sum(result) != total:
        if 1 <= result[rank] + step <= cap:
            result[rank] += step
        rank = (rank + 1) % items
    return result


def sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=VOCABULARY_WEIGHTS, k=words)).capitalize() + "."


def partial_date(rng: random.Random) -> str | None:
    year = rng.randint(2008, 2025)
    precision = rng.random()
    if precision < 0.2:
        return None
    if precision < 0.45:
        return f"{year}"
    if precision < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def question_outcomes(rng: random.Random, outcome: str, count: int) -> list[str]:
    """How each of a request's `count` questions was answered, so that the request's outcome
    follows from them (`request_outcome`): all disclosed for "information provided", some
    information beside a refusal or a "not held" for "partially provided", and so on; none
    answered while a response is awaited, or the request was withdrawn or is under review."""
    q = QuestionOutcome
    if outcome == FoiOutcome.SUCCESSFUL:
        outcomes = [q.DISCLOSED] * count
    elif outcome == FoiOutcome.PARTIALLY_SUCCESSFUL:
        outcomes = [rng.choice([q.DISCLOSED, q.PARTLY_DISCLOSED])]
        others = [q.DISCLOSED, q.PARTLY_DISCLOSED, q.NOT_HELD, q.NEITHER_CONFIRM_NOR_DENY, q.EXEMPT, q.NOT_ANSWERED]
        outcomes += rng.choices(others, weights=[30, 10, 20, 15, 20, 5], k=count - 1)
        if set(outcomes) == {q.DISCLOSED}:
            outcomes[-1] = q.PARTLY_DISCLOSED if count == 1 else rng.choice(others[2:5])
    elif outcome == FoiOutcome.REFUSED:
        outcomes = [q.EXEMPT, *rng.choices([q.EXEMPT, q.NEITHER_CONFIRM_NOR_DENY, q.NOT_HELD], k=count - 1)]
    elif outcome == FoiOutcome.NOT_HELD:
        outcomes = [q.NOT_HELD] * count
    elif outcome == FoiOutcome.NEITHER_CONFIRM_NOR_DENY:
        outcomes = [q.NEITHER_CONFIRM_NOR_DENY] * count
    else:
        outcomes = [q.NOT_ANSWERED] * count
    rng.shuffle(outcomes)
    if request_outcome(outcomes, outcome) != outcome:
        raise SyntheticDataError(f"questions answered {outcomes} do not give the outcome {outcome}")
    return outcomes


def common_exemptions() -> dict[tuple[str, str], list[int]]:
    """The ids of the common exemptions, by act and kind of refusal; made where missing."""
    ids = {}
    for act, by_outcome in EXEMPTIONS.items():
        for outcome, sections in by_outcome.items():
            ids[act, outcome] = [
                Exemption.objects.get_or_create(act=act, section=section, defaults={"name": name})[0].pk
                for section, name in sections
            ]
    return ids


def make_questions(rng: random.Random, forces: list[Force], progress: Callable[[int], None]) -> None:
    """Each synthetic request's questions, in bulk: their outcomes agreeing with the request's,
    the kinds of tool and safeguard they ask about, the exemptions their answers cite with
    their subsections; the request's categories asked and exemptions are theirs."""
    exemption_ids = common_exemptions()
    act_of = {force.pk: force.foi_act for force in forces}
    requests = FoiRequest.objects.filter(slug__startswith=f"{PREFIX}-").order_by("pk")
    rows = list(requests.values_list("pk", "source_id", "outcome", "force_id"))
    categories = ToolCategory.values
    # Texts drawn from a few hundred made once: a hundred thousand requests' questions read alike anyway.
    texts = [sentence(rng, 12)[:-1] + "?" for _ in range(300)]
    answers = [sentence(rng, 14) for _ in range(300)]
    for start in range(0, len(rows), BATCH):
        questions, asked = [], []  # asked: (categories, safeguards, exemption ids) of each question
        request_rows = []
        for request_id, source_id, outcome, force_id in rows[start : start + BATCH]:
            act = act_of[force_id]
            count = rng.choices(*QUESTIONS_PER_REQUEST)[0]
            covered = rng.sample(categories, rng.randint(1, 3))
            request_rows.append((request_id, covered, len(questions), count))
            for number, answered in enumerate(question_outcomes(rng, outcome, count), start=1):
                # Each kind of tool the request covered is asked about by some question.
                kinds = {covered[(number - 1) % len(covered)], *(covered[count:] if number == count else ())}
                safeguards = rng.sample(SAFEGUARD_KINDS, rng.choices([0, 1, 2], weights=[50, 35, 15])[0])
                if answered in (QuestionOutcome.NEITHER_CONFIRM_NOR_DENY, QuestionOutcome.EXEMPT):
                    cited = [rng.choice(exemption_ids[act, answered])]
                elif answered == QuestionOutcome.PARTLY_DISCLOSED and rng.random() < 0.5:
                    cited = [rng.choice(exemption_ids[act, QuestionOutcome.EXEMPT])]
                else:
                    cited = []
                answer = rng.choice(answers) if answered in RESULT_GIVEN else ANSWERS[answered]
                questions.append(
                    Question(
                        source_id=source_id, number=str(number), text=rng.choice(texts), answer=answer, outcome=answered
                    )
                )
                asked.append((kinds, safeguards, cited))
        Question.objects.bulk_create(questions)
        QuestionCategory.objects.bulk_create(
            QuestionCategory(question_id=question.pk, category=category)
            for question, (kinds, _, _) in zip(questions, asked, strict=True)
            for category in kinds
        )
        QuestionSafeguard.objects.bulk_create(
            QuestionSafeguard(question_id=question.pk, kind=kind)
            for question, (_, safeguards, _) in zip(questions, asked, strict=True)
            for kind in safeguards
        )
        Exemption.questions.through.objects.bulk_create(
            Exemption.questions.through(question_id=question.pk, exemption_id=exemption_id)
            for question, (_, _, cited) in zip(questions, asked, strict=True)
            for exemption_id in cited
        )
        # The request's own summary, as `FoiRequest.apply_questions` keeps it.
        CategoryAsked.objects.bulk_create(
            CategoryAsked(foi_request_id=request_id, category=category)
            for request_id, covered, _, _ in request_rows
            for category in covered
        )
        FoiRequest.exemptions.through.objects.bulk_create(
            FoiRequest.exemptions.through(foirequest_id=request_id, exemption_id=exemption_id)
            for request_id, _, first, count in request_rows
            for exemption_id in sorted({e for _, _, cited in asked[first : first + count] for e in cited})
        )
        progress(len(questions) + len(request_rows))


RESULT_GIVEN = frozenset({QuestionOutcome.DISCLOSED, QuestionOutcome.PARTLY_DISCLOSED})


def check_database_is_synthetic() -> None:
    real_tools = Tool.objects.exclude(slug__startswith=f"{PREFIX}-").exists()
    real_requests = FoiRequest.objects.exclude(slug__startswith=f"{PREFIX}-").exists()
    if real_tools or real_requests:
        raise SyntheticDataError(
            "this database holds real register facts; generate synthetic data into a separate database "
            "(set DATABASE_URL to an empty one)"
        )


def bulk_insert(model, objects: Iterable, progress: Callable[[int], None]) -> None:
    batch = []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            progress(len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        progress(len(batch))


def delete_synthetic() -> None:
    Evidence.objects.filter(source__slug__startswith=f"{PREFIX}-").delete()
    # All at once, rather than with each request's answer.
    Question.objects.filter(source__slug__startswith=f"{PREFIX}-").delete()
    FoiRequest.objects.filter(slug__startswith=f"{PREFIX}-").delete()
    Assessment.objects.filter(deployment__tool__slug__startswith=f"{PREFIX}-").delete()
    Deployment.objects.filter(tool__slug__startswith=f"{PREFIX}-").delete()
    Tool.objects.filter(slug__startswith=f"{PREFIX}-").delete()
    Supplier.objects.filter(slug__startswith=f"{PREFIX}-").delete()


def generate(scale: int, *, seed: int = 2026, progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Replace any synthetic data with a fresh set at `scale`, in one transaction."""
    if scale < 1:
        raise SyntheticDataError("the scale must be a whole number of at least 1")
    check_database_is_synthetic()
    forces = list(Force.objects.order_by("pk"))
    if len(forces) < 2:
        raise SyntheticDataError("load the forces first: python manage.py load_seed_data")
    plan = Plan(scale)
    rng = random.Random(seed)
    with transaction.atomic():
        delete_synthetic()

        suppliers = [
            Supplier(name=f"Synthetic Supplier {n:04d} Ltd", slug=f"{PREFIX}-supplier-{n:04d}", is_published=True)
            for n in range(1, 20 * scale + 1)
        ]
        bulk_insert(Supplier, suppliers, progress)
        suppliers = list(Supplier.objects.filter(slug__startswith=f"{PREFIX}-"))

        def make_tool(n: int) -> Tool:
            origin = rng.choice(Origin.values)
            return Tool(
                name=f"Synthetic {rng.choice(WORDS).title()} Tool {n:05d}",
                slug=f"{PREFIX}-tool-{n:05d}",
                category=rng.choices(ToolCategory.values, weights=[30, 25, 20, 10, 8, 7])[0],
                technique=rng.choice(Technique.values),
                origin=origin,
                supplier=rng.choice(suppliers) if origin == Origin.BOUGHT else None,
                description=sentence(rng, 25),
                inputs=sentence(rng, 8),
                outputs=sentence(rng, 8),
                is_published=rng.random() < 0.97,
            )

        bulk_insert(Tool, (make_tool(n) for n in range(1, plan.count("tools") + 1)), progress)
        tools = list(Tool.objects.filter(slug__startswith=f"{PREFIX}-").order_by("slug"))

        # Most tools (55%) are used by one force; the rest share the other
        # deployments, falling off from a head used by every force.
        single_use = len(tools) * 55 // 100
        uses = skewed_counts(len(tools) - single_use, plan.count("deployments") - single_use, len(forces))
        uses += [1] * single_use

        def make_deployments():
            for tool, count in zip(tools, uses, strict=True):
                for force in rng.sample(forces, count):
                    started = partial_date(rng)
                    yield Deployment(
                        force=force,
                        tool=tool,
                        status=rng.choices(DeploymentStatus.values, weights=[50, 15, 8, 5, 10, 4, 8])[0],
                        started=started,
                        purpose=sentence(rng, 20),
                        data_used=sentence(rng, 10),
                        scale=f"About {rng.randint(10, 90_000):,} individuals" if rng.random() < 0.3 else "",
                        is_published=rng.random() < 0.97,
                    )

        bulk_insert(Deployment, make_deployments(), progress)
        deployment_ids = list(
            Deployment.objects.filter(tool__slug__startswith=f"{PREFIX}-").values_list("pk", flat=True)
        )

        def make_assessments():
            for _ in range(plan.count("assessments")):
                result = rng.choices(AssessmentResult.values, weights=[55, 15, 10, 10, 10])[0]
                yield Assessment(
                    deployment_id=rng.choice(deployment_ids),
                    kind=rng.choices(AssessmentKind.values, weights=[40, 20, 8, 8, 8, 12, 4])[0],
                    result=result,
                    conducted=partial_date(rng) if result == AssessmentResult.CONDUCTED else None,
                    is_published=True,
                )

        bulk_insert(Assessment, make_assessments(), progress)
        assessment_ids = list(
            Assessment.objects.filter(deployment__tool__slug__startswith=f"{PREFIX}-").values_list("pk", flat=True)
        )

        # The busiest force receives about a tenth of all requests.
        request_counts = skewed_counts(len(forces), plan.count("foi_requests"), plan.count("foi_requests") // 10)
        rng.shuffle(request_counts)

        def make_requests():
            number = 0
            for force, count in zip(forces, request_counts, strict=True):
                for _ in range(count):
                    number += 1
                    received = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 11 * 365))
                    # Most answers come within the 20 working days, a long tail much later.
                    took = datetime.timedelta(days=int(rng.expovariate(1 / 25)))
                    outcome = rng.choices(FoiOutcome.values, weights=[35, 15, 20, 15, 5, 5, 3, 2])[0]
                    answered = outcome not in (FoiOutcome.AWAITING_RESPONSE, FoiOutcome.WITHDRAWN)
                    responded = received + took if answered else None
                    yield FoiRequest(
                        force=force,
                        reference=f"SYN/{number:06d}",
                        slug=f"{PREFIX}-request-{number:06d}",
                        title=f"Synthetic request about {rng.choice(WORDS)} {rng.choice(WORDS)}",
                        request_text=" ".join(sentence(rng, 15) for _ in range(4)),
                        response_text=" ".join(sentence(rng, 18) for _ in range(6)) if answered else "",
                        date_received=received,
                        date_responded=responded,
                        # bulk_create skips save(), which keeps these in step with the dates.
                        due_date=due_date(received, force.foi_act),
                        working_days_taken=working_days_between(received, responded, force.foi_act)
                        if responded
                        else None,
                        outcome=outcome,
                        is_published=rng.random() < 0.97,
                    )

        bulk_insert(FoiRequest, make_requests(), progress)
        request_ids, source_ids = zip(
            *FoiRequest.objects.filter(slug__startswith=f"{PREFIX}-").values_list("pk", "source_id"), strict=True
        )

        make_questions(rng, forces, progress)

        tool_ids = [tool.pk for tool in tools]
        # Evidence quotes a sentence of an answer, as real evidence does, so that `check_quotes`
        # passes on synthetic data too; its place is set here (bulk_create skips save()).
        answered_ids = list(
            FoiRequest.objects.filter(slug__startswith=f"{PREFIX}-")
            .exclude(response_text="")
            .values_list("source_id", flat=True)
        )

        def make_evidence():
            total = plan.count("evidence")
            for done in range(0, total, 500):
                picks = [rng.choice(answered_ids or source_ids) for _ in range(min(500, total - done))]
                texts = dict(Source.objects.filter(pk__in=set(picks)).values_list("pk", "text"))
                for source_id in picks:
                    target = rng.random()
                    link = (
                        {"deployment_id": rng.choice(deployment_ids)}
                        if target < 0.6
                        else {"assessment_id": rng.choice(assessment_ids)}
                        if target < 0.9
                        else {"tool_id": rng.choice(tool_ids)}
                    )
                    text = texts[source_id]
                    quote = rng.choice(SENTENCE_END.split(text)) if text else sentence(rng, 14)
                    evidence = Evidence(
                        source_id=source_id, question_number=str(rng.randint(1, 9)), quote=quote, field="", **link
                    )
                    evidence.set_anchor(locate_quote(quote, text))
                    yield evidence

        bulk_insert(Evidence, make_evidence(), progress)
        transaction.on_commit(bump_data_version)  # bulk_create sends no signals

    return {
        "forces": len(forces),
        "tools": len(tools),
        "deployments": len(deployment_ids),
        "assessments": len(assessment_ids),
        "foi_requests": len(request_ids),
        "evidence": plan.count("evidence"),
    }


def expected_rows(scale: int) -> int:
    """Rows the generator writes at a scale, for the progress bar's total."""
    plan = Plan(scale)
    counts, weights = QUESTIONS_PER_REQUEST
    # Each request's questions, and the request itself counted once more when they are written.
    per_request = sum(c * w for c, w in zip(counts, weights, strict=True)) / sum(weights) + 1
    return 20 * scale + sum(plan.count(kind) for kind in PER_SCALE) + round(plan.count("foi_requests") * per_request)
