"""Django's messages are set up for pages and left out of the API (footing/middleware.py).

The API answers in JSON and has no use for them; a message a page left must still reach
the next page, with or without API calls in between.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from footing.middleware import PageMessagesMiddleware

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = CookieStorage.cookie_name  # (FallbackStorage keeps them in a cookie first)
factory = RequestFactory()


def through(
    path: str, cookies: dict[str, str], *, add: str = ""
) -> tuple[list[str], dict[str, str], HttpResponse]:
    """One request through the middleware: the messages the view saw, the browser's
    cookies after the answer, and the answer."""
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        if add:
            messages.success(request, add)
        elif hasattr(request, "_messages"):
            seen.extend(str(message) for message in messages.get_messages(request))
        return HttpResponse("ok")

    request = factory.get(path)
    request.COOKIES.update(cookies)
    request.session = SessionStore()
    response = PageMessagesMiddleware(view)(request)
    after = dict(cookies)
    stored = response.cookies.get(MESSAGES)
    if stored is not None:
        after.pop(MESSAGES, None)
        if stored.value:
            after[MESSAGES] = stored.value
    return seen, after, response


def test_an_api_request_has_no_message_store_and_a_page_has_one() -> None:
    stores = {}
    for path in ("/api/v1/checkins", "/api/v1/me", "/history/", "/accounts/login/", "/"):
        request = factory.post(path)
        request.session = SessionStore()
        PageMessagesMiddleware(lambda r: HttpResponse())(request)
        stores[path] = hasattr(request, "_messages")
    assert stores == {
        "/api/v1/checkins": False,
        "/api/v1/me": False,
        "/history/": True,
        "/accounts/login/": True,
        "/": True,
    }


def test_a_message_left_by_a_page_reaches_the_next_page_across_api_calls() -> None:
    _, cookies, _ = through("/accounts/welcome/", {}, add="Saved.")
    assert MESSAGES in cookies
    for _ in range(2):
        seen, after, answer = through("/api/v1/checkins", cookies)
        assert seen == [] and after == cookies
        assert MESSAGES not in answer.cookies  # not read, not cleared
    seen, cookies, _ = through("/history/", cookies)
    assert seen == ["Saved."]
    assert through("/history/", cookies)[0] == []  # shown once, then gone


def test_django_checks_still_find_the_message_middleware() -> None:
    """The admin needs it (admin.E409 looks for MessageMiddleware or a subclass)."""
    assert "footing.middleware.PageMessagesMiddleware" in settings.MIDDLEWARE
    assert "django.contrib.messages.middleware.MessageMiddleware" not in settings.MIDDLEWARE
    assert issubclass(PageMessagesMiddleware, MessageMiddleware)


def test_no_api_module_uses_messages() -> None:
    """What makes leaving them out of the API safe: no API code adds or reads one."""
    users = []
    for source in sorted((ROOT / "api").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                if any("messages" in name for name in names):
                    users.append(source.name)
    assert users == []
