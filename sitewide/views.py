"""Site-wide pages that draw on both apps."""

import re
from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from core.addresses import FormerSlugRedirectMixin
from core.caching import cached
from core.previews import DraftPreviewMixin, readable
from core.search import fold
from foi_requests.filters import FoiRequestFilter
from foi_requests.models import FoiRequest
from foi_requests.transparency import (
    Disclosure,
    known_and_never_asked,
    matrix_summary,
    states_for,
    transparency_matrix,
)
from register.filters import DeploymentFilter, ForceFilter, ToolFilter
from register.findings import category_finding
from register.models import Deployment, Evidence, Force, Nation, Supplier, Tool, ToolCategory
from register.views import deployment_details

from .changes import public_changes
from .charts import deployments_started_per_year, foi_outcomes_per_force
from .force_map import DEFAULT_CATEGORY, force_map, map_of_rows
from .forms import ForceMapForm, SearchForm, TransparencyForm
from .pages import method_glossaries


def favicon(request) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class HomeView(TemplateView):
    """The overview: a search box, a finding, what the register holds, the latest changes."""

    template_name = "home.html"
    latest_changes = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = cached(
            "home-counts",
            "",
            lambda: {
                "forces": Force.objects.published().count(),
                "suppliers": Supplier.objects.published().count(),
                "tools": Tool.objects.published().count(),
                "deployments": Deployment.objects.published().count(),
                "foi_requests": FoiRequest.objects.published().count(),
                "evidence": Evidence.objects.published().count(),
            },
        )
        context["finding"] = cached("home-finding", "", category_finding)
        context["changes"] = cached("home-changes", self.latest_changes, lambda: public_changes(self.latest_changes))
        category, unknown = chosen_map_category(self.request)
        context["force_map"] = cached(
            "force-map", category, lambda: force_map(states_for(Force.objects.published(), category), category)
        )
        context["unknown_map_category"] = unknown
        return context


def chosen_map_category(request) -> tuple[str, bool]:
    """The kind of tool the map of the forces shows (?map_category=), and whether
    the value asked for was unknown (the map then shows the default kind)."""
    form = ForceMapForm(request.GET)
    form.is_valid()
    return form.cleaned_data.get("map_category") or DEFAULT_CATEGORY, form.has_error("map_category")


class SearchView(TemplateView):
    """/search/?q=: published tools, forces, deployments and FOI requests
    matching the query, grouped by kind, each group through its list's
    FilterSet so that "see all" on the list gives the same rows."""

    template_name = "search.html"
    per_group = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context["query"] = query
        # A story sends many people to the same words: cached until the next edit.
        context["groups"] = cached("search", query, lambda: search_groups(query, self.per_group)) if query else []
        context["total"] = sum(group["total"] for group in context["groups"])
        corrections: dict[str, list[str]] = {}
        for group in context["groups"]:
            for typed, words in group["corrections"].items():
                searched = corrections.setdefault(typed, [])
                searched += [word for word in words if word not in searched]
        # What was searched for, when misspelt words were replaced: said on the page, and marked in the results.
        context["searched_for"] = corrected_query(query, corrections) if corrections else ""
        context["misspelt"] = [word for word in query_words_as_typed(query) if fold(word) in corrections]
        context["marked"] = context["searched_for"] or query
        return context


def query_words_as_typed(query: str) -> list[str]:
    return re.findall(r"[^\W_]+", query)


def corrected_query(query: str, corrections: dict[str, list[str]]) -> str:
    """`query` with each misspelt word replaced by the words searched instead:
    "knfie crime" becomes "knife crime", "qlikveiw" "qlikview or qlikviews"."""

    def replace(match: re.Match) -> str:
        words = corrections.get(fold(match.group(0)))
        return " or ".join(words) if words else match.group(0)

    return re.sub(r"[^\W_]+", replace, query)


def search_groups(query: str, limit: int) -> list[dict]:
    """Each kind of record with its first `limit` matches and their total."""
    kinds = [
        ("tools", "Tools", ToolFilter, Tool.objects.published().select_related("supplier"), "register:tool-list"),
        ("forces", "Forces", ForceFilter, Force.objects.published(), "register:force-list"),
        (
            "deployments",
            "Who uses what",
            DeploymentFilter,
            deployment_details(),  # each shown with its status and safeguards, as on its page
            "register:deployment-list",
        ),
        (
            "foi_requests",
            "FOI requests",
            FoiRequestFilter,
            FoiRequest.objects.published().select_related("force"),
            "foi_requests:list",
        ),
    ]
    groups = []
    for key, label, filterset_class, queryset, list_url in kinds:
        noun = {"tools": "tools", "forces": "forces", "deployments": "deployments", "foi_requests": "FOI requests"}[key]
        filterset = filterset_class({"search": query}, queryset=queryset)
        rows = filterset.qs
        total = rows.count()
        # The best rows chosen by id first, from the indexes alone; then the details of those
        # only (a deployment's safeguard states are worked out for its ten rows, not every match).
        best = list(rows.values_list("pk", flat=True)[:limit]) if total else []
        results = sorted(queryset.filter(pk__in=best), key=lambda record: best.index(record.pk))
        groups.append(
            {
                "key": key,
                "label": label,
                "noun": noun,
                "total": total,
                "results": results,
                "list_url": f"{reverse(list_url)}?{urlencode({'search': query})}",
                "corrections": filterset.filters["search"].corrections,
            }
        )
    return groups


