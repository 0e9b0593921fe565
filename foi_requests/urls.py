from django.urls import path, re_path

from . import downloads, views

app_name = "foi_requests"

urlpatterns = [
    path("", views.FoiRequestListView.as_view(), name="list"),
    path("statistics/", views.FoiStatisticsView.as_view(), name="statistics"),
    # The list's data files: /foi-requests/data.csv?<the page's filters> (`core.downloads`).
    re_path(r"^(?P<table>data|evidence)\.(?P<fmt>csv|jsonl)$", downloads.FoiRequestDataFiles.as_view(), name="data"),
    path("<str:key>/", views.FoiRequestDetailView.as_view(), name="detail"),
]
