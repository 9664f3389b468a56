from __future__ import annotations

# Fixtures shared with the clinic's and the push tests.
from tests.clinic.conftest import routine_content  # noqa: F401
from tests.notifications.conftest import push_service, vapid_key  # noqa: F401
