from django.urls import path

from .views import CorrectionCreateView, CorrectionThanksView

app_name = "corrections"

urlpatterns = [
    path("new/", CorrectionCreateView.as_view(), name="new"),
    path("thanks/", CorrectionThanksView.as_view(), name="thanks"),
]
