"""Waiting on a condition, never on time: the one polling loop the tests use.

For what no locator can wait on (a row the live server writes, a task's status): check,
and check again a moment later until `timeout` has passed, then fail saying what never
happened; the condition's value comes back. The pause between checks only spaces them
out; no test relies on it. In a Playwright test whose condition is fed by browser events
(a request seen, a DevTools event), use e2e.conftest.poll_page, which lets them arrive.
"""

from __future__ import annotations

import time
from collections.abc import Callable

DEFAULT_TIMEOUT = 15.0  # as long as the e2e assertions wait (e2e/conftest.py)


def poll[T](condition: Callable[[], T], what: str, *, timeout: float = DEFAULT_TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    pause = 0.01
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up after {timeout:g} s waiting until {what}")
        time.sleep(pause)
        pause = min(pause * 2, 0.2)
    return value
