"""`load_seed_data` holds the facts of the five source documents, each with its evidence."""

import pytest
from django.core.management import CommandError, call_command

from core.quotes import locate_quote
from foi_requests import seed
from foi_requests.models import FoiOutcome, FoiRequest
from foi_requests.outcomes import request_outcome
from register.models import Assessment, Deployment, Evidence, Force, Nation, Question, QuestionOutcome, Tool

pytestmark = pytest.mark.django_db


def deployment(force: str, tool: str) -> Deployment:
    return Deployment.objects.get(force__slug=force, tool__slug=tool)


def test_every_uk_force_is_loaded_with_its_nation(seed_data):
    assert Force.objects.count() == 48
    assert Force.objects.filter(kind="territorial", nation__in=["england", "wales"]).count() == 43
    assert Force.objects.get(slug="police-scotland").nation == Nation.SCOTLAND
    assert Force.objects.get(slug="northern-ireland").nation == Nation.NORTHERN_IRELAND
    specials = set(Force.objects.filter(kind="special").values_list("slug", flat=True))
    assert specials == {"btp", "civil-nuclear-constabulary", "ministry-of-defence-police"}
    assert Force.objects.get(slug="west-midlands").name == "West Midlands Police"


def test_gwent_tools(seed_data):
    xd = deployment("gwent", "nec-xd-mapping")
    assert xd.tool.supplier.name == "NEC Software Solutions Ltd"
    assert xd.status == "in_use"
    assert xd.started is None  # the answer gives no date for mapping
    dpia = xd.assessments.get(kind="dpia")
    assert (dpia.result, dpia.answer_as_given) == ("not_applicable", "N/A")

    qlikview = deployment("gwent", "qlikview")
    assert qlikview.started.isoformat() == "2008"
    assert qlikview.started.label == "2008"
    assert "70,000" in qlikview.scale
    assert qlikview.tool.supplier is None  # no source names the supplier
    assert qlikview.evidence.get(field="started").quote == "QlikView was introduced into Gwent Police in 2008"


def test_west_midlands_models_with_their_dpia_dates(seed_data):
    expected = {
        "west-midlands-knife-crime-model": ("2021-11", "2019-11-27"),
        "west-midlands-serious-violence-model": ("2022-05", "2020-06-23"),
        "west-midlands-iom-model": ("2021-11", "2019-10-01"),
    }
    for tool, (started, dpia_date) in expected.items():
        found = deployment("west-midlands", tool)
        assert found.status == "pilot"
        assert found.started.isoformat() == started
        assert found.tool.origin == "in_house"
        assert found.assessments.get(kind="dpia").conducted.isoformat() == dpia_date
        assert found.assessments.filter(kind="ethics_review", result="conducted").exists()
        assert found.assessments.filter(kind="bias_testing", result="conducted").exists()
    assert Tool.objects.get(slug="west-midlands-serious-violence-model").name == "Serious Violence model (MSV)"


def test_fearless_futures_at_essex(seed_data):
    found = deployment("essex", "fearless-futures")
    assert found.status == "in_use"
    assert found.tool.category == "individual_risk"
    assert found.started is None and found.tool.supplier is None


def test_the_five_requests(seed_data):
    lancashire = FoiRequest.objects.get(reference="DPO/FOI/002128/22")
    assert lancashire.force.slug == "lancashire"
    assert lancashire.outcome == FoiOutcome.REFUSED
    assert [e.citation for e in lancashire.exemptions.all()] == ["FOIA s12(1)"]
    assert str(lancashire.date_received) == "2022-06-29"
    assert str(lancashire.date_responded) == "2022-10-06"

    for reference in ("16495", "16224"):
        essex = FoiRequest.objects.get(reference=reference)
        assert essex.force.slug == "essex"
        assert essex.outcome == FoiOutcome.NOT_HELD
        assert "PUB 1390" in essex.references

    assert FoiRequest.objects.get(reference="2023/26042").force.slug == "gwent"
    assert FoiRequest.objects.get(reference="855A/22").force.slug == "west-midlands"
    assert FoiRequest.objects.get(reference="2023/26042").date_received is None  # no dates on the letter


def test_every_fact_has_evidence_quoted_from_its_source(seed_data):
    for record in [*Tool.objects.all(), *Deployment.objects.all(), *Assessment.objects.all()]:
        assert record.evidence.exists(), f"{record} has no evidence"
    for evidence in Evidence.objects.select_related("source"):
        # By the one rule every writer of evidence uses (core.quotes), in the text its source holds.
        assert locate_quote(evidence.quote, evidence.source.text), evidence.quote


