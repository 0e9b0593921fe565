"""The API's pagination: `{count, next, previous, results}`.

Kept apart from `core.api` because DRF imports the pagination class while it starts.
"""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from .parsers import LARGEST_ID, is_ascii_digits, whole_number


class BadRequestParameter(exceptions.ValidationError):
    """A 400 naming the query parameter at fault, like the FilterSets' errors."""

    def __init__(self, parameter: str, reason: str):
        super().__init__({parameter: [reason]})


def positive_int_parameter(value: str, parameter: str, maximum: int | None = None) -> int:
    """A page number or page size from the query string, in ASCII digits, or a 400 that says why."""
    if not is_ascii_digits(value):
        raise BadRequestParameter(parameter, f"“{value}” is not a whole number (digits 0-9).")
    maximum = LARGEST_ID if maximum is None else maximum
    number = whole_number(value, maximum)
    if number is None:
        raise BadRequestParameter(parameter, f"Must be at most {maximum}.")
    if number < 1:
        raise BadRequestParameter(parameter, "Must be 1 or more.")
    return number


class Pagination(PageNumberPagination):
    """`{count, next, previous, results}`, 50 rows a page by default, at most 500.

    A page or page size that is not a whole number in range is a 400 rather
    than silently replaced by the default; a page past the last one is a 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return positive_int_parameter(value, self.page_size_query_param, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param)
        if value is not None:
            positive_int_parameter(value, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = f"Rows per page: {self.page_size} by default, at most {self.max_page_size}."
        return parameters
