from django.urls import path, re_path

from . import downloads, views

# A list's data files: /deployments/data.csv?<the page's filters> (`core.downloads`).
DATA_FILE = r"(?P<table>data|evidence)\.(?P<fmt>csv|jsonl)$"

app_name = "register"

urlpatterns = [
    path("forces/", views.ForceListView.as_view(), name="force-list"),
    path("tools/", views.ToolListView.as_view(), name="tool-list"),
    path("tools/<slug:slug>/", views.ToolDetailView.as_view(), name="tool-detail"),
    path("deployments/", views.DeploymentListView.as_view(), name="deployment-list"),
    re_path(
        r"^deployments/(?P<table>data|evidence|atrs)\.(?P<fmt>csv|jsonl)$",
        downloads.DeploymentDataFiles.as_view(),
        name="deployment-data",
    ),
    path(
        "deployments/<slug:force_slug>/<slug:tool_slug>/atrs.json",
        downloads.deployment_atrs,
        {"fmt": "json"},
        name="deployment-atrs-json",
    ),
    path(
        "deployments/<slug:force_slug>/<slug:tool_slug>/atrs.csv",
        downloads.deployment_atrs,
        {"fmt": "csv"},
        name="deployment-atrs-csv",
    ),
    re_path(rf"^forces/{DATA_FILE}", downloads.ForceDataFiles.as_view(), name="force-data"),
    re_path(rf"^tools/{DATA_FILE}", downloads.ToolDataFiles.as_view(), name="tool-data"),
    re_path(rf"^suppliers/{DATA_FILE}", downloads.SupplierDataFiles.as_view(), name="supplier-data"),
    path(
        "deployments/<slug:force_slug>/<slug:tool_slug>/",
        views.DeploymentDetailView.as_view(),
        name="deployment-detail",
    ),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier-list"),
    path("suppliers/<slug:slug>/", views.SupplierDetailView.as_view(), name="supplier-detail"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("sources/<int:pk>/original/", views.source_original, name="source-original"),
]