def test_loading_twice_changes_nothing(seed_data):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Force, Tool, Deployment, Assessment, FoiRequest, Evidence)
        } | {
            "history": Deployment.history.count(),
            "questions": sorted(Question.objects.values_list("pk", "number", "outcome", "text", "answer")),
            "question history": Question.history.count(),
        }

    before = snapshot()
    call_command("load_seed_data", verbosity=0)
    assert snapshot() == before


def test_a_quote_missing_from_its_source_is_refused_and_nothing_is_written(db, tmp_path, monkeypatch):
    broken = seed.SEED_TOML.read_text().replace(
        "QlikView was introduced into Gwent Police in 2008", "QlikView was introduced into Gwent Police in 2007"
    )
    path = tmp_path / "seed.toml"
    path.write_text(broken)
    monkeypatch.setattr(seed, "SEED_TOML", path)
    with pytest.raises(CommandError, match="quote not found"):
        call_command("load_seed_data")
    assert Force.objects.count() == 0


def questions_of(slug: str) -> dict[str, Question]:
    request = FoiRequest.objects.get(slug=slug)
    return {question.number: question for question in request.source.questions.prefetch_related("exemptions")}


def test_each_request_holds_its_questions_as_the_documents_number_them(seed_data):
    numbers = {slug: list(questions_of(slug)) for slug in FoiRequest.objects.values_list("slug", flat=True)}
    assert numbers == {
        "gwent-2023-26042": [
            f"{n}{letter}" for n, letters in (("1", "abcdef"), ("2", "abcdef"), ("3", "abcde")) for letter in letters
        ],
        "west-midlands-855a-22": [
            "1",
            *[f"1{letter}" for letter in "abcdefgh"],
            "2",
            *[f"2{letter}" for letter in "abcdefghi"],
        ],
        "lancashire-dpo-foi-002128-22": [str(n) for n in range(1, 14)],
        "essex-16495": ["1", "2", "3", "4a", "4b", "5", "6", "7"],
        "essex-16224": ["1", "2", "3"],
    }


def test_each_question_records_what_the_force_did_with_it(seed_data):
    gwent = questions_of("gwent-2023-26042")
    assert gwent["1a"].text.startswith("Does your force conduct ‘hot-spot’ mapping")  # with the question it belongs to
    assert gwent["1a"].answer.startswith("For mapping we use the NEC Software solutions Ltd XD mapping system.")
    assert (gwent["1f"].answer, gwent["1f"].outcome) == ("Unable to locate such documents.", QuestionOutcome.NOT_HELD)
    assert gwent["1e"].category_values == ["mapping"] and set(gwent["1e"].safeguard_values) == {"dpia", "equality"}
    assert gwent["3a"].category_values == ["people_list"] and gwent["3a"].safeguard_values == []

    west_midlands = questions_of("west-midlands-855a-22")
    assert west_midlands["1"].answer == "Yes"  # the documents' bold markers are dropped, their words kept
    assert west_midlands["2a"].category_values == ["individual_risk"]
    assert set(west_midlands["1g"].safeguard_values) == {"privacy", "dpia", "equality"}
    assert west_midlands["2i"].safeguard_values == ["bias_testing"]
    demographics = {number: west_midlands[number].outcome for number in ("1f", "2f", "2g")}
    assert demographics == {"1f": "partly_disclosed", "2f": "partly_disclosed", "2g": "not_held"}

    lancashire = questions_of("lancashire-dpo-foi-002128-22")
    assert {question.outcome for question in lancashire.values()} == {QuestionOutcome.EXEMPT}
    assert all([e.citation for e in question.exemptions.all()] == ["FOIA s12(1)"] for question in lancashire.values())
    assert set(lancashire["8"].safeguard_values) == {"dpia", "privacy", "equality", "legal_opinion"}
    assert "Adam Harkens" not in " ".join(question.text + question.answer for question in lancashire.values())

    for slug in ("essex-16495", "essex-16224"):
        assert {question.outcome for question in questions_of(slug).values()} == {QuestionOutcome.NOT_HELD}
    assert "Fearless Futures" in questions_of("essex-16495")["1"].answer


def test_each_request_is_the_sum_of_its_questions(seed_data):
    expected = {
        "gwent-2023-26042": FoiOutcome.PARTIALLY_SUCCESSFUL,  # 1f and 2b not held, 3e in part
        "west-midlands-855a-22": FoiOutcome.PARTIALLY_SUCCESSFUL,
        "lancashire-dpo-foi-002128-22": FoiOutcome.REFUSED,
        "essex-16495": FoiOutcome.NOT_HELD,
        "essex-16224": FoiOutcome.NOT_HELD,
    }
    for request in FoiRequest.objects.all():
        questions = list(request.source.questions.all())
        assert request.outcome == expected[request.slug]
        assert request_outcome([question.outcome for question in questions], "") == request.outcome
        assert set(request.exemptions.all()) == {e for question in questions for e in question.exemptions.all()}
        asked = {category for question in questions for category in question.category_values}
        assert set(request.categories_asked.values_list("category", flat=True)) == asked


