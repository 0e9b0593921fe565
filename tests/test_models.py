"""Database constraints and model rules refuse what they should."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.partial_dates import PartialDate
from register.models import Deployment, FoiAct, Nation

from .factories import DeploymentFactory, EvidenceFactory, FoiRequestFactory, ForceFactory, ToolFactory

pytestmark = pytest.mark.django_db


def test_one_deployment_per_force_and_tool():
    deployment = DeploymentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Deployment.objects.create(force=deployment.force, tool=deployment.tool)


def test_same_tool_can_be_deployed_by_two_forces():
    tool = ToolFactory()
    DeploymentFactory(tool=tool)
    DeploymentFactory(tool=tool)
    assert tool.deployments.count() == 2


@pytest.mark.parametrize(
    ("started", "ended"),
    [("2021-11", "2020"), ("2021-11-05", "2021-10"), ("2019", "2018-12-31")],
)
def test_end_before_start_is_refused_by_the_database(started, ended):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeploymentFactory(started=started, ended=ended)


@pytest.mark.parametrize(
    ("started", "ended"),
    # An end known only to the year may follow a start in the same year.
    [("2021-11", "2021"), ("2021", "2021-03"), ("2021-11-05", "2021-11"), ("2008", "2022-06-30")],
)
def test_end_at_or_after_start_is_accepted(started, ended):
    deployment = DeploymentFactory(started=started, ended=ended)
    deployment.full_clean()


def test_clean_explains_an_end_before_the_start():
    deployment = DeploymentFactory.build(force=ForceFactory(), tool=ToolFactory(), started="2022-05", ended="2021")
    with pytest.raises(ValidationError) as error:
        deployment.full_clean()
    assert "The end cannot be before the start." in str(error.value)


def test_partial_dates_keep_their_precision():
    deployment = DeploymentFactory(started="2021-11")
    deployment.refresh_from_db()
    assert deployment.started == PartialDate(2021, 11)
    assert deployment.started.label == "November 2021"
    assert deployment.started.precision == "month"
    assert PartialDate.parse("2008").label == "2008"
    assert PartialDate.parse("2019-11-27").label == "27 November 2019"


@pytest.mark.parametrize("text", ["Nov 2021", "2021-13", "2021-02-30", "21", "2021-1"])
def test_invalid_partial_dates_are_refused(text):
    deployment = DeploymentFactory.build(force=ForceFactory(), tool=ToolFactory(), started=text)
    with pytest.raises(ValidationError):
        deployment.full_clean()


def test_slugs_are_unique():
    ToolFactory(slug="qlikview")
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolFactory(slug="qlikview")


def test_reference_is_unique_per_authority_but_not_across_authorities():
    first = FoiRequestFactory(reference="123/22")
    FoiRequestFactory(reference="123/22")  # another force may use the same number
    with pytest.raises(IntegrityError), transaction.atomic():
        FoiRequestFactory(force=first.force, reference="123/22")


def test_answer_cannot_predate_receipt():
    with pytest.raises(IntegrityError), transaction.atomic():
        FoiRequestFactory(date_received="2022-06-29", date_responded="2022-06-01")


def test_evidence_supports_exactly_one_record():
    evidence = EvidenceFactory()
    evidence.tool = ToolFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        evidence.save()


def test_evidence_needs_a_source():
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(foi_request=None, document_url="")


def test_evidence_field_must_exist_on_its_record():
    evidence = EvidenceFactory.build(foi_request=FoiRequestFactory(), deployment=DeploymentFactory(), field="colour")
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "colour" in str(error.value)


def test_foi_law_follows_the_nation():
    assert ForceFactory(nation=Nation.SCOTLAND).foi_act == FoiAct.FOISA
    assert ForceFactory(nation=Nation.NORTHERN_IRELAND).foi_act == FoiAct.FOIA
    assert ForceFactory(nation=Nation.UNITED_KINGDOM).foi_act == FoiAct.FOIA


def test_drafts_are_not_published():
    DeploymentFactory(is_published=False)
    DeploymentFactory(tool=ToolFactory(is_published=False))
    visible = DeploymentFactory()
    assert list(Deployment.objects.published()) == [visible]


def test_evidence_from_an_unpublished_request_is_not_published():
    hidden = EvidenceFactory(foi_request=FoiRequestFactory(is_published=False))
    shown = EvidenceFactory()
    published = list(type(shown).objects.published())
    assert shown in published
    assert hidden not in published
