"""What every API resource shares: pagination, the CSV format, HTTP caching,
conditional updates, who sees drafts and who may write.

The resources themselves live in each app (`register/api.py`,
`foi_requests/api.py`); this module is the project's API behaviour, set once.
"""

import hashlib
import json
from collections.abc import Callable, Iterator

from django import forms
from django.db import models, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import conditional_page
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from simple_history.utils import update_change_reason

from .caching import cached_stream
from .edit_conflicts import EditConflict, check_version, version_of
from .parsers import is_ascii_digits
from .renderers import serialized_rows, stream_csv

DATA_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "attribution": "Contains information from the Police algorithmic tools register, built from FOI answers.",
}

# Anonymous reads may be cached by browsers and shared caches for this long.
PUBLIC_MAX_AGE = 300
CSV_CHUNK_SIZE = 500


def representation_etag(instance: models.Model, data: dict) -> str:
    """A strong validator for one record as the API shows it: the record's version
    (`edit_conflicts.version_of`, checked on a write with If-Match) and a digest of
    everything shown with it (names of related records, assessments, evidence)."""
    digest = hashlib.sha256(json.dumps(data, cls=JSONEncoder, sort_keys=True).encode()).hexdigest()[:20]
    return f'"{version_of(instance)}-{digest}"'


def version_in_etag(etag: str) -> str:
    """The record's version inside an ETag made by `representation_etag`: ASCII
    digits, or "" (a version no record is at) when the tag holds none ("²³-x")."""
    version = etag.removeprefix("W/").strip('"').split("-", 1)[0]
    return version if is_ascii_digits(version) else ""


def url_maker(request, view_name: str, *arguments: str) -> Callable[..., str]:
    """A function of the URL's arguments, in order, giving the absolute URL of
    `view_name`. reverse() runs once: an export builds tens of thousands of
    URLs, and reverse() costs more than the rest of a row. The arguments must
    be URL-safe (ids and slugs)."""
    markers = {name: f"zz{index}zz" for index, name in enumerate(arguments)}
    path = reverse(view_name, kwargs=markers)
    template = (request.build_absolute_uri(path) if request else path).replace("{", "{{").replace("}", "}}")
    for index, marker in enumerate(markers.values()):
        template = template.replace(marker, f"{{{index}}}")
    return template.format


def may_see_drafts(user, model) -> bool:
    """Researchers with the model's view or change permission read drafts too;
    everyone else reads only what `published()` allows."""
    if not user or not user.is_authenticated:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


