"""The data files of the FOI requests' list: its rows and the quotes of their answers
(`core.downloads`, `register.downloads`), for exactly the requests its filters select."""

from core.downloads import DataFileView, serializer_table
from register.downloads import evidence_table

from .api import FoiRequestViewSet
from .serializers import FoiRequestSerializer
from .views import FoiRequestListView


class FoiRequestDataFiles(DataFileView):
    list_view = FoiRequestListView
    tables = {
        "data": serializer_table(
            "foi-requests", FoiRequestSerializer, lambda: FoiRequestViewSet().published_queryset()
        ),
        # Each quote of a request's answer, whatever published record it supports.
        "evidence": evidence_table("foi-requests", ("source__foi_request__id",)),
    }
