"""Nothing leaks, nothing breaks: input a client chose (query values, path
segments, headers, bodies) is a 400 that says which and why in the API, a
message on a list page, a 404 for an address naming nothing; never a 5xx.

First one example per defect found on the served app, then properties: any
text as any filter of any list (API and page), any path segment in any
detail address.
"""

import io
import json
import sys
from urllib.parse import quote, unquote_to_bytes
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.management import get_commands, load_command_class
from django.test import override_settings
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api import version_in_etag
from core.parsers import MAX_JSON_DEPTH, BoundedJSONParser, RequestTooLarge, nesting_depth, whole_number
from core.search import SEARCH_MAX_LENGTH
from foi_requests.models import Exemption
from register.models import Tool
from sitewide.api_urls import router
from sitewide.forms import SearchForm

pytestmark = pytest.mark.django_db

# Every API list with its FilterSet, as the router serves them.
API_LISTS = {prefix: viewset for prefix, viewset, _ in router.registry}
# The HTML list pages driven by the same FilterSets.
HTML_LISTS = {
    "forces": "/forces/",
    "tools": "/tools/",
    "deployments": "/deployments/",
    "foi-requests": "/foi-requests/",
}
FILTERS = sorted(
    (prefix, name)
    for prefix, viewset in API_LISTS.items()
    if getattr(viewset, "filterset_class", None)
    for name in viewset.filterset_class.base_filters
)
SEARCHABLE = [prefix for prefix, name in FILTERS if name == "search"]
# Every detail address, with a place for one arbitrary path segment.
DETAIL_URLS = [
    *(f"/api/{prefix}/{{0}}/" for prefix in API_LISTS),
    "/forces/{0}/",
    "/tools/{0}/",
    "/deployments/{0}/{0}/",
    "/deployments/gwent/{0}/",
    "/foi-requests/{0}/",
]


def lists_of(prefix: str) -> list[str]:
    """The API list of `prefix` and its HTML page, if it has one."""
    return [f"/api/{prefix}/", *([HTML_LISTS[prefix]] if prefix in HTML_LISTS else [])]


def messages(response) -> str:
    return response.content.decode()


def test_the_list_pages_use_their_api_resources_filtersets():
    for prefix, path in HTML_LISTS.items():
        assert resolve(path).func.view_class.filterset_class is API_LISTS[prefix].filterset_class


# Search: each word is a condition; 5,000 of them overflowed SQLite's expression
# tree (503) and kept PostgreSQL busy past two minutes.


@pytest.mark.parametrize("query", ["a " * 5000, "x" * 10_000])
def test_a_search_longer_than_the_bound_is_refused_with_the_reason(client, seed_data, query):
    for prefix in SEARCHABLE:
        response = client.get(f"/api/{prefix}/", {"search": query})
        assert response.status_code == 400, prefix
        assert f"at most {SEARCH_MAX_LENGTH} characters" in response.json()["search"][0]
        if prefix in HTML_LISTS:
            page = client.get(HTML_LISTS[prefix], {"search": query})
            assert page.status_code == 200
            assert f"at most {SEARCH_MAX_LENGTH} characters" in messages(page)


@pytest.mark.parametrize("word", ["a", "-a", "’"])
def test_the_longest_search_allowed_is_answered(client, seed_data, word):
    query = " ".join([word] * SEARCH_MAX_LENGTH)[:SEARCH_MAX_LENGTH]
    for prefix in SEARCHABLE:
        for url in lists_of(prefix):
            assert client.get(url, {"search": query}).status_code == 200, url


def test_the_search_page_never_sends_a_query_the_lists_refuse(client, seed_data):
    assert SearchForm.max_length <= SEARCH_MAX_LENGTH
    assert client.get("/search/", {"q": "a " * 5000}).status_code == 200


# Date and time: a valid ISO text whose moment is past year 9999 (or before year 1) in UTC.


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_modified_after_beyond_the_calendar_is_refused_with_the_reason(client, seed_data, moment):
    for prefix in (prefix for prefix, name in FILTERS if name == "modified_after"):
        response = client.get(f"/api/{prefix}/", {"modified_after": moment})
        assert response.status_code == 400, prefix
        assert "out of range" in response.json()["modified_after"][0]
        if prefix in HTML_LISTS:
            page = client.get(HTML_LISTS[prefix], {"modified_after": moment})
            assert page.status_code == 200
            assert "out of range" in messages(page)


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-31T00:00:00+14:00"])
def test_modified_after_at_the_ends_of_the_calendar_is_accepted(client, seed_data, moment):
    assert client.get("/api/tools/", {"modified_after": moment}).status_code == 200


