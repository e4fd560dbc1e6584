"""The reminder fixtures of tests/notifications, for the follow-up's reminder kinds."""

from tests.notifications.conftest import make_rule, sweep_at  # noqa: F401 - pytest finds fixtures by name
