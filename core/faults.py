"""What the public sees when the database is unreachable: a 503 with a clear
page (or a JSON message under /api/), never a traceback; and /health/ for the
container's health check.

Recovery needs nothing from here: a failed connection is marked unusable and
closed at the end of the request, and CONN_HEALTH_CHECKS makes the next request
open a fresh one once the database is back.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "this query is wrong".
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "The register's database is unavailable. Please try again in a few minutes."


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for a lost or refused database connection, anywhere in the chain of causes."""
    while exc is not None:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 for a browser (a page that needs no database) or for the API (JSON)."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        # Rendered without the request: context processors may touch the database.
        response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database outage during a view into a 503 (see `handler500` for
    outages elsewhere in the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.error("Database unavailable: %s", exception)
            return unavailable_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the cause is a database outage (raised outside a
    view, e.g. while saving the session), the plain 500 page otherwise."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the app answers and its database runs a query; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: database unavailable: %s", exc)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