def test_modified_after_in_other_scripts_digits_is_refused(client, seed_data):
    response = client.get("/api/tools/", {"modified_after": "٢٠٢٦-٠١-٣١T00:00:00Z"})
    assert response.status_code == 400
    assert "modified_after" in response.json()


# Whole numbers: ASCII digits, within the range of a row's id.


def test_an_exemption_id_too_large_for_the_database_is_refused(client, seed_data):
    response = client.get("/api/foi-requests/", {"exemption": "99999999999999999999"})
    assert response.status_code == 400
    assert response.json() == {"exemption": ["No exemption has the id 99999999999999999999."]}
    page = client.get("/foi-requests/", {"exemption": "99999999999999999999"})
    assert page.status_code == 200
    assert "No exemption has the id 99999999999999999999." in messages(page)


def test_an_exemption_is_still_chosen_by_id_or_code(client, seed_data):
    exemption = Exemption.objects.order_by("pk").first()
    code = f"{exemption.act}-{exemption.section}"
    for value in (str(exemption.pk), f"0{exemption.pk}", code):
        assert client.get("/api/foi-requests/", {"exemption": value}).status_code == 200, value
    assert client.get("/api/foi-requests/", {"exemption": "²"}).status_code == 400


@pytest.mark.parametrize("key", ["²", "²³", "٣", "99999999999999999999", "0"])
def test_an_foi_request_address_of_digits_that_are_no_id_is_not_found(client, seed_data, key):
    assert client.get(f"/foi-requests/{quote(key)}/").status_code == 404


def test_digits_mean_ascii_digits():
    assert whole_number("42") == 42
    assert whole_number("0042") == 42
    for text in ("²", "²³", "٣", "-1", "+1", " 1", "1_000", "", "1.0", "9" * 5000):
        assert whole_number(text) is None, text
    assert whole_number(str(2**63 - 1)) == 2**63 - 1
    assert whole_number(str(2**63)) is None


def test_an_etag_with_other_digits_names_no_version():
    assert version_in_etag('"123-abc"') == "123"
    assert version_in_etag('W/"123-abc"') == "123"
    for etag in ('"²³-x"', '"٣-x"', '"-x"', '"+1-x"'):
        assert version_in_etag(etag) == "", etag


