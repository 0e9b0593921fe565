from django.contrib import admin
from django.urls import include, path

from .views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("foi-requests/", include("foi_requests.urls")),
    path("", include("register.urls")),
]
