"""Nothing leaks: a draft changes no public response.

A published world is built, and every public response an anonymous reader can
get from it is recorded: each list page (with its facets) and API list (JSON
and CSV) under every value of every filter of every FilterSet, search, the
transparency matrix, the figures, the FOI statistics, the detail pages, the
change log and its feed, the dump. Then drafts of every kind are added (a draft
deployment of a published tool at a published force, a draft tool, a draft
force with deployments, draft assessments, a draft FOI request with its
categories and exemptions, a draft evidence source...) and every response must
be byte for byte what it was.

The FilterSets, their filters and the pages and endpoints serving them are
discovered (the FilterSets defined in the apps' `filters` modules, the API
router's viewsets, the URLs of the list views), and each filter's values come
from its kind and the published data: a filter added later is checked without
an edit here; a filter of a kind this test does not know how to fill fails it.
"""

import datetime
from unittest import mock
from urllib.parse import urlencode

import django_filters
import pytest
from django.core.cache import cache
from django.utils import timezone

import foi_requests.filters
import register.filters
from core.filters import FollowsPublished, WrittenDateFilter
from core.search import public_rows, relation_field
from foi_requests.models import CategoryAsked, Exemption, FoiOutcome
from register.models import (
    AssessmentKind,
    AssessmentResult,
    DeploymentStatus,
    Evidence,
    Force,
    ForceKind,
    Nation,
    Origin,
    Source,
    SourceKind,
    Technique,
    ToolCategory,
)
from sitewide.api_urls import router
from tests.factories import (
    AssessmentFactory,
    DeploymentFactory,
    ExemptionFactory,
    FoiRequestFactory,
    ForceFactory,
    SupplierFactory,
    ToolFactory,
)
from tests.site_map import api_lists, by_filterset, list_pages

pytestmark = pytest.mark.django_db

FILTER_MODULES = (register.filters, foi_requests.filters)
# Words of the published records that the drafts share, so that a search
# following a draft would find something it must not.
WORDS = ("testshire", "hotspot", "risk", "acme", "predictive", "12(1)")
YEARS = (2016, 2019)
DATES = (datetime.date(2022, 3, 1), datetime.date(2023, 6, 1))
MOMENTS = (datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),)
# Pages that follow no filter, beside the list pages and the API lists.
PAGES = (
    "/",
    "/transparency/",
    "/transparency/?known=1",
    "/figures/",
    "/foi-requests/statistics/",
    "/changes/",
    "/feeds/changes/",
    "/api/dump/",
    "/api/foi-records/",
    "/api/exemptions/",
    "/api/schema/",
)


# The published world.


