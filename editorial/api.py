"""The editorial rules for a DRF API that writes records: ETag / If-Match
against lost updates, and publication rights.

    class ToolViewSet(EditorialAPIMixin, viewsets.ModelViewSet): ...

GET of one record sends `ETag`; PUT/PATCH must send it back as `If-Match`
(428 without it, 412 with the changes made meanwhile if the record moved on);
a save that publishes, unpublishes or alters a published record without the
right to publish is a 403. The change reason comes from the `X-Change-Reason` header.
"""

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied
from simple_history.utils import update_change_reason

from .concurrency import EditConflict, check_version, etag_for, token_from_etag
from .publishing import check_publication_change

CHANGE_REASON_HEADER = "X-Change-Reason"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = "Send the record's ETag in an If-Match header, so that no one else's change is overwritten."
    default_code = "precondition_required"


class EditConflictError(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "edit_conflict"

    def __init__(self, conflict: EditConflict):
        super().__init__(
            {
                "detail": conflict.message,
                "current_etag": f'"{conflict.current_version}"',
                "changes": [
                    {
                        "when": edit.when.isoformat(),
                        "who": edit.who,
                        "reason": edit.reason,
                        "fields": [{"field": c.field, "from": c.old, "to": c.new} for c in edit.changes],
                    }
                    for edit in conflict.edits
                ],
            }
        )


class EditorialAPIMixin:
    """For a DRF GenericAPIView / ModelViewSet over a record with `updated_at` and history."""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_for(self.get_object())
        return response

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_for(self._saved)
        return response

    def perform_update(self, serializer):
        instance = serializer.instance
        if_match = self.request.headers.get("If-Match")
        if not if_match:
            raise PreconditionRequired
        try:
            check_version(type(instance), instance.pk, token_from_etag(if_match))
        except EditConflict as conflict:
            raise EditConflictError(conflict) from conflict
        self._save_checked(serializer, "Changed through the API")

    def perform_create(self, serializer):
        self._save_checked(serializer, "Created through the API")

    def _save_checked(self, serializer, default_reason: str) -> None:
        model = serializer.Meta.model
        if hasattr(model, "is_published"):
            # The record as it would be saved, checked before saving it.
            probe = copy.copy(serializer.instance) if serializer.instance is not None else model()
            probe.is_published = serializer.validated_data.get("is_published", probe.is_published)
            try:
                check_publication_change(self.request.user, probe)
            except DjangoPermissionDenied as refused:
                raise PermissionDenied(str(refused)) from refused
        self._saved = serializer.save()
        reason = self.request.headers.get(CHANGE_REASON_HEADER, "").strip()[:100] or default_reason
        update_change_reason(self._saved, reason)
