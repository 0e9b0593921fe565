"""Site-wide pages that draw on both apps."""

from django.views.generic import TemplateView

from foi_requests.models import Evidence, FoiRequest
from register.models import Deployment, Force, Tool


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "forces": Force.objects.published().count(),
            "tools": Tool.objects.published().count(),
            "deployments": Deployment.objects.published().count(),
            "foi_requests": FoiRequest.objects.published().count(),
            "evidence": Evidence.objects.published().count(),
        }
        return context