def build_world() -> dict:
    """Forces of every nation and kind, suppliers (one a team inside a force), tools
    of several categories, techniques and origins, deployments of every status with
    assessments and evidence, and FOI requests answered on time, late, refused (with
    exemptions), not held, or overdue."""
    w = {}
    w["cost"] = ExemptionFactory(act="FOIA", section="12(1)", name="Cost of compliance exceeds the limit")
    w["law"] = ExemptionFactory(act="FOIA", section="31(1)(a)", name="Law enforcement")
    w["scottish"] = ExemptionFactory(act="FOISA", section="35(1)(a)", name="Law enforcement")
    # Cited by drafts only.
    w["commercial"] = ExemptionFactory(act="FOIA", section="43(2)", name="Commercial interests")

    w["gwent"] = ForceFactory(name="Testshire Gwent Police", slug="gwent", nation=Nation.WALES)
    w["essex"] = ForceFactory(name="Testshire Essex Police", slug="essex", nation=Nation.ENGLAND)
    w["scotland"] = ForceFactory(name="Police Scotland", slug="police-scotland", nation=Nation.SCOTLAND)
    w["transport"] = ForceFactory(
        name="Testshire Transport Police", slug="transport", nation=Nation.GREAT_BRITAIN, kind=ForceKind.SPECIAL
    )

    w["acme"] = SupplierFactory(name="Acme Analytics", slug="acme", description="Hotspot and risk models.")
    w["essex_team"] = SupplierFactory(name="Essex Acme Data Team", slug="essex-team", force=w["essex"])

    w["hotspot"] = ToolFactory(
        name="Hotspot Mapper",
        slug="hotspot-mapper",
        category=ToolCategory.MAPPING,
        technique=Technique.MACHINE_LEARNING,
        origin=Origin.BOUGHT,
        supplier=w["acme"],
        description="Predictive hotspot maps.",
    )
    w["risk"] = ToolFactory(
        name="Risk Score",
        slug="risk-score",
        category=ToolCategory.INDIVIDUAL_RISK,
        technique=Technique.STATISTICAL_MODEL,
        origin=Origin.IN_HOUSE,
        supplier=w["essex_team"],
        description="Scores the risk of reoffending.",
    )
    w["dashboard"] = ToolFactory(
        name="Acme Dashboard",
        slug="acme-dashboard",
        category=ToolCategory.DASHBOARD,
        technique=Technique.RULES,
        origin=Origin.BOUGHT,
        supplier=w["acme"],
        description="Risk and demand dashboards.",
    )
    w["faces"] = ToolFactory(
        name="Face Matcher",
        slug="face-matcher",
        category=ToolCategory.BIOMETRICS,
        technique=Technique.UNKNOWN,
        origin=Origin.UNKNOWN,
        supplier=None,
        description="Matches faces against a watch list.",
    )

    def deployment(force, tool, status, started=None, ended=None, purpose="Predictive policing of risk."):
        return DeploymentFactory(
            force=w[force], tool=w[tool], status=status, started=started, ended=ended, purpose=purpose
        )

    w["gwent_hotspot"] = deployment("gwent", "hotspot", DeploymentStatus.IN_USE, "2019-03")
    w["essex_risk"] = deployment("essex", "risk", DeploymentStatus.PILOT, "2021")
    w["essex_hotspot"] = deployment("essex", "hotspot", DeploymentStatus.DISCONTINUED, "2015", "2018")
    w["scotland_dashboard"] = deployment("scotland", "dashboard", DeploymentStatus.DENIED)
    w["transport_faces"] = deployment("transport", "faces", DeploymentStatus.IN_USE, "2020-06-01")
    AssessmentFactory(deployment=w["gwent_hotspot"], kind=AssessmentKind.DPIA, result=AssessmentResult.CONDUCTED)
    AssessmentFactory(
        deployment=w["gwent_hotspot"], kind=AssessmentKind.EQUALITY, result=AssessmentResult.NOT_CONDUCTED
    )
    AssessmentFactory(
        deployment=w["essex_risk"],
        kind=AssessmentKind.BIAS_TESTING,
        result=AssessmentResult.CONDUCTED,
        conducted="2021-05",
    )
    AssessmentFactory(
        deployment=w["transport_faces"], kind=AssessmentKind.LEGAL_OPINION, result=AssessmentResult.WITHHELD
    )

    def request(force, reference, outcome, received=None, responded=None, categories=(), exemptions=()):
        made = FoiRequestFactory(
            force=w[force],
            reference=reference,
            title="Predictive policing and risk tools",
            outcome=outcome,
            date_received=received,
            date_responded=responded,
        )
        for category in categories:
            CategoryAsked.objects.create(foi_request=made, category=category)
        made.exemptions.add(*(w[name] for name in exemptions))
        return made

    w["gwent_late"] = request(
        "gwent",
        "GW/1",
        FoiOutcome.REFUSED,
        datetime.date(2022, 1, 10),
        datetime.date(2022, 3, 1),
        (ToolCategory.MAPPING, ToolCategory.INDIVIDUAL_RISK),
        ("cost",),
    )
    w["gwent_ncnd"] = request(
        "gwent", "GW/2", FoiOutcome.NEITHER_CONFIRM_NOR_DENY, datetime.date(2022, 4, 1), datetime.date(2022, 4, 20)
    )
    w["essex_on_time"] = request(
        "essex",
        "EX/1",
        FoiOutcome.SUCCESSFUL,
        datetime.date(2022, 5, 2),
        datetime.date(2022, 5, 20),
        (ToolCategory.DASHBOARD,),
        ("law",),
    )
    w["scotland_not_held"] = request(
        "scotland",
        "PS/1",
        FoiOutcome.NOT_HELD,
        datetime.date(2023, 2, 1),
        datetime.date(2023, 2, 20),
        (ToolCategory.BIOMETRICS,),
        ("scottish",),
    )
    w["transport_overdue"] = request(
        "transport", "TP/1", FoiOutcome.AWAITING_RESPONSE, datetime.date(2023, 1, 2), None, (ToolCategory.PEOPLE_LIST,)
    )

    document = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Acme annual report", url="https://example.org/acme", is_published=True
    )
    Evidence.objects.create(source=w["gwent_late"].source, deployment=w["gwent_hotspot"], quote="We use it.")
    Evidence.objects.create(source=document, tool=w["hotspot"], quote="Hotspot Mapper predicts crime.")
    Evidence.objects.create(source=document, supplier=w["acme"], quote="Acme makes risk models.")
    return w


