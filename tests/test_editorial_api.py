"""The editorial rules for API writes: ETag / If-Match against lost updates, publication rights."""

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from editorial.api import EditorialAPIMixin
from register.models import Tool

from .factories import ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


class ToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tool
        fields = ["id", "name", "slug", "category", "description", "is_published"]


class ToolViewSet(EditorialAPIMixin, viewsets.ModelViewSet):
    queryset = Tool.objects.all()
    serializer_class = ToolSerializer


factory = APIRequestFactory()
detail = ToolViewSet.as_view({"get": "retrieve", "patch": "partial_update", "put": "update"})
create = ToolViewSet.as_view({"post": "create"})


def staff(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def call(view, method, user, data=None, pk=None, **headers):
    request = getattr(factory, method)("/api/tools/", data, format="json", headers=headers)
    force_authenticate(request, user=user)
    return view(request, pk=pk) if pk else view(request)


def test_the_second_write_from_a_stale_etag_is_refused_with_what_changed():
    editor = staff("Editors")
    tool = ToolFactory(name="Risk Model", is_published=False)
    etag = call(detail, "get", editor, pk=tool.pk)["ETag"]

    first = call(
        detail, "patch", editor, {"description": "Scores risk."}, pk=tool.pk, If_Match=etag, X_Change_Reason="Fuller"
    )
    assert first.status_code == 200
    assert first["ETag"] != etag
    assert Tool.objects.get(pk=tool.pk).history.latest().history_change_reason == "Fuller"

    second = call(detail, "patch", editor, {"name": "Risk Model v2"}, pk=tool.pk, If_Match=etag)
    assert second.status_code == 412
    assert "changed by someone else" in second.data["detail"]
    [change] = second.data["changes"]
    assert change["reason"] == "Fuller"
    assert change["fields"][0]["field"] == "description"
    assert change["fields"][0]["to"] == "Scores risk."
    assert Tool.objects.get(pk=tool.pk).name == "Risk Model"

    third = call(detail, "patch", editor, {"name": "Risk Model v2"}, pk=tool.pk, If_Match=first["ETag"])
    assert third.status_code == 200


def test_a_write_without_if_match_is_refused():
    tool = ToolFactory()
    response = call(detail, "patch", staff("Editors"), {"name": "X"}, pk=tool.pk)
    assert response.status_code == 428


def test_a_researcher_cannot_publish_through_the_api_but_an_editor_can():
    tool = ToolFactory(is_published=False)
    researcher, editor = staff("Researchers"), staff("Editors")
    etag = call(detail, "get", researcher, pk=tool.pk)["ETag"]
    refused = call(detail, "patch", researcher, {"is_published": True}, pk=tool.pk, If_Match=etag)
    assert refused.status_code == 403
    assert "Only an editor may publish" in refused.data["detail"]
    assert Tool.objects.get(pk=tool.pk).is_published is False

    created = call(
        create, "post", researcher, {"name": "New", "slug": "new", "category": "other", "is_published": True}
    )
    assert created.status_code == 403
    created = call(create, "post", researcher, {"name": "New", "slug": "new", "category": "other"})
    assert created.status_code == 201
    assert Tool.objects.get(slug="new").history.latest().history_change_reason == "Created through the API"

    allowed = call(detail, "patch", editor, {"is_published": True}, pk=tool.pk, If_Match=etag)
    assert allowed.status_code == 200
    assert Tool.objects.get(pk=tool.pk).is_published is True
