"""Kept content answers (library.http_cache): a repeat is one query, no view, no gzip."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from library import http_cache, selectors
from library.http_cache import STORABLE, keepable
from tests.factories import exercise_data, load, routine_data, write_content, write_file

pytestmark = pytest.mark.django_db

ROUTINE_PAGE = "/routines/heel-routine/"
ROUTINE_API = "/api/v1/routines/heel-routine"
EXERCISES = "/exercises/"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = write_content(
        tmp_path,
        exercises=[exercise_data(), exercise_data("toe-yoga", goal="pain-management")],
        routines=[routine_data(items=[{"exercise": "calf-raise"}, {"exercise": "toe-yoga"}])],
    )
    load(root)
    return root


@pytest.fixture
def renders(monkeypatch) -> Counter[str]:
    """How often the views really ran: each calls one of these selectors."""
    calls: Counter[str] = Counter()
    for name in ("routine_version_get", "exercise_list"):
        original = getattr(selectors, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(selectors, name, counted)
    return calls


def queries(client: Client, url: str, **headers: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url", [ROUTINE_PAGE, ROUTINE_API])
def test_a_repeat_is_one_query_and_no_view(content: Path, renders: Counter[str], url: str) -> None:
    first = Client().get(url)
    assert renders["routine_version_get"] == 1

    again, sql = queries(Client(), url)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert len(sql) == 1 and "library_contentrelease" in sql[0]  # the version, nothing else
    assert renders["routine_version_get"] == 1


@pytest.mark.parametrize("kept", [True, False], ids=["kept", "not-kept-yet"])
@pytest.mark.parametrize("url", [ROUTINE_PAGE, ROUTINE_API])
def test_a_matching_etag_gets_a_304_before_the_view_runs(
    content: Path, renders: Counter[str], url: str, kept: bool
) -> None:
    etag = Client().get(url)["ETag"]
    if not kept:
        http_cache.kept_answers.clear()
    ran = renders["routine_version_get"]

    response, sql = queries(Client(), url, if_none_match=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert renders["routine_version_get"] == ran  # the view did not run
    assert len(sql) <= 1


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ('"other", {etag}', 304),
        ("{strong}", 304),  # weak comparison: W/"x" and "x" name one answer
        ("*", 304),
        ('"other"', 200),
        ('W/"other", "another"', 200),
    ],
)
def test_revalidating_a_kept_answer(content: Path, if_none_match: str, status: int) -> None:
    etag = Client().get(ROUTINE_API)["ETag"]
    header = if_none_match.format(etag=etag, strong=etag.removeprefix("W/"))

    response = Client().get(ROUTINE_API, headers={"if-none-match": header})

    assert response.status_code == status
    assert response["ETag"] == etag
    assert "must-revalidate" in response["Cache-Control"]
    assert "accept-encoding" in response["Vary"].lower()


def test_a_logged_in_api_client_revalidates_without_the_operation_running(
    content: Path, renders: Counter[str]
) -> None:
    client = Client()
    client.force_login(User.objects.create_user("ann", password="a-long-password-1"))
    etag = client.get(ROUTINE_API)["ETag"]
    ran = renders["routine_version_get"]

    again = client.get(ROUTINE_API, headers={"if-none-match": etag})

    assert again.status_code == 304
    assert renders["routine_version_get"] == ran


@pytest.mark.parametrize("url", [ROUTINE_PAGE, ROUTINE_API, EXERCISES])
def test_gzip_and_identity_are_one_answer_compressed_once(
    content: Path, monkeypatch, url: str
) -> None:
    compressions = Counter[str]()
    real_compress = gzip.compress

    def counted(data: bytes, *args, **kwargs) -> bytes:
        compressions["gzip"] += 1
        return real_compress(data, *args, **kwargs)

    monkeypatch.setattr(http_cache.gzip, "compress", counted)
    plain = Client().get(url)
    assert compressions["gzip"] == 1

    zipped = [Client().get(url, headers={"accept-encoding": "gzip, br"}) for _ in range(3)]
    again = Client().get(url)

    assert compressions["gzip"] == 1  # not per request, and GZipMiddleware did not run either
    for response in zipped:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
        assert response["ETag"] == plain["ETag"]
    assert "Content-Encoding" not in plain and "Content-Encoding" not in again
    assert int(plain["Content-Length"]) == len(plain.content)
    assert again.content == plain.content
    for response in (plain, again, *zipped):
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-encoding", "cookie"} <= vary


def test_the_htmx_partial_and_the_page_are_kept_apart(content: Path) -> None:
    page = Client().get(EXERCISES)
    partial = Client().get(EXERCISES, headers={"hx-request": "true"})
    boosted = Client().get(EXERCISES, headers={"hx-request": "true", "hx-boosted": "true"})
    again = [
        Client().get(EXERCISES),
        Client().get(EXERCISES, headers={"hx-request": "true"}),
        Client().get(EXERCISES, headers={"hx-request": "true", "hx-boosted": "true"}),
    ]

    assert b"<html" in page.content and b"<html" in boosted.content
    assert b"<html" not in partial.content
    assert [r.content for r in again] == [page.content, partial.content, boosted.content]
    assert len({page["ETag"], partial["ETag"], boosted["ETag"]}) == 3
    assert "hx-request" in partial["Vary"].lower()
    # The partial's ETag does not revalidate the full page.
    assert Client().get(EXERCISES, headers={"if-none-match": partial["ETag"]}).status_code == 200


def test_new_content_is_served_at_once_and_old_etags_get_it(content: Path) -> None:
    old = {url: Client().get(url) for url in (ROUTINE_PAGE, ROUTINE_API)}
    write_file(content, "routines", routine_data(title="Renamed", changelog="New title."))
    load(content)

    for url, before in old.items():
        response = Client().get(url, headers={"if-none-match": before["ETag"]})
        assert response.status_code == 200
        assert b"Renamed" in response.content
        assert response["ETag"] != before["ETag"]
        assert Client().get(url).content == response.content  # and that is what is kept now


def test_a_new_build_is_a_new_etag(content: Path, monkeypatch) -> None:
    before = Client().get(ROUTINE_API)["ETag"]
    monkeypatch.setattr(http_cache, "build_id", lambda: "another-build")

    response = Client().get(ROUTINE_API, headers={"if-none-match": before})

    assert response.status_code == 200
    assert response["ETag"] != before


def test_people_with_a_session_never_get_a_kept_page(content: Path) -> None:
    anonymous = Client().get("/")
    client = Client()
    client.force_login(User.objects.create_user("ann", password="a-long-password-1"))

    response = client.get("/")
    after = Client().get("/")

    # Her start page asks for her routine notices; the visitors' page has nobody's to ask.
    assert b"data-routine-updates" not in anonymous.content
    assert b"data-routine-updates" in response.content  # drawn for her, not the kept page
    assert not getattr(response, STORABLE, False)
    assert after.content == anonymous.content  # and hers was not kept for the next person


def test_credentials_or_a_bad_host_bypass_the_store(content: Path, renders: Counter[str]) -> None:
    Client().get(ROUTINE_API)
    Client().get(ROUTINE_API)
    assert renders["routine_version_get"] == 1

    assert Client().get(ROUTINE_API, headers={"host": "evil.example"}).status_code == 400
    with_credentials = Client().get(ROUTINE_API, headers={"authorization": "Basic eDp5"})

    assert with_credentials.status_code == 200
    assert renders["routine_version_get"] == 2  # rendered, not taken from the store


def test_routes_that_keep_nothing_never_read_the_content_version(content: Path) -> None:
    for url in ("/accounts/login/", "/offline/", "/healthz"):
        Client().get(url)
        _, sql = queries(Client(), url)
        # /healthz reads the version itself (once); the store never adds a read.
        assert sum("library_contentrelease" in q for q in sql) == (url == "/healthz")


def _answer(**changes) -> HttpResponse:
    response = changes.pop("response", None) or HttpResponse("x" * 500)
    response["ETag"] = 'W/"abc"'
    setattr(response, STORABLE, changes.pop("storable", True))
    for name, value in changes.items():
        if name == "cookie":
            response.set_cookie(value, "1")
        else:
            response[name.replace("_", "-")] = value
    return response


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(lambda: _answer(storable=False), id="not-marked"),
        pytest.param(lambda: _answer(cookie="sessionid"), id="sets-a-cookie"),
        pytest.param(lambda: _answer(cookie="csrftoken"), id="sets-csrf"),
        pytest.param(lambda: _answer(Cache_Control="private"), id="private"),
        pytest.param(lambda: _answer(Cache_Control="max-age=0, no-store"), id="no-store"),
        pytest.param(
            lambda: _answer(Content_Security_Policy="script-src 'nonce-abc'"), id="csp-nonce"
        ),
        pytest.param(lambda: _answer(response=HttpResponse("x", status=404)), id="404"),
        pytest.param(lambda: _answer(response=StreamingHttpResponse(iter([b"x"]))), id="streaming"),
        pytest.param(lambda: _answer(Content_Encoding="br"), id="other-encoding"),
    ],
)
def test_nothing_personal_or_odd_is_kept(content: Path, response) -> None:
    request = RequestFactory().get(ROUTINE_API)

    assert keepable(request, response()) is None


def test_a_plain_marked_answer_is_kept_with_both_bodies(content: Path) -> None:
    request = RequestFactory().get(ROUTINE_API)

    kept = keepable(request, _answer(Cache_Control="public, max-age=0"))

    assert kept is not None
    assert kept.gzipped is not None and gzip.decompress(kept.gzipped) == kept.identity
    assert kept.version == selectors.content_version()


@pytest.mark.parametrize(
    "header",
    [
        {"if-match": '"other"'},
        {"if-match": "*"},
        {"if-unmodified-since": "Sat, 01 Jan 2000 00:00:00 GMT"},
        {"if-modified-since": "Sat, 01 Jan 2000 00:00:00 GMT"},
        {},
    ],
)
def test_a_kept_answer_weighs_preconditions_as_the_view_does(content: Path, header: dict) -> None:
    rendered = Client().get(ROUTINE_API, headers=header)  # nothing kept yet: the view's
    Client().get(ROUTINE_API)

    kept = Client().get(ROUTINE_API, headers=header)

    assert kept.status_code == rendered.status_code
    assert kept.content == rendered.content


def test_the_store_keeps_a_bounded_number_of_answers_dropping_the_oldest() -> None:
    store = http_cache.KeptAnswers(limit=3)
    answers = {
        key: http_cache.KeptAnswer(
            version="1", etag='W/"x"', headers=(), identity=key.encode(), gzipped=None
        )
        for key in "abcd"
    }
    for key, answer in answers.items():
        store.put(key, answer)

    assert len(store) == 3
    assert store.get("a") is None
    assert [store.get(key) for key in "bcd"] == [answers[key] for key in "bcd"]
    store.put("b", answers["b"])  # kept again: now the newest
    store.put("e", answers["a"])
    assert store.get("c") is None and store.get("b") is answers["b"]