# The drafts.

DRAFT_URLS = (
    "/forces/draft-force/",
    "/api/forces/draft-force/",
    "/tools/draft-tool/",
    "/api/tools/draft-tool/",
    "/api/suppliers/draft-supplier/",
    "/suppliers/draft-supplier/",
    "/deployments/gwent/risk-score/",
    "/deployments/essex/draft-tool/",
    "/deployments/draft-force/hotspot-mapper/",
    "/foi-requests/gwent-draft-1/",
    "/api/foi-requests/gwent-draft-1/",
)


def add_drafts(w: dict) -> None:
    """Drafts of every kind, each sharing the published records' words, categories,
    statuses, nations, dates and exemptions, so that any filter, facet, count or
    search that follows one would change a response."""
    published_forces = [w[name] for name in ("gwent", "essex", "scotland", "transport")]
    published_tools = [w[name] for name in ("hotspot", "risk", "dashboard", "faces")]
    published_deployments = [
        w[name] for name in ("gwent_hotspot", "essex_risk", "essex_hotspot", "scotland_dashboard", "transport_faces")
    ]

    def everything_assessed(deployment, **kwargs):
        for kind in AssessmentKind.values:
            AssessmentFactory(deployment=deployment, kind=kind, result=AssessmentResult.CONDUCTED, **kwargs)

    def draft_request(force, reference, outcome, **kwargs):
        made = FoiRequestFactory(
            force=force,
            reference=reference,
            title="Predictive policing: hotspot and risk tools (Acme)",
            outcome=outcome,
            date_received=datetime.date(2022, 2, 1),
            **kwargs,
        )
        for category in ToolCategory.values:
            CategoryAsked.objects.create(foi_request=made, category=category)
        made.exemptions.add(*Exemption.objects.all())
        return made

    # A researcher's draft deployment of a published tool at a published force (the case).
    deployment = DeploymentFactory(
        force=w["gwent"],
        tool=w["risk"],
        status=DeploymentStatus.IN_USE,
        started="2019",
        purpose="Predictive hotspot and risk scoring.",
        is_published=False,
    )
    everything_assessed(deployment)
    Evidence.objects.create(source=w["gwent_late"].source, deployment=deployment, quote="Risk Score is in use.")

    # A draft supplier (in house at a published force) and its draft tool, used by published forces.
    supplier = SupplierFactory(
        name="Testshire Acme Risk Unit", slug="draft-supplier", force=w["gwent"], is_published=False
    )
    tool = ToolFactory(
        name="Hotspot Risk Predictor",
        slug="draft-tool",
        category=ToolCategory.MAPPING,
        technique=Technique.MACHINE_LEARNING,
        origin=Origin.IN_HOUSE,
        supplier=supplier,
        description="Predictive hotspot and risk maps by Acme.",
        is_published=False,
    )
    for force in published_forces:
        # Published deployments of the draft tool: public only with their tool.
        everything_assessed(DeploymentFactory(force=force, tool=tool, status=DeploymentStatus.IN_USE, started="2019"))
    Evidence.objects.create(source=w["gwent_late"].source, tool=tool, quote="Hotspot Risk Predictor.")
    Evidence.objects.create(source=w["gwent_late"].source, supplier=supplier, quote="Acme risk unit.")

    # A draft force (of every nation's words) with published deployments of published tools, and requests.
    force = ForceFactory(
        name="Testshire Hotspot Constabulary", slug="draft-force", nation=Nation.WALES, is_published=False
    )
    for published_tool in published_tools:
        everything_assessed(
            DeploymentFactory(force=force, tool=published_tool, status=DeploymentStatus.PILOT, started="2019")
        )
    SupplierFactory(name="Draft Force Acme Team", slug="draft-force-team", force=force, is_published=False)
    for outcome in FoiOutcome.values:
        draft_request(force, f"DF/{outcome}", outcome)

    # Draft assessments of published deployments.
    for published in published_deployments:
        everything_assessed(published, is_published=False)

    # Draft FOI requests to published forces, about every category, citing every exemption.
    for published_force in published_forces:
        for index, outcome in enumerate(FoiOutcome.values):
            reference = "DRAFT/1" if index == 0 else f"DRAFT/{outcome}"
            draft = draft_request(published_force, reference, outcome, is_published=False)
            # What it answered, quoted as evidence for published records.
            Evidence.objects.create(source=draft.source, deployment=published_deployments[0], quote="Draft answer.")

    # A draft evidence source: a document not yet published, quoted for published records.
    source = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Testshire hotspot review", url="https://example.org/draft", is_published=False
    )
    for record in published_tools:
        Evidence.objects.create(source=source, tool=record, quote="Draft document.")
    for record in published_deployments:
        Evidence.objects.create(source=source, deployment=record, quote="Draft document.")
        for assessment in record.assessments.all():
            Evidence.objects.create(source=source, assessment=assessment, quote="Draft document.")
    Evidence.objects.create(source=source, supplier=w["acme"], quote="Draft document.")


