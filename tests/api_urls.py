"""A URLconf for tests: the site's URLs plus a DRF viewset under /api/ (as the API app will add)."""

from django.urls import include, path
from rest_framework import routers

from config.urls import urlpatterns as site_urlpatterns

from .test_editorial_api import ToolViewSet

router = routers.DefaultRouter()
router.register("tools", ToolViewSet)

urlpatterns = [path("api/", include(router.urls)), *site_urlpatterns]
