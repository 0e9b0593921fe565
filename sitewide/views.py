"""Site-wide pages that draw on both apps."""

from urllib.parse import urlencode

from django.urls import reverse
from django.views.generic import TemplateView

from core.caching import cached
from foi_requests.filters import FoiRequestFilter
from foi_requests.models import Evidence, FoiRequest
from foi_requests.transparency import Disclosure, matrix_summary, transparency_matrix
from register.filters import DeploymentFilter, ForceFilter, ToolFilter
from register.models import Deployment, Force, Nation, Tool, ToolCategory

from .charts import deployments_started_per_year, foi_outcomes_per_force


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = cached(
            "home-counts",
            "",
            lambda: {
                "forces": Force.objects.published().count(),
                "tools": Tool.objects.published().count(),
                "deployments": Deployment.objects.published().count(),
                "foi_requests": FoiRequest.objects.published().count(),
                "evidence": Evidence.objects.published().count(),
            },
        )
        return context


class SearchView(TemplateView):
    """/search/?q=: published tools, forces, deployments and FOI requests
    matching the query, grouped by kind, each group through its list's
    FilterSet so that "see all" on the list gives the same rows."""

    template_name = "search.html"
    per_group = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        context["query"] = query
        # A story sends many people to the same words: cached until the next edit.
        context["groups"] = cached("search", query, lambda: search_groups(query, self.per_group)) if query else []
        context["total"] = sum(group["total"] for group in context["groups"])
        return context


def search_groups(query: str, limit: int) -> list[dict]:
    """Each kind of record with its first `limit` matches and their total."""
    kinds = [
        ("tools", "Tools", ToolFilter, Tool.objects.published().select_related("supplier"), "register:tool-list"),
        ("forces", "Forces", ForceFilter, Force.objects.published(), "register:force-list"),
        (
            "deployments",
            "Who uses what",
            DeploymentFilter,
            Deployment.objects.published().select_related("force", "tool"),
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
        rows = filterset_class({"search": query}, queryset=queryset).qs
        total = rows.count()
        groups.append(
            {
                "key": key,
                "label": label,
                "noun": noun,
                "total": total,
                "results": list(rows[:limit]) if total else [],
                "list_url": f"{reverse(list_url)}?{urlencode({'search': query})}",
            }
        )
    return groups


class TransparencyView(TemplateView):
    """Forces by tool category: what each force has disclosed, refused or never
    been asked. Combines the register and the FOI requests, hence lives here."""

    template_name = "transparency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nation = self.request.GET.get("nation", "")
        forces = Force.objects.published()
        if nation in Nation.values:
            forces = forces.filter(nation=nation)
        rows = cached("transparency", nation, lambda: transparency_matrix(forces))
        summary = matrix_summary(rows)
        # Forces nobody has asked anything and about which nothing is known
        # can be folded away, so that what is known stands out.
        known_only = self.request.GET.get("known") == "1"
        known_rows = [row for row in rows if any(cell.state != Disclosure.NEVER_ASKED for cell in row.cells)]
        context.update(
            rows=known_rows if known_only else rows,
            known_only=known_only,
            known_total=len(known_rows),
            force_total=len(rows),
            categories=ToolCategory.choices,
            states=Disclosure.choices,
            summary_rows=[
                (label, [summary[value][state] for state in Disclosure.values]) for value, label in ToolCategory.choices
            ],
            nations=Nation.choices,
            nation=nation if nation in Nation.values else "",
            unknown_nation=bool(nation) and nation not in Nation.values,
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
