from django.contrib import admin
from django.urls import include, path

from core.faults import health

handler500 = "core.faults.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    # Before admin/: the deleted-records page lives under the admin's address.
    path("", include("sitewide.urls")),
    path("admin/", admin.site.urls),
    path("foi-requests/", include("foi_requests.urls")),
    path("corrections/", include("corrections.urls")),
    path("", include("register.urls")),
]
