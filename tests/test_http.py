"""footing/http.py: the page plumbing both adapters share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from footing.errors import Invalid, NotFound
from footing.http import logged_in_user, page_errors, partial_template


def request_with(headers: dict[str, str] | None = None):
    request = RequestFactory().get("/", headers=headers or {})
    request.htmx = HtmxDetails(request)
    return request


def test_the_logged_in_user_comes_back_typed() -> None:
    request = request_with()
    request.user = User(username="ana")
    assert logged_in_user(request) is request.user


def test_nobody_logged_in_is_refused_not_served() -> None:
    request = request_with()
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        logged_in_user(request)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "page.html"),  # a plain request: the whole page
        ({"HX-Request": "true"}, "page.html#list"),  # an htmx swap: the fragment
        ({"HX-Request": "true", "HX-Boosted": "true"}, "page.html"),  # a boosted link
    ],
)
def test_only_an_htmx_swap_gets_the_partial(headers: dict[str, str], expected: str) -> None:
    assert partial_template(request_with(headers), "page.html", "list") == expected


def test_a_request_htmx_never_saw_gets_the_whole_page() -> None:
    assert partial_template(RequestFactory().get("/"), "page.html", "list") == "page.html"


def test_page_errors_turns_not_found_into_a_404_and_leaves_the_rest() -> None:
    @page_errors
    def missing(request, slug: str) -> HttpResponse:
        raise NotFound(f"No routine {slug}.")

    @page_errors
    def invalid(request) -> HttpResponse:
        raise Invalid("Bad.", field="x")

    @page_errors
    def fine(request) -> HttpResponse:
        return HttpResponse("ok")

    with pytest.raises(Http404, match=r"No routine heel\."):
        missing(request_with(), slug="heel")
    with pytest.raises(Invalid):
        invalid(request_with())
    assert fine(request_with()).content == b"ok"
    assert missing.__name__ == "missing"
