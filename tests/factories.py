"""Factories for the register's records. Published by default: a test about
drafts says so explicitly with `is_published=False`. `sourced=True` gives a record
a quote for each fact it shows, as publishing through the admin, the API or an
import requires (a page shows a value only with a published quote)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from foi_requests.models import CategoryAsked, Exemption, FoiOutcome, FoiRequest
from register.models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Deployment,
    DeploymentStatus,
    Evidence,
    Force,
    Nation,
    Source,
    SourceKind,
    Supplier,
    Tool,
    ToolCategory,
)
from register.sourcing import unsourced_fields


def cite_every_fact(record, foi_request=None) -> None:
    """Quote a published FOI answer for each fact the record shows without a source (the
    record itself when none), so that it may be published and its page shows each value."""
    foi_request = foi_request or FoiRequestFactory()
    target = {"deployment": None, type(record)._meta.model_name: record}
    for name in unsourced_fields(record) or [""]:
        EvidenceFactory(foi_request=foi_request, field=name if name in type(record).FACTS else "", **target)


def add_sources(record, create: bool, extracted, **kwargs) -> None:
    """`sourced=True`: the record gets a quote for each fact it shows (`cite_every_fact`)."""
    if create and extracted:
        cite_every_fact(record)


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testshire Constabulary {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    nation = Nation.ENGLAND
    is_published = True


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        skip_postgeneration_save = True  # `sourced` adds evidence, leaving the record as saved

    name = factory.Sequence(lambda n: f"Analytics Supplier {n} Ltd")
    slug = factory.Sequence(lambda n: f"analytics-supplier-{n}")
    is_published = True
    sourced = factory.PostGeneration(add_sources)


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool
        skip_postgeneration_save = True  # `sourced` adds evidence, leaving the record as saved

    name = factory.Sequence(lambda n: f"Risk Model {n}")
    slug = factory.Sequence(lambda n: f"risk-model-{n}")
    category = ToolCategory.INDIVIDUAL_RISK
    description = "Scores individuals for their risk of offending."
    is_published = True
    sourced = factory.PostGeneration(add_sources)


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deployment
        skip_postgeneration_save = True  # `sourced` adds evidence, leaving the record as saved

    force = factory.SubFactory(ForceFactory)
    tool = factory.SubFactory(ToolFactory)
    status = DeploymentStatus.IN_USE
    is_published = True
    sourced = factory.PostGeneration(add_sources)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True  # `sourced` adds evidence, leaving the record as saved

    deployment = factory.SubFactory(DeploymentFactory)
    kind = AssessmentKind.DPIA
    result = AssessmentResult.CONDUCTED
    is_published = True
    sourced = factory.PostGeneration(add_sources)


class ExemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exemption
        django_get_or_create = ("act", "section")

    act = "FOIA"
    section = "12(1)"
    name = "Cost of compliance exceeds the appropriate limit"


class FoiRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoiRequest

    force = factory.SubFactory(ForceFactory)
    reference = factory.Sequence(lambda n: f"FOI/{n:05d}/22")
    title = "Predictive policing"
    request_text = "1. Does your force use predictive policing?"
    response_text = "1. No information held."
    outcome = FoiOutcome.SUCCESSFUL
    is_published = True


class CategoryAskedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryAsked

    foi_request = factory.SubFactory(FoiRequestFactory)
    category = ToolCategory.INDIVIDUAL_RISK


def evidence_source(evidence) -> Source | None:
    """The answer's source of `foi_request`, else a published document's (None without an address)."""
    if evidence.foi_request is not None:
        return evidence.foi_request.source
    if not evidence.document_url:
        return None
    return Source.objects.create(
        kind=SourceKind.DOCUMENT, title=evidence.document_title, url=evidence.document_url, is_published=True
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Quotes an FOI answer by default; `foi_request=None, document_url=...` quotes a published document."""

    class Meta:
        model = Evidence

    class Params:
        foi_request = factory.SubFactory(FoiRequestFactory)
        document_title = ""
        document_url = ""

    source = factory.LazyAttribute(evidence_source)
    question_number = "1"
    quote = "No information held."  # found in `FoiRequestFactory.response_text`
    deployment = factory.SubFactory(DeploymentFactory)
    field = "status"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"researcher{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


def researcher_client(*permissions: str) -> APIClient:
    """An API client with a token, for a new user holding these permissions (codenames)."""
    user = UserFactory()
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
