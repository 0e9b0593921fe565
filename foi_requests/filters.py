"""The FilterSet for FOI requests, shared by the HTML list and the API."""

import django_filters

from register.filters import modified_after_filter, search_filter, slug_choices
from register.models import Force, Nation, ToolCategory

from .models import Exemption, FoiOutcome, FoiRequest


class FoiRequestFilter(django_filters.FilterSet):
    search = search_filter("title", "reference", "other_references", "request_text", "response_text", "force__name")
    force = slug_choices(Force, "force", "Authority")
    nation = django_filters.MultipleChoiceFilter(field_name="force__nation", choices=Nation.choices)
    outcome = django_filters.MultipleChoiceFilter(choices=FoiOutcome.choices)
    exemption = django_filters.ModelMultipleChoiceFilter(
        field_name="exemptions", queryset=Exemption.objects.all(), label="Exemption cited", distinct=True
    )
    category_asked = django_filters.MultipleChoiceFilter(
        field_name="categories_asked__category", choices=ToolCategory.choices, label="Asked about", distinct=True
    )
    received_after = django_filters.DateFilter(
        field_name="date_received", lookup_expr="gte", label="Received on or after"
    )
    received_before = django_filters.DateFilter(
        field_name="date_received", lookup_expr="lte", label="Received on or before"
    )
    responded_after = django_filters.DateFilter(
        field_name="date_responded", lookup_expr="gte", label="Answered on or after"
    )
    responded_before = django_filters.DateFilter(
        field_name="date_responded", lookup_expr="lte", label="Answered on or before"
    )
    modified_after = modified_after_filter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("date_received", "received"),
            ("date_responded", "responded"),
            ("force__name", "force"),
            ("reference", "reference"),
            ("outcome", "outcome"),
            ("updated_at", "updated"),
        )
    )

    class Meta:
        model = FoiRequest
        fields = [
            "search",
            "force",
            "nation",
            "outcome",
            "exemption",
            "category_asked",
            "received_after",
            "received_before",
            "responded_after",
            "responded_before",
            "modified_after",
        ]