def test_question_texts_are_cut_from_the_documents(seed_data):
    for request in FoiRequest.objects.all():
        document = (request.request_text + "\n" + request.response_text).replace("*", "")
        for question in request.source.questions.all():
            for paragraph in [*question.text.split("\n\n"), *question.answer.split("\n\n")]:
                assert locate_quote(paragraph, document), (request.slug, question.number, paragraph)


def test_every_quote_cites_a_question_of_its_request_that_holds_it(seed_data):
    for evidence in Evidence.objects.select_related("source"):
        question = evidence.source.questions.filter(number=evidence.question_number).first()
        assert question is not None, (evidence.source.slug, evidence.question_number)
        assert seed.cites_rightly(evidence.quote, question.text + "\n" + question.answer), evidence.quote


def test_a_request_loaded_before_its_questions_gets_them_in_place_of_the_whole_request(seed_data):
    """Migration 0014 gave each request one question standing for the whole of it."""
    gwent = FoiRequest.objects.get(slug="gwent-2023-26042")
    gwent.source.questions.all().delete()
    Question.objects.create(source=gwent.source, number="", outcome=QuestionOutcome.DISCLOSED)

    call_command("load_seed_data", verbosity=0)

    gwent.refresh_from_db()
    assert len(questions_of(gwent.slug)) == 17 and "" not in questions_of(gwent.slug)
    assert gwent.outcome == FoiOutcome.PARTIALLY_SUCCESSFUL


def load_with(tmp_path, monkeypatch, old: str, new: str) -> str:
    """Load a copy of the seed file with `old` (found once) changed to `new`: the error, in one line."""
    text = seed.SEED_TOML.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / "seed.toml"
    path.write_text(text.replace(old, new))
    monkeypatch.setattr(seed, "SEED_TOML", path)
    with pytest.raises(CommandError) as error:
        call_command("load_seed_data")
    assert error.value.returncode != 0  # the command's exit status
    assert Force.objects.count() == 0  # nothing written
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_question_marker_not_in_its_document_is_refused(db, tmp_path, monkeypatch):
    message = load_with(tmp_path, monkeypatch, 'start = "**Knife Crime DPIA conducted"', 'start = "**Knife DPIA done"')
    assert message == (
        "Seed data not loaded: request west-midlands-855a-22, question '1g': "
        "west-midlands-855a-22-attachment.txt: start marker '**Knife DPIA done' not found"
    )


def test_a_quote_citing_a_question_the_request_does_not_have_is_refused(db, tmp_path, monkeypatch):
    old = 'question = "2h"\n    field = "conducted"'
    message = load_with(tmp_path, monkeypatch, old, old.replace("2h", "2z"))
    assert message.startswith(
        "Seed data not loaded: deployment of west-midlands-iom-model at west-midlands, dpia: "
        "question '2z' is not one of the questions of west-midlands-855a-22 ('1', '1a',"
    )


def test_a_quote_citing_the_wrong_question_is_refused(db, tmp_path, monkeypatch):
    old = 'question = "2h"\n    field = "conducted"'
    message = load_with(tmp_path, monkeypatch, old, old.replace("2h", "2g"))
    assert "quote not found in question 2g of west-midlands-855a-22: 'DPIA conducted 01/10/2019'" in message


def test_a_request_outcome_its_questions_contradict_is_refused(db, tmp_path, monkeypatch):
    old = 'slug = "west-midlands-855a-22"\n'
    message = load_with(tmp_path, monkeypatch, old, old + 'outcome = "successful"\n')
    assert message.endswith("outcome 'successful' but its questions give 'partially_successful'")


def test_the_project_reads_only_its_own_copies(settings):
    assert "shared" not in str(seed.FORCES_CSV)
    assert seed.FORCES_CSV.is_relative_to(settings.BASE_DIR)
    assert settings.SOURCE_DOCUMENTS_DIR.is_relative_to(settings.BASE_DIR)


def test_forces_only_loads_the_reference_data_and_no_facts(db):
    call_command("load_seed_data", "--forces-only", verbosity=0)
    assert Force.objects.count() == 48
    assert not Tool.objects.exists() and not FoiRequest.objects.exists()
