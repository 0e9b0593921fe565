"""The register's lists as the code declares them: each HTML list page (from the
URL configuration) and each API list (from the router), with its FilterSet.
Tests that must cover every list take them from here, so a list added later is
covered without editing them."""

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from core.list_views import FacetedListView
from sitewide.api_urls import router


def list_pages() -> list[tuple[str, type]]:
    """Each HTML list page (a FacetedListView): (path, FilterSet)."""
    pages = []

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if not isinstance(pattern.pattern, RoutePattern):
                continue
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route:
                view_class = getattr(pattern.callback, "view_class", None)
                if isinstance(view_class, type) and issubclass(view_class, FacetedListView):
                    pages.append((f"/{route}", view_class.filterset_class))

    walk(get_resolver().url_patterns, "")
    return pages


def api_lists() -> list[tuple[str, type]]:
    """Each API list with a FilterSet: (path, FilterSet)."""
    return [
        (f"/api/{prefix}/", viewset.filterset_class)
        for prefix, viewset, _basename in router.registry
        if getattr(viewset, "filterset_class", None) is not None
    ]


def by_filterset(lists: list[tuple[str, type]]) -> dict[type, list[str]]:
    paths: dict[type, list[str]] = {}
    for path, filterset_class in lists:
        paths.setdefault(filterset_class, []).append(path)
    return paths