# Discovery: the FilterSets, their filters, the pages and endpoints serving them.


def declared_filtersets() -> set[type[django_filters.FilterSet]]:
    found = set()
    for module in FILTER_MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                found.add(value)
    return found


def filter_values(filterset_class, name: str) -> list[str]:
    """Values for one filter, from its kind and the published data."""
    filter_ = filterset_class.base_filters[name]
    form_field = filterset_class(queryset=filterset_class._meta.model._default_manager.none()).form.fields[name]
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter | django_filters.ModelChoiceFilter):
        # Every record that may be chosen (published ones): the drafts' links end at them.
        key = filter_.extra.get("to_field_name") or "pk"
        return [str(getattr(record, key)) for record in form_field.queryset]
    if isinstance(
        filter_, django_filters.OrderingFilter | django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter
    ):
        return [str(value) for value, _label in form_field.choices if value != ""]
    if isinstance(filter_, django_filters.BooleanFilter):
        return ["true", "false"]
    if isinstance(filter_, django_filters.IsoDateTimeFilter | django_filters.DateTimeFilter):
        return [moment.isoformat() for moment in MOMENTS]
    if isinstance(filter_, django_filters.DateFilter):
        return [date.isoformat() for date in DATES]
    if isinstance(filter_, WrittenDateFilter):  # a year, and a month as people write it
        return [str(YEARS[0]), f"March {YEARS[1]}"]
    if isinstance(filter_, django_filters.NumberFilter):
        return [str(year) for year in YEARS]
    if isinstance(filter_, django_filters.CharFilter):
        return list(WORDS)
    pytest.fail(f"{filterset_class.__name__}.{name}: no values for a {type(filter_).__name__}; teach filter_values")


def filter_urls() -> list[str]:
    """Every list page and API list (JSON and CSV), unfiltered and under each value of each filter."""
    pages, lists = by_filterset(list_pages()), by_filterset(api_lists())
    urls = []
    for filterset_class in sorted(declared_filtersets() | set(pages) | set(lists), key=lambda cls: cls.__name__):
        bases = pages.get(filterset_class, [])
        api_bases = lists.get(filterset_class, [])
        assert bases or api_bases, f"{filterset_class.__name__} serves no public list: nothing checks it"
        queries = [{}] + [
            {name: value} for name in filterset_class.base_filters for value in filter_values(filterset_class, name)
        ]
        for query in queries:
            urls += [f"{base}?{urlencode(query)}" if query else base for base in bases]
            urls += [f"{base}?{urlencode({**query, 'format': fmt})}" for base in api_bases for fmt in ("json", "csv")]
    return urls


def other_urls() -> list[str]:
    """The pages that follow no filter: search, the matrix, the figures, and each
    published record's page and API detail (every resource of the API's router)."""
    urls = list(PAGES)
    urls += [f"/search/?{urlencode({'q': word})}" for word in WORDS]
    urls += [f"/transparency/?nation={nation}" for nation in Nation.values]
    for prefix, viewset, _basename in router.registry:
        lookup = getattr(viewset, "lookup_field", "pk")
        for record in public_rows(viewset.serializer_class.Meta.model):
            if hasattr(record, "get_absolute_url"):
                urls.append(record.get_absolute_url())
            # An exemption is addressed by its code, e.g. FOIA-12(1).
            key = f"{record.act}-{record.section}" if isinstance(record, Exemption) else getattr(record, lookup)
            urls.append(f"/api/{prefix}/{key}/")
    urls += [f"/api/foi-records/?force={force.slug}" for force in public_rows(Force)]
    return [*dict.fromkeys(urls), *DRAFT_URLS]


