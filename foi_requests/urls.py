from django.urls import path

from . import views

app_name = "foi_requests"

urlpatterns = [
    path("", views.FoiRequestListView.as_view(), name="list"),
    path("statistics/", views.FoiStatisticsView.as_view(), name="statistics"),
    path("<str:key>/", views.FoiRequestDetailView.as_view(), name="detail"),
]
