# The runner fixtures live with the journal tests; account tests use the same runners.
from tests.journal.conftest import other_client, runner, runner_client  # noqa: F401