def record(client, urls: list[str], now: datetime.datetime) -> dict[str, tuple[int, bytes]]:
    """Each URL's status and body for an anonymous reader, from an empty cache
    (cached figures, pages and exports, and the throttle's counts), at a fixed moment
    (the dump states when it was made)."""
    responses = {}
    with mock.patch.object(timezone, "now", return_value=now):
        for url in urls:
            cache.clear()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            responses[url] = (response.status_code, body)
    cache.clear()
    return responses


def first_difference(before: bytes, after: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), min(len(before), len(after)))
    return f"before: …{before[max(0, at - 80) : at + 80]!r}\n after: …{after[max(0, at - 80) : at + 80]!r}"


# The responses are many: they are compared in parts, which run side by side (pytest-xdist).
PARTS = 6


@pytest.mark.parametrize("part", range(PARTS))
def test_no_draft_changes_any_public_response(client, part):
    world = build_world()
    urls = (filter_urls() + other_urls())[part::PARTS]
    now = timezone.now()
    before = record(client, urls, now)
    for url, (status, _body) in before.items():
        assert status == (404 if url in DRAFT_URLS else 200), url

    add_drafts(world)
    after = record(client, urls, now)

    changed = [url for url in urls if after[url] != before[url]]
    details = "\n".join(
        f"{url} ({before[url][0]} → {after[url][0]})\n{first_difference(before[url][1], after[url][1])}"
        for url in changed[:10]
    )
    assert not changed, (
        f"{len(changed)} of {len(urls)} public responses changed with drafts: {changed}\nThe first:\n{details}"
    )


def follows_a_relation(model, path: str) -> bool:
    """Whether a filter on `path` reads other records than the row: through a
    to-many relation, or a field of a record the row points to (a path ending at a
    record it points to, `force`, reads the row's own column)."""
    names = path.split("__")
    for index, name in enumerate(names):
        field = relation_field(model, name)
        if field is None:
            return False
        if field.one_to_many or field.many_to_many or index < len(names) - 1:
            return True
        model = field.related_model
    return False


def test_every_filter_that_follows_a_relation_applies_the_publication_rule():
    """By construction: a filter reading records the row reaches is one that goes
    through published records only (`core.filters.FollowsPublished`), or its own
    method (which the responses above check)."""
    checked = 0
    for filterset_class in declared_filtersets() | {cls for _, cls in api_lists() + list_pages()}:
        model = filterset_class._meta.model
        for name, filter_ in filterset_class.base_filters.items():
            if filter_.method is not None or isinstance(filter_, django_filters.OrderingFilter):
                continue
            if follows_a_relation(model, filter_.field_name):
                checked += 1
                assert isinstance(filter_, FollowsPublished), f"{filterset_class.__name__}.{name} follows drafts"
    assert checked


def test_search_finds_a_record_through_published_records_only(client):
    """A published tool may name a supplier still in draft: a search for the
    supplier's words does not find the tool, on either backend."""
    draft = SupplierFactory(name="Zanzibar Analytics", slug="zanzibar", is_published=False)
    ToolFactory(name="Crime Mapper", slug="crime-mapper", supplier=draft)
    published = SupplierFactory(name="Quokka Analytics", slug="quokka")
    ToolFactory(name="Demand Mapper", slug="demand-mapper", supplier=published)

    for query, found in (("zanzibar", []), ("zanzibar analytics", []), ("quokka", ["demand-mapper"])):
        cache.clear()
        response = client.get("/api/tools/", {"search": query})
        assert [tool["slug"] for tool in response.json()["results"]] == found, query
        cache.clear()
        page = client.get("/search/", {"q": query}).content.decode()
        assert ("Demand Mapper" in page) == bool(found) and "Crime Mapper" not in page, query


def test_a_draft_supplier_is_not_named_on_its_published_tool(client):
    supplier = SupplierFactory(name="Unannounced Vendor Ltd", slug="unannounced-vendor", is_published=False)
    tool = ToolFactory(name="Vendor Map", slug="vendor-map", supplier=supplier)
    DeploymentFactory(tool=tool)
    for url in (
        "/tools/",
        f"/tools/{tool.slug}/",
        "/search/?q=vendor",
        "/api/tools/",
        f"/api/tools/{tool.slug}/",
        "/api/tools/?format=csv",
        "/api/dump/",
    ):
        cache.clear()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"Unannounced" not in body and b"unannounced-vendor" not in body, url
    data = client.get(f"/api/tools/{tool.slug}/").json()
    assert (data["supplier"], data["supplier_name"]) == (None, None)
