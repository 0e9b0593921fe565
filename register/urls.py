from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("forces/", views.ForceListView.as_view(), name="force-list"),
    path("tools/", views.ToolListView.as_view(), name="tool-list"),
    path("tools/<slug:slug>/", views.ToolDetailView.as_view(), name="tool-detail"),
    path("deployments/", views.DeploymentListView.as_view(), name="deployment-list"),
    path(
        "deployments/<slug:force_slug>/<slug:tool_slug>/",
        views.DeploymentDetailView.as_view(),
        name="deployment-detail",
    ),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("sources/<int:pk>/original/", views.source_original, name="source-original"),
]
