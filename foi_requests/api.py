"""The API resources for FOI requests and the exemptions they cite.

FOI requests are addressed by slug (as on the public pages), exemptions by code
("FOIA-12(1)"). Filtering uses the same FilterSet as the HTML list.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from config.api import CachedReadMixin, RecordViewSet

from .exemptions import split_exemption_code
from .filters import ExemptionFilter, FoiRequestFilter
from .models import Exemption, FoiRequest
from .serializers import ExemptionSerializer, FoiRequestSerializer


def foi_requests_with_details(queryset):
    return queryset.select_related("force").prefetch_related(
        Prefetch("exemptions", queryset=Exemption.objects.order_by("act", "section")), "categories_asked"
    )


class FoiRequestViewSet(RecordViewSet):
    """FOI requests to forces, addressed by slug: references, dates, outcome,
    the exemptions cited and the tool categories asked about.

    The request and answer texts are served with the requester's name and
    email address removed; those are never part of the API.
    """

    serializer_class = FoiRequestSerializer
    filterset_class = FoiRequestFilter
    lookup_field = "slug"

    def published_queryset(self):
        return foi_requests_with_details(FoiRequest.objects.published())

    def all_queryset(self):
        return foi_requests_with_details(FoiRequest.objects.all())


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="The act and section, e.g. FOIA-12(1).")
        ]
    )
)
class ExemptionViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet):
    """The exemptions FOI answers cite, addressed by code (`FOIA-12(1)`).

    A short, fixed vocabulary kept by the editors: it is not paginated by
    change date and has no `modified_after`; fetch it whole.
    """

    serializer_class = ExemptionSerializer
    filterset_class = ExemptionFilter
    queryset = Exemption.objects.all()
    lookup_url_kwarg = "code"
    lookup_value_regex = "[^/]+"

    def get_object(self):
        try:
            act, section = split_exemption_code(self.kwargs["code"])
        except ValueError:
            act, section = "", ""
        return get_object_or_404(self.get_queryset(), act=act, section=section)