class RegisterAutoSchema(AutoSchema):
    """Documents the error answers every operation can give, beside its 2xx."""

    READ_ERRORS = {
        "400": "A parameter was not understood: the body names it and says why.",
        "404": "No such record (or page), or it is not published.",
        "414": "The address is too long for the server (over 4 KB): ask for fewer values at once.",
        "429": "Too many anonymous requests: wait the seconds in the Retry-After header.",
    }
    WRITE_ERRORS = {
        "400": "Validation failed: the body maps each field to its messages.",
        "401": "No or bad token: send `Authorization: Token <key>`.",
        "403": "The token's user lacks the model's add or change permission.",
        "404": "No such record.",
        "412": "If-Match did not match: the record changed since you read it (the body says what).",
        "428": "PUT or PATCH without If-Match: send the ETag of your last read of the record.",
    }

    # Permissions that let anyone read: with only these, a read needs no credentials.
    ANONYMOUS_READ_PERMISSIONS = (
        permissions.AllowAny,
        permissions.IsAuthenticatedOrReadOnly,
        permissions.DjangoModelPermissionsOrAnonReadOnly,
    )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = self.READ_ERRORS if self.method in ("GET", "HEAD") else self.WRITE_ERRORS
        for code, description in errors.items():
            responses.setdefault(code, {"description": description})
        return responses

    def get_auth(self):
        """Reads are open: `{}` (no credentials) beside the token and the session.
        drf-spectacular knows it only of AllowAny and IsAuthenticatedOrReadOnly."""
        auths = super().get_auth()
        view_permissions = self.view.get_permissions()
        if (
            self.method in permissions.SAFE_METHODS
            and {} not in auths
            and all(isinstance(permission, self.ANONYMOUS_READ_PERMISSIONS) for permission in view_permissions)
        ):
            auths.append({})
        return auths

    def _get_parameters(self):
        from drf_spectacular.views import SpectacularAPIView  # imports this module's class: not at the top

        parameters = super()._get_parameters()
        if isinstance(self.view, SpectacularAPIView):
            # drf-spectacular lists Django's languages, but answers any code: in its
            # language if it has one, else in the default.
            for parameter in parameters:
                if parameter["name"] == "lang" and parameter["in"] == "query":
                    parameter["schema"].pop("enum", None)
                    parameter["description"] = "A language code, e.g. en-gb; any other is answered in the default."
        return parameters

    def map_parsers(self):
        """Bodies are documented as JSON, what programs send (docs/api.md). The form
        encodings DRF also reads serve the browsable API's forms, where an empty field
        means "not given" (an FOI request's slug is then made up): a rule the JSON
        Schema shared with JSON bodies, where "" is refused, cannot state."""
        media_types = super().map_parsers()
        return [media for media in media_types if media == "application/json"] or media_types

    def _get_format_parameters(self):
        # `?format=` is no format: the default, JSON.
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
        return parameters

    def _get_filter_parameters(self):
        """The FilterSet's own rules, which django-filter's schema leaves out: an empty
        value means no filter (`allowEmptyValue`, see `core.filters.FilterSet`), the
        bounds its form fields check (a year's range, a search's length), and text
        without NUL characters (Django's forms refuse them)."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class is not None else {}
        for parameter in parameters:
            filter_ = filters.get(parameter["name"])
            if filter_ is None or parameter["in"] != "query":
                continue
            if getattr(filterset_class, "empty_means_no_filter", False):
                parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
                if filter_.extra.get(bound) is not None and schema.get("type") in ("integer", "number"):
                    schema.setdefault(keyword, filter_.extra[bound])
            if schema.get("type") == "string" and issubclass(filter_.field_class, forms.CharField):
                schema.setdefault("pattern", r"^[^\x00]*$")
                if filter_.extra.get("max_length") is not None:
                    schema.setdefault("maxLength", filter_.extra["max_length"])
        return parameters


class CachedReadMixin:
    """ETag on every read (304 on a matching If-None-Match), Cache-Control,
    errors in JSON whatever format was asked for, and 405 for a method the view lacks."""

    def check_permissions(self, request):
        # A method the view has no handler for (DELETE: nothing is deleted through the
        # API) is a 405 with Allow for everyone, before a permission's 401 or 403.
        if request.method.upper() not in self.allowed_methods:
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)

    @classmethod
    def as_view(cls, *args, **initkwargs):
        # Django's conditional GET: an ETag from the rendered body unless the
        # view set one, and 304 when If-None-Match matches it.
        return conditional_page(super().as_view(*args, **initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON, even for ?format=csv: a table of messages helps no one.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format == "csv":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        apply_cache_headers(request, response)
        return response


class RecordViewSet(
    CachedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Base for every resource: read for all, create and update for researchers.

    - Anonymous and unprivileged clients see published records only.
    - `?format=csv` streams the whole filtered list unless `page` or
      `page_size` is given, in which case it is that page.
    - Reads carry an ETag (304 on a matching If-None-Match) and, for anonymous
      clients, `Cache-Control: public`; PUT and PATCH require If-Match (428
      without it, 412 if it is stale); POST, PUT and PATCH answer with the ETag.
    - Writes run in a transaction. Records are never deleted through the API (405).
    """

    # Each resource defines published_queryset() (what the public sees) and
    # all_queryset() (drafts too, for holders of the model's permissions).
    # Anyone reads; writing needs the model's add or change permission.
    permission_classes = [permissions.DjangoModelPermissionsOrAnonReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @property
    def shows_drafts(self) -> bool:
        return may_see_drafts(self.request.user, self.get_queryset_model())

    def get_queryset_model(self):
        return self.serializer_class.Meta.model

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.all_queryset().none()
        return self.all_queryset() if self.shows_drafts else self.published_queryset()

    def list(self, request, *args, **kwargs):
        params = request.query_params
        if request.accepted_renderer.format == "csv" and "page" not in params and "page_size" not in params:
            queryset = self.filter_queryset(self.get_queryset())

            def produce():
                return stream_csv(self.get_serializer(), self.csv_rows(queryset), CSV_CHUNK_SIZE)

            # The public's exports stay the same until the next edit: repeats come from the cache.
            lines = produce() if self.shows_drafts else cached_stream("csv", request.build_absolute_uri(), produce)
            response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
            return response
        return super().list(request, *args, **kwargs)

    def csv_rows(self, queryset) -> Iterator[dict]:
        """The rows of a full CSV export, shaped like the JSON ones. A resource
        with many rows may read them more directly (`register.csv_export`)."""
        return serialized_rows(
            self.get_serializer_class(),
            queryset.iterator(chunk_size=CSV_CHUNK_SIZE),
            self.get_serializer_context(),
            CSV_CHUNK_SIZE,
        )

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        response = Response(data)
        etag = representation_etag(instance, data)
        fmt = request.accepted_renderer.format
        # One strong ETag per representation: the JSON one is what If-Match compares.
        response["ETag"] = etag if fmt == "json" else f'{etag[:-1]}-{fmt}"'
        return response

    def check_if_match(self, instance: models.Model) -> None:
        """Refuse (428) a write without If-Match naming a version; lock the record's
        row; then refuse (412) unless If-Match names the record as it is now, saying
        what changed meanwhile and who changed it. Call inside the transaction that saves."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header or header == "*":
            # No blind overwrite, not even a deliberate one: every write names the version it changes.
            raise PreconditionRequired()
        etags = parse_etags(header)
        version = version_in_etag(etags[0]) if etags else ""
        try:
            check_version(type(instance), instance.pk, version)
            edits = []
        except EditConflict as conflict:
            edits = conflict.edits
        instance = self.get_object()  # as it is now that the row is locked
        current = representation_etag(instance, self.get_serializer(instance).data)
        if current in etags:
            return
        fields = sorted({change.name for edit in edits for change in edit.changes})
        message = "The record changed since you read it; fetch it again and reapply your change."
        if fields:
            message += f" Changed meanwhile: {', '.join(fields)}."
        elif etags:
            message += " Changed meanwhile: what is shown with it (related names, assessments or evidence)."
        if edits and edits[-1].who:
            message += f" Last changed by {edits[-1].who}."
        raise PreconditionFailed({"detail": message, "current_etag": current, "changed_fields": fields})

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.check_if_match(self.get_object())
            response = super().update(request, *args, **kwargs)
            self.record_change_reason()
        instance = self.get_object()
        response["ETag"] = representation_etag(instance, self.get_serializer(instance).data)
        return response

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().create(request, *args, **kwargs)  # Location: the new record's `url`
            self.record_change_reason()
        # The ETag a GET of the new record gives: the If-Match of the next write.
        instance = self.all_queryset().get(pk=self.saved.pk)
        response["ETag"] = representation_etag(instance, self.get_serializer(instance).data)
        return response

    def perform_create(self, serializer):
        self.saved = serializer.save()

    def perform_update(self, serializer):
        self.saved = serializer.save()

    def record_change_reason(self) -> None:
        """The editor's reason, sent as `X-Change-Reason`, goes into the record's history."""
        # Printable text only: a control character (NUL) is refused by PostgreSQL.
        header = self.request.headers.get("X-Change-Reason", "")
        reason = "".join(character for character in header if character.isprintable()).strip()[:100]
        if reason and getattr(self, "saved", None) is not None:
            update_change_reason(self.saved, reason)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag of your last read of this record as If-Match (GET it first): "
        "a write without it could overwrite someone else's change."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"

    def __init__(self, detail):
        # Keep the dict as it is: the message, the current ETag and the changed fields.
        self.detail = detail


def apply_cache_headers(request, response) -> None:
    """Anonymous reads are public and cacheable; anything personal is private."""
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, no_store=True)
