"""The API resources for FOI requests and the exemptions they cite.

FOI requests are addressed by slug (as on the public pages), exemptions by code
("FOIA-12(1)"). Filtering uses the same FilterSet as the HTML list.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers, viewsets
from rest_framework.response import Response

from core.api import CachedReadMixin, RecordViewSet
from core.caching import cached
from register.models import Force, Question

from .exemptions import split_exemption_code
from .filters import ExemptionFilter, FoiRequestFilter
from .models import Exemption, FoiRequest
from .serializers import ExemptionSerializer, FoiRequestSerializer
from .statistics import foi_records


def foi_requests_with_details(queryset):
    exemptions = Prefetch("exemptions", queryset=Exemption.objects.order_by("act", "section"))
    questions = Question.objects.order_by("pk").prefetch_related("categories", "safeguards", exemptions)
    return (
        # The answer's source only for its questions: not its text, the answer again.
        queryset.select_related("force", "source")
        .defer("source__text")
        .prefetch_related(exemptions, "categories_asked", Prefetch("source__questions", queryset=questions))
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


class FoiRecordSerializer(serializers.Serializer):
    """One force's FOI record (documents the shape of `foi_records`)."""

    force = serializers.SlugField(help_text="The force's slug.")
    force_name = serializers.CharField()
    logged = serializers.IntegerField(help_text="Published requests recorded.")
    answered_on_time = serializers.IntegerField(help_text="Answered by the statutory due date.")
    answered_late = serializers.IntegerField(help_text="Answered after the due date.")
    median_working_days_late = serializers.FloatField(
        allow_null=True, help_text="Median working days the late answers took."
    )
    median_working_days_taken = serializers.FloatField(allow_null=True, help_text="Median over every answer.")
    refused = serializers.IntegerField(
        help_text="Requests refused as a whole (outcome refused). Refusals of single questions: `questions_refused`."
    )
    exemptions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Requests citing each exemption, with its subsection, e.g. {"FOIA s12(1)": 1, "FOIA s31(3)": 2}.',
    )
    not_held = serializers.IntegerField(help_text="Requests whose outcome is information not held.")
    neither_confirm_nor_deny = serializers.IntegerField(help_text="Requests whose outcome is neither confirm nor deny.")
    awaiting = serializers.IntegerField(help_text="Still awaiting an answer.")
    overdue = serializers.IntegerField(help_text="Awaiting an answer past the due date.")
    # Per question: a request answered in part and refused in part counts one of each.
    questions = serializers.IntegerField(
        help_text="Questions asked; a request whose questions are not recorded counts as one, with its outcome."
    )
    questions_disclosed = serializers.IntegerField(help_text="Questions answered with information, in full or in part.")
    questions_refused = serializers.IntegerField(
        help_text="Questions refused: withheld under an exemption or neither confirmed nor denied."
    )
    questions_exempt = serializers.IntegerField(help_text="Questions whose answer was withheld under an exemption.")
    questions_neither_confirm_nor_deny = serializers.IntegerField(
        help_text="Questions the force would neither confirm nor deny."
    )
    questions_not_held = serializers.IntegerField(help_text="Questions answered: information not held.")
    questions_not_answered = serializers.IntegerField(help_text="Questions not answered (yet).")


class FoiRecordsQuery(serializers.Serializer):
    """The query string of /api/foi-records/: an empty `force` is no filter, as on every list."""

    force = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Force.objects.published(),
        required=False,
        help_text="Only this force (its slug).",
    )

    def to_internal_value(self, data):
        return super().to_internal_value({name: value for name, value in data.items() if value != ""})


@extend_schema(
    parameters=[
        OpenApiParameter(
            "force",
            str,
            description="Only this force (its slug); empty: every force.",
            required=False,
            allow_blank=True,
        )
    ],
    responses=FoiRecordSerializer(many=True),
)
class FoiRecordsView(CachedReadMixin, generics.GenericAPIView):
    """Each force's FOI record, from published requests: requests logged,
    answered on time and late (with the median working days taken), refused
    (by exemption), not held, still awaiting. Forces with no request are left out."""

    serializer_class = FoiRecordSerializer
    pagination_class = None
    filter_backends = []
    permission_classes = [permissions.AllowAny]  # published figures only, read only
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        query = FoiRecordsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        requests = FoiRequest.objects.published()
        force = query.validated_data.get("force")
        if force is not None:
            requests = requests.filter(force=force)
        records = cached("foi-records-api", force and force.slug, lambda: foi_records(requests))
        return Response(FoiRecordSerializer(records, many=True).data)
