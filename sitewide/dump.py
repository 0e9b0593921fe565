"""`/api/dump/`: the whole published register as one JSON file.

The file is written as it is read (a few hundred records at a time), so the
dump of a large register keeps memory flat. It holds only what `published()`
allows, whoever asks, and states its licence.
"""

import json

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from core.api import CSV_CHUNK_SIZE, DATA_LICENCE, CachedReadMixin
from foi_requests.api import foi_requests_with_details
from foi_requests.models import Exemption, FoiRequest
from foi_requests.serializers import ExemptionSerializer, FoiRequestSerializer
from register.api import deployments_with_details, evidence_queryset
from register.models import Assessment, Deployment, Force, Supplier, Tool
from register.serializers import (
    AssessmentSerializer,
    DeploymentSerializer,
    ForceSerializer,
    SupplierSerializer,
    ToolSerializer,
)


def dump_sections():
    """Each section of the dump: its key, serializer and published records."""

    def with_evidence(queryset):
        return queryset.prefetch_related(Prefetch("evidence", queryset=evidence_queryset(drafts=False)))

    return [
        ("forces", ForceSerializer, Force.objects.published()),
        ("suppliers", SupplierSerializer, with_evidence(Supplier.objects.published().select_related("force"))),
        ("tools", ToolSerializer, with_evidence(Tool.objects.published().select_related("supplier"))),
        ("deployments", DeploymentSerializer, deployments_with_details(Deployment.objects.published(), drafts=False)),
        (
            "assessments",
            AssessmentSerializer,
            with_evidence(Assessment.objects.published().select_related("deployment__force", "deployment__tool")),
        ),
        ("foi_requests", FoiRequestSerializer, foi_requests_with_details(FoiRequest.objects.published())),
        ("exemptions", ExemptionSerializer, Exemption.objects.all()),
    ]


def encode(value) -> str:
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)


def stream_dump(context: dict):
    header = {
        "api_version": "1",
        "generated_at": timezone.now().isoformat(),
        "licence": DATA_LICENCE,
        "description": "Every published record of the police algorithmic tools register, as the API shows it.",
    }
    yield encode(header)[:-1]  # keep the object open for the sections
    for key, serializer_class, queryset in dump_sections():
        yield f", {encode(key)}: ["
        for index, record in enumerate(queryset.iterator(chunk_size=CSV_CHUNK_SIZE)):
            yield ("" if index == 0 else ", ") + encode(serializer_class(record, context=context).data)
        yield "]"
    yield "}\n"


class DumpView(CachedReadMixin, APIView):
    """The whole published register as one JSON file, licensed under the Open
    Government Licence v3.0: forces, suppliers, tools, deployments,
    assessments, FOI requests and exemptions, each as its endpoint shows it."""

    # The dump is the same for everyone; a researcher's drafts are never in it.
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, filters=False)
    def get(self, request):
        context = {"request": request, "view": self}
        response = StreamingHttpResponse(stream_dump(context), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="police-algorithms-register.json"'
        return response