@pytest.mark.parametrize("etag", ['"²³-x"', '"٣-x"', '"99999999999999999999999-x"'])
def test_if_match_with_other_digits_is_a_precondition_failure(staff_client, seed_data, etag):
    tool = Tool.objects.published().order_by("pk").first()
    response = staff_client.patch(
        f"/api/tools/{tool.slug}/", {"description": "x"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert response.json()["current_etag"]


@pytest.mark.parametrize("page", ["١", "²", "-1", " 2", "1_0", "99999999999999999999999"])
def test_a_page_number_is_ascii_digits(client, seed_data, page):
    for parameter in ("page", "page_size"):
        response = client.get("/api/forces/", {parameter: page})
        assert response.status_code == 400, (parameter, page)
        assert list(response.json()) == [parameter]


# JSON bodies: Python's decoder recurses once per level.


def test_a_json_body_nested_deeper_than_the_bound_is_refused(staff_client, seed_data):
    response = staff_client.post("/api/tools/", "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert "nested 100000 levels deep" in response.json()["detail"]


def test_json_depth_counts_brackets_outside_strings_only():
    assert nesting_depth('{"a": [1, {"b": "[[[[{{"}]}') == 3
    assert nesting_depth(json.dumps({"a": '\\"[[[', "b": [[1]]})) == 3
    assert nesting_depth("[" * 10 + "]" * 10) == 10
    assert nesting_depth("3") == 0


def test_a_json_body_within_the_bound_is_read(staff_client, seed_data):
    nested = {"name": json.loads("[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1))}
    response = staff_client.post("/api/tools/", nested, content_type="application/json")
    # Read, then refused by the serializer for what it says, not how it nests.
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_json_body_larger_than_the_upload_limit_is_refused(settings):
    # Read by the parser itself, not only through request.body (which Django bounds).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    with pytest.raises(RequestTooLarge):
        BoundedJSONParser().parse(io.BytesIO(json.dumps({"name": "x" * 2000}).encode()))
    assert BoundedJSONParser().parse(io.BytesIO(b'{"name": "x"}')) == {"name": "x"}


# Paths: a NUL reaching PostgreSQL as a slug is an error, not "no such record".


@pytest.mark.parametrize("path", ["/api/tools/%00/", "/foi-requests/%00/", "/api/exemptions/FOIA-%00/", "/tools/a%0a/"])
def test_a_path_with_a_control_character_is_refused(client, seed_data, path):
    assert client.get(path).status_code == 400


def test_an_exemption_code_with_a_nul_is_refused(client, seed_data):
    response = client.get("/api/foi-requests/", {"exemption": "FOIA-\x00"})
    assert response.status_code == 400
    assert "exemption" in response.json()


# Static files under `make run` (runserver, DEBUG on).


def wsgi_get(handler, path: str) -> int:
    """The status `handler` answers GET `path` with, given as runserver gives it (percent-decoded)."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"), REQUEST_METHOD="GET", HTTP_HOST="127.0.0.1")
    statuses = []
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return int(statuses[0].split()[0])


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../config/settings.py",
        "/static/%2e%2e/%2e%2e/config/settings.py",
        "/static/..%2f..%2fconfig/settings.py",
        "/static/css/../../../config/settings.py",
        "/static/..%5c..%5cconfig%5csettings.py",
        "/static/%00",
    ],
)
def test_runserver_answers_a_path_out_of_the_static_files_with_not_found(monkeypatch, path):
    with override_settings(DEBUG=True):
        # The application as `manage.py runserver` builds it, its middleware reading DEBUG afresh.
        monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
        command = load_command_class(get_commands()["runserver"], "runserver")
        options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
        handler = command.get_handler(**options)
        assert wsgi_get(handler, "/static/css/site.css") == 200
        assert wsgi_get(handler, path) in (400, 404)


# Properties: any text, anywhere a client puts it.

NASTY = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "²",
    "²³",
    "٣",
    "1e308",
    "NaN",
    "-Infinity",
    "\x00",
    "FOIA-\x00",
    "FOIA-12(1)",
    "EIR-",
    "-",
    "..",
    "a " * 5000,
    "' OR 1=1 --",
    "\\",
    "%",
    "true",
    "unknown",
]
values = st.one_of(
    st.text(),
    st.text(st.characters(categories=("Nd", "No", "Cc", "Zs", "Pd")), min_size=1),
    st.from_regex(r"[+-]?[0-9]{1,40}", fullmatch=True),
    # Dates and times, well formed or nearly, with any offset.
    st.from_regex(
        r"[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}"
        r"([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?",
        fullmatch=True,
    ),
    st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=3), st.integers(1, 4000)),
    st.sampled_from(NASTY),
)
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(chosen=st.sampled_from(FILTERS), value=values)
def test_any_text_as_any_filter_of_any_list_is_never_a_server_error(client, seed_data, chosen, value):
    cache.clear()  # neither the rate limit nor a cached page stands in the way
    prefix, name = chosen
    for url in lists_of(prefix):
        response = client.get(url, {name: value})
        assert response.status_code < 500, (url, name, value)
        if url.startswith("/api/") and response.status_code == 400:
            # Which value was refused, and why.
            assert set(response.json()) <= {name, "detail"}, response.json()


@settings(PROPERTY, max_examples=30)
@given(
    value=st.one_of(st.text(), st.sampled_from(NASTY), st.from_regex(r"[0-9]{1,40}", fullmatch=True)),
    extra=st.sampled_from(["", "page", "page_size", "ordering", "format"]),
)
def test_every_filter_of_a_list_at_once_and_its_paging_are_never_a_server_error(client, seed_data, value, extra):
    cache.clear()
    for prefix, viewset in API_LISTS.items():
        names = list(viewset.filterset_class.base_filters) if getattr(viewset, "filterset_class", None) else []
        query = dict.fromkeys(names + ([extra] if extra else []), value)
        for url in lists_of(prefix):
            assert client.get(url, query).status_code < 500, (url, value)


@settings(PROPERTY, max_examples=100)
@given(segment=st.one_of(st.text(), st.sampled_from(NASTY), st.from_regex(r"[0-9]{1,40}", fullmatch=True)))
def test_any_path_segment_in_any_detail_address_is_never_a_server_error(client, seed_data, segment):
    cache.clear()
    for pattern in DETAIL_URLS:
        url = pattern.format(quote(segment, safe=""))
        assert client.get(url).status_code < 500, (url, segment)


@settings(PROPERTY, max_examples=50)
@given(header=st.one_of(st.text(), st.sampled_from(['"²³-x"', '"٣-x"', "*", 'W/"1-x"', '"', ",,", "\x00"])))
def test_any_if_match_or_if_none_match_is_never_a_server_error(staff_client, seed_data, header):
    cache.clear()
    tool = Tool.objects.published().order_by("pk").first()
    url = f"/api/tools/{tool.slug}/"
    assert staff_client.get(url, HTTP_IF_MATCH=header, HTTP_IF_NONE_MATCH=header).status_code < 500, header
    response = staff_client.patch(url, {"description": "x"}, content_type="application/json", HTTP_IF_MATCH=header)
    assert response.status_code in (412, 428), (header, response.status_code)
