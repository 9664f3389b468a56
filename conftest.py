"""Shared by tests/ and e2e/: the built static files, served as in production.

`make test` builds them first; this keeps a bare `pytest` run working too.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

from tests.content_snapshot import ContentSnapshot


def _newest_source() -> float:
    folders = [Path(folder) for folder in settings.STATICFILES_DIRS]
    return max(
        (
            path.stat().st_mtime
            for folder in folders
            for path in folder.rglob("*")
            if path.is_file()
        ),
        default=0.0,
    )


# What lets a test reach a database (pytest-django refuses every other test's queries).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "live_server",
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that can reach the database (make test's second database: "
        "the others cannot tell one database from another and have run on the first)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("database_tests_only"):
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        (kept if uses_the_database(item) else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


def pytest_sessionstart(session: pytest.Session) -> None:
    """Build the static files before collection: a module may build a WSGI handler when it
    is imported (tests/api/test_fuzz.py), and WhiteNoise scans the built files then. Under
    pytest-xdist only the controller builds, before any worker starts."""
    if hasattr(session.config, "workerinput"):
        return
    _static_files_build()


def _static_files_build() -> None:
    # Exercise illustrations first: they are static files too. Only missing ones are drawn
    # here (a minute or two from scratch); `make assets` also redraws changed poses.
    from library.illustrations.lookup import build_dir
    from library.illustrations.renditions import illustrations_build

    # Test runs in one checkout take turns: one builds, the others find it built.
    lock = Path(settings.BASE_DIR) / "build" / ".static-build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        illustrations_build(
            poses_dir=Path(settings.CONTENT_DIR) / "poses", out_dir=build_dir(), only_missing=True
        )
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists() or manifest.stat().st_mtime < _newest_source():
            call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords() -> Iterator[None]:
    """Argon2, the production hasher, spends a second or two of a busy core on each hash,
    on purpose; the suite hashes thousands of test passwords. One test keeps it and proves
    production uses it (tests/accounts/test_accounts.py, production_passwords)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with empty caches (content answers are kept per content version)."""
    from django.core.cache import cache

    from library.http_cache import kept_answers

    cache.clear()
    kept_answers.clear()


@pytest.fixture(scope="session", autouse=True)
def _whitenoise_serves_static() -> Iterator[None]:
    """Serve the built, hashed static files through WhiteNoise, as in production.

    pytest-django's live server would otherwise answer /static/ from the finders, which
    know no hashed names (and the service worker's precache list is built from them).
    """
    from django.contrib.staticfiles import handlers

    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = lambda app: app  # type: ignore[assignment,misc,return-value]
    yield
    handlers.StaticFilesHandler = original  # type: ignore[misc]


@pytest.fixture(scope="session", autouse=True)
def _static_files_scanned_once() -> Iterator[None]:
    """WhiteNoise reads every built static file's size, type and headers when its
    middleware starts: once per process in production, but once per test `Client` here
    (each client builds its own middleware chain), which cost 0.3-1.4 s per client and
    three quarters of the authorization matrix's time. The scan is kept per static root
    and per build (the manifest's mtime) and per header setting, so a rebuild or a test
    that changes how files are served still gets a fresh one."""
    from whitenoise.base import WhiteNoise  # type: ignore[import-untyped]

    original = WhiteNoise.update_files_dictionary
    scans: dict[tuple[object, ...], dict[str, object]] = {}

    def update_files_dictionary(self: Any, root: str, prefix: str) -> None:
        manifest = Path(root) / "staticfiles.json"
        key = (
            root,
            prefix,
            manifest.stat().st_mtime_ns if manifest.exists() else None,
            settings.STATIC_URL,
            settings.STORAGES["staticfiles"]["BACKEND"],
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.add_headers_function,
            self.index_file,
            repr(getattr(settings, "WHITENOISE_MIMETYPES", None)),
            repr(getattr(settings, "WHITENOISE_IMMUTABLE_FILE_TEST", None)),
        )
        if key not in scans:
            kept, self.files = self.files, {}
            try:
                original(self, root, prefix)
                scans[key] = self.files
            finally:
                self.files = kept
        self.files.update(scans[key])

    WhiteNoise.update_files_dictionary = update_files_dictionary
    yield
    WhiteNoise.update_files_dictionary = original


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's test databases, started from a kept migrated copy when there is one
    for these migrations (tests/template_database.py); torn down after the session."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.template_database import one_at_a_time, template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        kept = template() if aliases == {"default"} else None
        with one_at_a_time():
            copied = kept is not None and kept.copy()
            config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                keepdb=copied,
                aliases=dict.fromkeys(aliases),  # (read as a collection of names)
                serialized_aliases=serialized_aliases,
            )
            if kept is not None and not copied:
                kept.keep()
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=verbosity)


@pytest.fixture(scope="session")
def content_snapshot(django_db_setup: None, django_db_blocker: Any) -> ContentSnapshot:
    """The clinic's content, loaded once for the session (tests/content_snapshot.py)."""
    with django_db_blocker.unblock():
        return ContentSnapshot.take()
