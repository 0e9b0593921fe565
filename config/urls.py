from django.contrib import admin
from django.urls import include, path

from .views import FiguresView, HomeView, SearchView, TransparencyView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("search/", SearchView.as_view(), name="search"),
    path("transparency/", TransparencyView.as_view(), name="transparency"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("foi-requests/", include("foi_requests.urls")),
    path("", include("register.urls")),
]
