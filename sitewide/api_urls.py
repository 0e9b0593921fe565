"""The API, version 1, under /api/: resources, schema, docs and the dump."""

from django.urls import include, path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.csp import inline_styles_policy
from foi_requests.api import ExemptionViewSet, FoiRecordsView, FoiRequestViewSet
from register.api import (
    AssessmentViewSet,
    DeploymentViewSet,
    EvidenceViewSet,
    ForceViewSet,
    SupplierViewSet,
    ToolViewSet,
)

from .dump import DumpView

app_name = "api"

router = DefaultRouter()
router.register("forces", ForceViewSet, basename="force")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("tools", ToolViewSet, basename="tool")
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("foi-requests", FoiRequestViewSet, basename="foirequest")
router.register("exemptions", ExemptionViewSet, basename="exemption")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's bundle writes style attributes at run time: inline styles
    # (never scripts) are allowed on the two documentation pages only.
    path(
        "docs/",
        csp_override(inline_styles_policy())(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        csp_override(inline_styles_policy())(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    path("dump/", DumpView.as_view(), name="dump"),
    path("foi-records/", FoiRecordsView.as_view(), name="foi-records"),
    path("", include(router.urls)),
]
