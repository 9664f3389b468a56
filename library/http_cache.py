"""Content answers kept ready to send: a repeat is one tiny query, a cache read and a write.

A content page (for someone not logged in) and a content API answer are pure functions
of the content version, the deployed build (`footing.build`) and the request's address
and htmx headers. `content_view` marks such a view: it answers a matching If-None-Match
with a 304 before the view runs, and marks the answer as one that may be kept.
`ContentCacheMiddleware` keeps marked answers with their identity and gzip bodies
(compressed once, not on every request) and answers repeats before any other middleware
or view runs: a read of the content version, a cache read, and the bytes.

Only requests that carry no session cookie and no Authorization header are answered from
the store, and only answers without cookies, without a CSP nonce, and not marked private
or no-store are kept: nothing made for one person is ever handed to another.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.http import etag

from footing.build import build_id
from library.selectors import content_version

MAX_KEPT = 1000  # answers per server process (~13 KB each with both bodies)
STORABLE = "footing_storable"  # the attribute content_view sets on an answer it may keep
# Set per answer, not kept; a 304 repeats the caching ones (RFC 9110 §15.4.5).
BODY_HEADERS = {"content-length", "content-encoding", "etag"}
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "expires", "vary"}
OTHER_PRECONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE")
PRECONDITIONS = (*OTHER_PRECONDITIONS, "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

View = Callable[..., HttpResponseBase]


def request_content_version(request: HttpRequest) -> str:
    """The content version, read from the database at most once per request."""
    version: str | None = getattr(request, "_content_version", None)
    if version is None:
        version = content_version()
        request._content_version = version  # type: ignore[attr-defined]
    return version


def _variant(request: HttpRequest) -> str:
    """What, besides the content and the build, a content answer depends on."""
    return "|".join(
        (
            request.scheme or "",
            request.get_host(),  # validates the host against ALLOWED_HOSTS
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Boosted", ""),
        )
    )


def content_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """Weak: the gzip and identity bodies of one answer share it."""
    key = f"{build_id()}|{request_content_version(request)}|{_variant(request)}"
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'


def content_view(view: View) -> View:
    """A view whose answer depends only on the content: 304 before it runs, kept after."""
    conditional = etag(content_etag)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = conditional(request, *args, **kwargs)
        setattr(response, STORABLE, True)
        return response

    return wrapped


def personless(request: HttpRequest) -> bool:
    """Nothing in the request says who is asking (no session, no credentials)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


@dataclass(frozen=True)
class KeptAnswer:
    version: str
    etag: str
    headers: tuple[tuple[str, str], ...]
    identity: bytes
    gzipped: bytes | None  # None when compressing does not make it smaller

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        if self._revalidated(request):
            not_modified = HttpResponseNotModified()
            for name, value in self.headers:
                if name.lower() in NOT_MODIFIED_HEADERS:
                    not_modified.headers[name] = value
            not_modified.headers["ETag"] = self.etag
            return not_modified
        use_gzip = self.gzipped is not None and re_accepts_gzip.search(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        )
        body = self.gzipped if use_gzip and self.gzipped is not None else self.identity
        response = HttpResponse(body)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["ETag"] = self.etag
        response.headers["Content-Length"] = str(len(body))
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
        if not any(name in request.META for name in PRECONDITIONS):
            return response  # (nothing for get_conditional_response to weigh)
        return get_conditional_response(request, etag=self.etag, response=response) or response

    def _revalidated(self, request: HttpRequest) -> bool:
        """A plain If-None-Match naming this answer (weak comparison, RFC 9110 §13.1.2).

        The common revalidation, answered without building the full answer; any other
        precondition goes through Django's get_conditional_response above.
        """
        meta = request.META
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if not if_none_match or any(name in meta for name in OTHER_PRECONDITIONS):
            return False
        opaque = self.etag.removeprefix("W/")
        return any(tag.removeprefix("W/") in (opaque, "*") for tag in parse_etags(if_none_match))


