"""The pages that read several apps: home, search, transparency, figures, the
change log and its feed, deleted records (admin), and the API's root."""

from django.contrib import admin
from django.urls import include, path

from .editorial_views import ChangeLogView, ChangesFeed, deleted_records_view
from .views import FiguresView, HomeView, SearchView, TransparencyView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("changes/", ChangeLogView.as_view(), name="changes"),
    path("feeds/changes/", ChangesFeed(), name="changes-feed"),
    path("admin/deleted-records/", admin.site.admin_view(deleted_records_view), name="admin-deleted-records"),
    path("search/", SearchView.as_view(), name="search"),
    path("transparency/", TransparencyView.as_view(), name="transparency"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("api/", include("sitewide.api_urls")),
]