class TransparencyView(TemplateView):
    """Forces by tool category: what each force has disclosed, refused or never
    been asked. Combines the register and the FOI requests, hence lives here."""

    template_name = "transparency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = TransparencyForm(self.request.GET)
        query.is_valid()  # a value not accepted reads as none
        nation = query.cleaned_data.get("nation", "")
        forces = Force.objects.published()
        if nation:
            forces = forces.filter(nation=nation)
        rows = cached("transparency", nation, lambda: transparency_matrix(forces))
        summary = matrix_summary(rows)
        # What is known leads; the forces never asked anything are folded into a
        # count and a list (or left out with ?known=1).
        known_only = query.cleaned_data.get("known", False)
        known_rows, never_asked_rows = known_and_never_asked(rows)
        map_category, unknown_map_category = chosen_map_category(self.request)
        # The page's own filters, kept when the map's kind of tool changes.
        map_keep = [("nation", nation)] if nation else []
        if known_only:
            map_keep.append(("known", "1"))
        context.update(
            rows=known_rows if known_only else known_rows + never_asked_rows,
            known_rows=known_rows,
            never_asked_rows=[] if known_only else never_asked_rows,
            known_only=known_only,
            known_total=len(known_rows),
            force_total=len(rows),
            categories=ToolCategory.choices,
            states=Disclosure.choices,
            summary_rows=[
                (label, [summary[value][state] for state in Disclosure.values]) for value, label in ToolCategory.choices
            ],
            nations=Nation.choices,
            nation=nation,
            unknown_nation=query.has_error("nation"),
            # The map of the forces this page shows, from the same rows (no query more).
            force_map=map_of_rows(rows, map_category),
            unknown_map_category=unknown_map_category,
            map_keep=map_keep,
            kept_map_category="" if unknown_map_category else self.request.GET.get("map_category", ""),
        )
        return context


class FiguresView(TemplateView):
    """Charts drawn as inline SVG, each with its numbers as a table."""

    template_name = "figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        started, undated = cached("started-per-year", "", deployments_started_per_year)
        outcomes = cached("outcomes-per-force", "", foi_outcomes_per_force)
        context.update(started_chart=started, undated=undated, outcomes_chart=outcomes)
        return context


def foi_record(force: Force) -> list[tuple[str, str, int]]:
    """How a force's published FOI requests ended: (outcome, label, count), most frequent first."""
    requests = FoiRequest.objects.published().filter(force=force)
    outcome_field = requests.model._meta.get_field("outcome")
    labels = dict(outcome_field.choices)
    counts = requests.order_by().values_list("outcome").annotate(total=Count("pk")).order_by("-total", "outcome")
    return [(outcome, str(labels.get(outcome, outcome)), total) for outcome, total in counts]


class ForceDetailView(FormerSlugRedirectMixin, DraftPreviewMixin, DetailView):
    """A force's page: the tools it uses, by category, and its record of FOI answers.
    Staff preview a draft force (`core.previews`); its deployments and requests stay hidden."""

    template_name = "sitewide/force_detail.html"
    context_object_name = "force"
    deployments_shown = 50
    latest_foi_requests = 20

    def get_queryset(self):
        return readable(self.request, Force.objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deployments = deployment_details().filter(force=self.object).order_by("tool__category", "tool__name")
        totals = deployments.order_by("tool__category").values_list("tool__category").annotate(total=Count("pk"))
        list_url = reverse("register:deployment-list")
        by_category = {
            category: {
                "label": ToolCategory(category).label,
                "total": total,
                "deployments": [],
                "list_url": f"{list_url}?{urlencode({'force': self.object.slug, 'category': category})}",
            }
            for category, total in totals
        }
        # A force may use hundreds of tools: the first of each category here, all of them in the list.
        for deployment in deployments[: self.deployments_shown]:
            by_category[deployment.tool.category]["deployments"].append(deployment)
        context["deployments_by_category"] = by_category.values()
        context["deployment_total"] = sum(category["total"] for category in by_category.values())
        record = foi_record(self.object)
        context["foi_record"] = record
        context["foi_request_total"] = sum(total for _, _, total in record)
        # The busiest forces have received thousands: the latest here, all of them in the FOI list.
        # Through the force, so that each request knows its force without a query.
        requests = self.object.foi_requests.published().prefetch_related("exemptions")
        context["foi_requests"] = requests[: self.latest_foi_requests]
        # What it has disclosed about each kind of tool: its row of the transparency matrix,
        # read question by question (an answered question beside a refused one is a refusal).
        force = self.object
        context["disclosure"] = cached("force-transparency", force.pk, lambda: transparency_matrix([force])[0].cells)
        return context


class MethodView(TemplateView):
    """How a fact is made, and what each state the register shows means (`pages`)."""

    template_name = "sitewide/method.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["glossaries"] = method_glossaries()
        return context


def robots_txt(request) -> HttpResponse:
    """Crawlers may read every public page, not the admin nor the correction form; the sitemap lists the pages."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /corrections/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
