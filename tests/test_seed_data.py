"""`load_seed_data` holds the facts of the five source documents, each with its evidence."""

import pytest
from django.core.management import CommandError, call_command

from foi_requests import seed
from foi_requests.models import FoiOutcome, FoiRequest
from register.models import Assessment, Deployment, Evidence, Force, Nation, Tool

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
    sources = {}
    for evidence in Evidence.objects.select_related("source__foi_request"):
        request = evidence.source.foi_request
        if request.pk not in sources:
            sources[request.pk] = seed.normalise(request.request_text + " " + request.response_text)
        assert seed.normalise(evidence.quote) in sources[request.pk], evidence.quote


def test_loading_twice_changes_nothing(seed_data):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Force, Tool, Deployment, Assessment, FoiRequest, Evidence)
        } | {"history": Deployment.history.count()}

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


def test_the_project_reads_only_its_own_copies(settings):
    assert "shared" not in str(seed.FORCES_CSV)
    assert seed.FORCES_CSV.is_relative_to(settings.BASE_DIR)
    assert settings.SOURCE_DOCUMENTS_DIR.is_relative_to(settings.BASE_DIR)


def test_forces_only_loads_the_reference_data_and_no_facts(db):
    call_command("load_seed_data", "--forces-only", verbosity=0)
    assert Force.objects.count() == 48
    assert not Tool.objects.exists() and not FoiRequest.objects.exists()
