"""The pages that read several apps: home, search, transparency, figures, a
force's page, the change log and its feed, deleted records (admin), and the API."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .editorial_views import ChangeLogView, ChangesFeed, deleted_records_view
from .views import FiguresView, ForceDetailView, HomeView, SearchView, TransparencyView, favicon

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
    path("api/", include("sitewide.api_urls")),
    # Where browsers look for an icon on pages that name none (the browsable API).
    path("favicon.ico", favicon),
]
