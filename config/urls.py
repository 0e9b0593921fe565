from django.contrib import admin
from django.urls import include, path

from editorial.views import ChangeLogView, ChangesFeed, deleted_records_view

from .faults import health
from .views import FiguresView, HomeView, SearchView, TransparencyView

handler500 = "config.faults.server_error"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("health/", health, name="health"),
    path("changes/", ChangeLogView.as_view(), name="changes"),
    path("feeds/changes/", ChangesFeed(), name="changes-feed"),
    path("admin/deleted-records/", admin.site.admin_view(deleted_records_view), name="admin-deleted-records"),
    path("admin/", admin.site.urls),
    path("search/", SearchView.as_view(), name="search"),
    path("transparency/", TransparencyView.as_view(), name="transparency"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("api/", include("config.api_urls")),
    path("foi-requests/", include("foi_requests.urls")),
    path("", include("register.urls")),
]