def keepable(request: HttpRequest, response: HttpResponseBase) -> KeptAnswer | None:
    """The answer as it may be kept, or None if anything about it is personal or odd."""
    if (
        not getattr(response, STORABLE, False)
        or response.status_code != 200
        or not isinstance(response, HttpResponse)  # streaming answers are not kept
        or response.cookies
        or {"private", "no-store"} & _cache_control(response)
        or "nonce-" in response.get("Content-Security-Policy", "")
        or "ETag" not in response
    ):
        return None
    identity = response.content
    if response.get("Content-Encoding") == "gzip":  # GZipMiddleware ran inside
        identity = gzip.decompress(identity)
    elif response.has_header("Content-Encoding"):
        return None
    gzipped = gzip.compress(identity, compresslevel=9, mtime=0)
    patch_vary_headers(response, ("Accept-Encoding",))
    return KeptAnswer(
        version=request_content_version(request),
        etag=response["ETag"],
        headers=tuple((k, v) for k, v in response.items() if k.lower() not in BODY_HEADERS),
        identity=identity,
        gzipped=gzipped if len(gzipped) < len(identity) else None,
    )


def _cache_control(response: HttpResponseBase) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.split("=")[0].strip().lower() for part in value.split(",") if part.strip()}


def _address(request: HttpRequest) -> str:
    """The request's address and htmx headers exactly as sent: the key of a kept answer.

    Unlike `_variant` this does not validate the host (Django's get_host costs more than
    the rest of a repeat). It need not: an answer is kept only after get_host() accepted
    the host of the request that made it (`ContentCacheMiddleware`), and the same raw
    values are the same host to get_host(), so a request whose host was never accepted
    finds nothing here, goes on to the view, and is refused there.
    """
    meta = request.META
    return "|".join(
        (
            request.scheme or "",
            meta.get("HTTP_X_FORWARDED_HOST", ""),
            meta.get("HTTP_HOST", ""),
            meta.get("SERVER_NAME", ""),
            meta.get("SERVER_PORT", ""),
            request.path,
            meta.get("QUERY_STRING", ""),
            meta.get("HTTP_HX_REQUEST", ""),
            meta.get("HTTP_HX_BOOSTED", ""),
        )
    )


class KeptAnswers:
    """The process's kept answers: a bounded dict, the oldest dropped first.

    Not Django's local-memory cache: it pickles every value on the way in and out, and
    unpickling a 13 KB answer was a fifth of a repeat's time. A KeptAnswer is immutable,
    so handing out the kept object itself is safe. An answer of an older content version
    is replaced when next asked for, so nothing needs to expire.
    """

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self._answers: dict[str, KeptAnswer] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> KeptAnswer | None:
        return self._answers.get(key)

    def put(self, key: str, answer: KeptAnswer) -> None:
        with self._lock:
            self._answers.pop(key, None)
            while len(self._answers) >= self.limit:
                del self._answers[next(iter(self._answers))]
            self._answers[key] = answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)


kept_answers = KeptAnswers()


class ContentCacheMiddleware:
    """Answers repeats of kept content answers before anything else runs.

    Sits just inside SecurityMiddleware (its redirects and headers still apply to every
    answer); everything inside it, CSP and X-Frame-Options included, is kept with the
    answer. Answers are kept under the build and the request's address and carry their
    content version, so a request for something never kept costs no query at all, and
    one whose content changed is rendered once more and kept again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method != "GET"
            or request.path_info.startswith(settings.STATIC_URL)  # WhiteNoise's
            or not personless(request)
        ):
            return self.get_response(request)
        key = f"{build_id()}|{_address(request)}"
        kept = kept_answers.get(key)
        if kept is not None and kept.version == request_content_version(request):
            return kept.answer(request)
        response = self.get_response(request)
        fresh = keepable(request, response)
        if fresh is None:
            return response
        request.get_host()  # accepted (it raises otherwise): see _address
        kept_answers.put(key, fresh)
        return fresh.answer(request)
