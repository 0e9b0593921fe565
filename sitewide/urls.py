"""The pages that read several apps: home, search, transparency, figures, a
force's page, the change log and its feed, deleted records (admin), and the API."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView

from corrections.models import CONTACT_RETENTION

from .addresses import citation_file, permanent_address
from .editorial_views import ChangeLogView, ChangesFeed, deleted_records_view
from .sitemaps import SITEMAPS
from .views import FiguresView, ForceDetailView, HomeView, MethodView, SearchView, TransparencyView, favicon, robots_txt

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("changes/", ChangeLogView.as_view(), name="changes"),
    path("feeds/changes/", ChangesFeed(), name="changes-feed"),
    path("admin/deleted-records/", admin.site.admin_view(deleted_records_view), name="admin-deleted-records"),
    # Evidence moved from the FOI requests' app to the register's: researchers' bookmarks still work.
    re_path(
        r"^admin/foi_requests/evidence/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/register/evidence/%(rest)s", query_string=True, permanent=True),
    ),
    path("search/", SearchView.as_view(), name="search"),
    path("transparency/", TransparencyView.as_view(), name="transparency"),
    path("figures/", FiguresView.as_view(), name="figures"),
    # A force's page shows its FOI record beside its tools: it reads both apps.
    path("forces/<slug:slug>/", ForceDetailView.as_view(), name="force-detail"),
    # A record's permanent address (its id, whatever its slug) and its citation files.
    path("r/<str:kind>/<str:key>/", permanent_address, name="permanent-address"),
    path("r/<str:kind>/<str:key>/cite.<str:suffix>", citation_file, name="citation-file"),
    path("api/", include("sitewide.api_urls")),
    # Where browsers look for an icon on pages that name none (the browsable API).
    path("favicon.ico", favicon),
    # The pages a public register owes its readers.
    path("about/", TemplateView.as_view(template_name="sitewide/about.html"), name="about"),
    path("method/", MethodView.as_view(), name="method"),
    path("accessibility/", TemplateView.as_view(template_name="sitewide/accessibility.html"), name="accessibility"),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="sitewide/privacy.html", extra_context={"retention_days": CONTACT_RETENTION.days}
        ),
        name="privacy",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]
