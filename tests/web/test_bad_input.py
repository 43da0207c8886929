"""Bad input never gives a server error (issue 9).

Every URL pattern of the project (found by walking the URL resolver, so a new page is covered
the day it is added) is requested by every role with hostile path segments and query
parameters: NUL bytes, which PostgreSQL refuses in text; digits of other scripts ("²", "٣");
huge numbers; impossible periods; unknown codes, fields and orderings. The admin's
changelists get their own filter, search, ordering and date-hierarchy parameters. The answer
is always one a reader can act on: 200, 302, 400, 403, 404 or 405, never a 500.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from comments.filters import CommentFilter
from comments.services import comment_post
from rankings.filters import StandingFilter
from tests.builders import user_with_role

pytestmark = pytest.mark.django_db

ACCEPTABLE = {200, 302, 400, 403, 404, 405}
# None is the anonymous reader.
ROLES = [None, Role.VIEWER, Role.CLERK, Role.REVIEWER, Role.ADMINISTRATOR]

# <str:period>, <int:pk>, <path:object_id> in a route; (?P<url>.*) and ([^/]+) in a regex.
_PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)|\([^)]*\)")

HOSTILE_TEXTS = [
    "\x00",
    "a\x00b",
    "2025Q1\x00",
    "²",
    "٣",
    "１",
    "2025Q²",
    "٢٠٢٥Q١",
    "0",
    "-1",
    "9" * 40,
    "1e999999999",
    "-1e-999999999",
    "NaN",
    "Infinity",
    "0000Q1",
    "9999Q9",
    "1900Q1",
    "1899Q4",
    "2999Q4",
    "3000",
    "2025Q0",
    "2025-00",
    "2025-13",
    "99999-01",
    "1.-2.x",
    "-0.-99",
    "..",
    " ",
    "'",
    '"; DROP TABLE x; --',
    "%",
    "%00",
    "\\",
    "<script>",
    "\u202e",
    "\uffff",
    "😀",
]
# Query parameters the site's own views read.
SITE_PARAMETERS = [
    "period",
    "race",
    "group",
    "district",
    "indicator",
    "revision",
    "version",
    "preview",
    "show",
    "sort",
    "page",
    "kind",
    "status",
    "next",
    "language",
    *StandingFilter.base_filters,
    *CommentFilter.base_filters,
]
# Form fields the site's and the admin's forms post.
FORM_FIELDS = [
    "body",
    "reason",
    "decision",
    "deadline",
    "token",
    "action",
    "cancel",
    "username",
    "password",
    "code",
    "name",
    "value",
    "target",
    "note",
]


def url_routes() -> list[str]:
    """Every URL pattern of the project, its prefixes joined, placeholders left in."""

    def walk(patterns, prefix: str):
        for entry in patterns:
            route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            else:
                yield route

    return sorted(set(walk(get_resolver().url_patterns, "")))


def url_for(route: str, segments: list[str]) -> str:
    """The route with its placeholders filled in order (percent-encoded, as a browser sends)."""
    values = iter(segments)
    return "/" + _PLACEHOLDER.sub(lambda match: quote(next(values, "x"), safe=""), route)


def placeholder_count(route: str) -> int:
    return len(_PLACEHOLDER.findall(route))


def admin_changelist_parameters(user) -> list[str]:
    """Every query parameter an admin changelist reads: filters, search, ordering, pages and
    date hierarchy, as the changelists themselves declare them."""
    request = RequestFactory().get("/admin/")
    request.user = user
    names = {SEARCH_VAR, ORDER_VAR, PAGE_VAR, ALL_VAR, ERROR_FLAG, TO_FIELD_VAR, IS_POPUP_VAR}
    for model_admin in admin.site._registry.values():
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            names.update(spec.expected_parameters())
        if model_admin.date_hierarchy:
            names.update(
                f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")
            )
    return sorted(names)


@pytest.fixture
def scene(published, users):
    """Codes and ids that exist, so hostile parameters also reach pages that open."""
    comment = comment_post(
        author=users[Role.OFFICIAL],
        race=published.race,
        period=published.latest_period,
        body="Retail is lagging.",
        district=published.districts[0],
    )
    known = [
        published.race.code,
        published.group.code,
        *(period.code for period in published.periods),
        *(district.code for district in published.districts[:2]),
        *(indicator.code for indicator in published.indicators[:2]),
        str(comment.pk),
        str(published.publications[-1].pk),
        "1",
        "csv",
        "xlsx",
        "districts",
    ]
    return {
        "known": known,
        "admin_parameters": admin_changelist_parameters(users[Role.ADMINISTRATOR]),
    }


def _client_for_role(client, users, role):
    client.logout()
    if role is not None:
        client.force_login(users[role])
    return client


def _assert_answers_sensibly(response, url):
    assert response.status_code in ACCEPTABLE, f"{response.status_code} for {url!r}"


# --- NUL bytes: PostgreSQL refuses them in text -----------------------------------------


@pytest.mark.parametrize("role", ROLES, ids=lambda role: str(role or "anonymous"))
def test_a_nul_byte_in_any_path_segment_or_query_parameter_is_refused(client, users, scene, role):
    client = _client_for_role(client, users, role)
    parameters = [*SITE_PARAMETERS, *scene["admin_parameters"]]
    for index, route in enumerate(url_routes()):
        count = placeholder_count(route)
        for position in range(count):
            segments = [scene["known"][0]] * count
            segments[position] = "\x00"
            url = url_for(route, segments)
            _assert_answers_sensibly(client.get(url), url)
            _assert_answers_sensibly(client.post(url), url)
        # Every page once, every parameter at least once: the refusal comes before any view.
        url = url_for(route, scene["known"][:count])
        parameter = parameters[index % len(parameters)]
        response = client.get(url, {"period": scene["known"][2], parameter: "x\x00"})
        _assert_answers_sensibly(response, f"{url}?{parameter}=x%00")
    for parameter in parameters:
        response = client.get("/admin/districts/value/", {parameter: "\x00"})
        _assert_answers_sensibly(response, f"/admin/districts/value/?{parameter}=%00")


def test_a_nul_byte_in_a_district_code_is_a_bad_request_on_every_database(client):
    client.force_login(user_with_role(Role.VIEWER))
    assert client.get("/districts/%00/").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/districts/value/?q=%00",
        "/admin/districts/district/?q=a%00b",
        "/admin/comments/comment/?q=%00",
        "/admin/districts/value/?period=2025Q1%00",
        "/admin/districts/value/?status__exact=%00",
        "/admin/rankings/publication/?period__exact=%00",
        "/admin/comments/comment/?period__exact=%00",
        "/admin/districts/district/%00/change/",
        "/comments/?period=%00",
        "/comments/?race=%00",
        "/races/test-race/2025Q2/?sort=%00",
        "/indicators/%00/",
        "/indicators/x/?group=%00",
        "/districts/x/?race=%00",
    ],
)
def test_a_nul_byte_in_an_admin_filter_search_or_page_parameter_is_a_bad_request(client, url):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "published_at__year=9999&published_at__month=12&published_at__day=31",
        "published_at__year=0",
        "published_at__year=99999999999999999999",
        "published_at__year=٣&published_at__month=²",
        "published_at__year=2025&published_at__month=2&published_at__day=30",
        "o=99.-1.x.²",
        "p=99999999999999999999",
        "p=-1",
        "all=&e=1",
        "race__id__exact=99999999999999999999",
        "period__exact=9999Q9",
        "_to_field=password",
    ],
)
def test_odd_admin_changelist_parameters_are_not_a_server_error(client, query):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.get(f"/admin/rankings/publication/?{query}")
    _assert_answers_sensibly(response, query)


@pytest.mark.parametrize("field", ["username", "password", "\x00"])
def test_a_nul_byte_in_a_posted_form_is_a_bad_request(client, field):
    response = client.post(
        "/accounts/login/", {"username": "admin", "password": "x", field: "\x00"}
    )
    assert response.status_code == 400


def test_a_nul_byte_in_a_cookie_or_header_is_a_bad_request(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400
    client.cookies.clear()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh\x00").status_code == 400


def test_the_bad_request_page_reads_in_both_languages(client):
    response = client.get("/%00")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求无法读取" in html and "Bad request" in html


# --- Any hostile text anywhere, for every role ---------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.integers().map(str),
)


@st.composite
def hostile_requests(draw, routes: list[str], known: list[str], parameters: list[str]):
    route = draw(st.sampled_from(routes))
    segment = st.one_of(st.sampled_from(known), hostile_text)
    segments = [draw(segment) for _ in range(placeholder_count(route))]
    query = draw(st.dictionaries(st.sampled_from(parameters), hostile_text, max_size=4))
    method = draw(st.sampled_from(["get", "get", "post"]))
    form = (
        draw(st.dictionaries(st.sampled_from(FORM_FIELDS + parameters), hostile_text, max_size=4))
        if method == "post"
        else {}
    )
    return method, url_for(route, segments), query, form


@pytest.mark.parametrize("role", ROLES, ids=lambda role: str(role or "anonymous"))
def test_no_hostile_path_or_parameter_gives_a_server_error(client, users, scene, role):
    client = _client_for_role(client, users, role)
    routes = url_routes()
    parameters = [*SITE_PARAMETERS, *scene["admin_parameters"]]

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(hostile_requests(routes, scene["known"], parameters))
    def request_answers_sensibly(hostile):
        method, url, query, form = hostile
        if method == "get":
            response = client.get(url, query)
        else:
            response = client.post(f"{url}?{urlencode(query)}", form)
        _assert_answers_sensibly(response, f"{method.upper()} {url}?{urlencode(query)} {form}")

    request_answers_sensibly()


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.ADMINISTRATOR])
def test_no_hostile_admin_filter_search_or_ordering_gives_a_server_error(
    client, users, scene, role
):
    client = _client_for_role(client, users, role)
    changelists = [
        route for route in url_routes() if route.startswith("admin/") and route.count("/") == 3
    ]
    parameters = scene["admin_parameters"]
    value = st.one_of(
        st.sampled_from(scene["known"] + ["approved", "1", "0", "1.2", "-3"]), hostile_text
    )

    @settings(
        max_examples=50,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        route=st.sampled_from(changelists),
        query=st.dictionaries(st.sampled_from(parameters), value, min_size=1, max_size=4),
    )
    def changelist_answers_sensibly(route, query):
        url = url_for(route, [])
        _assert_answers_sensibly(client.get(url, query), f"{url}?{urlencode(query)}")

    changelist_answers_sensibly()


def test_the_route_walk_finds_the_site_and_every_admin_changelist():
    routes = url_routes()
    assert {"", "districts/<str:code>/", "races/<slug:race>/<str:period>/"} <= set(routes)
    for model in admin.site._registry:
        assert f"admin/{model._meta.app_label}/{model._meta.model_name}/" in routes
