"""Every form, sent missing, malformed, oversized and wrong-type values: a 4xx or the form again with its
errors, and nothing in the database changed. The forms are found from the permission matrix, so a new form
is covered as soon as its route is listed there."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.extensions import db
from tests.platform.test_permission_matrix import ACCESS, LEVELS, ROLES, _url

REFUSALS = {400, 403, 404, 405, 409, 410, 413, 422, 429}
HARMLESS_REDIRECTS = {"auth.sign_out"}  # signing out with a strange body still just signs out
#: forms whose only field is free text: a plain word is good input there, so only missing, blank and oversized
#: values are bad
FREE_TEXT_FORMS = {"auth.api_token_create"}
#: buttons with no field at all (delete this item, send the invitations again): any body is a valid press, so
#: only "never a 5xx" applies
BUTTONS = {
    "meetings.agenda_item_delete",
    "meetings.invitations_refresh",
    "meetings.personal_calendar_reset",
    "outcomes.outcomes_publish",
    "partnerships.attachment_remove",
    "partnerships.project_confirm",
    "roundtables.role_delete",
    "roundtables.team_accept",
    "roundtables.team_close",
    "roundtables.team_decline",
    "roundtables.team_withdraw",
}
BUTTONS |= {"notifications.notification_read", "notifications.notifications_read_all"}


def _form_posts() -> list[tuple[str, str]]:
    """(endpoint, role allowed to post it) for every POST route."""
    chosen = []
    for (endpoint, method), level in sorted(ACCESS.items()):
        # the API's writes take JSON with a token, not forms: the schemathesis test in tests/api fuzzes them
        if method == "POST" and not endpoint.startswith("api."):
            allowed = LEVELS[level]
            if level == "public":
                role = "anonymous"
            else:
                role = "support_unit" if "support_unit" in allowed else sorted(allowed - {"anonymous"})[0]
            chosen.append((endpoint, role))
    return chosen


def _field_names(client, url: str) -> list[str]:
    page = client.get(url)
    names = set(re.findall(r'name="([a-z_]+)"', page.get_data(as_text=True))) if page.status_code == 200 else set()
    return sorted(names - {"csrf_token", "q", "lang", "next"}) or ["name", "email", "password", "active"]


def _fingerprint() -> dict[str, int]:
    """Row counts of every table: any insert or delete shows here, and every update writes an audit row."""
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for name, table in db.metadata.tables.items()
    }


def _payloads(names: list[str]) -> list[dict[str, str]]:
    return [
        {},  # everything missing
        dict.fromkeys(names, ""),  # everything blank
        dict.fromkeys(names, "abc"),  # the wrong type for numbers, dates, choices
        dict.fromkeys(names, "-1"),  # a number where none fits
        dict.fromkeys(names, "x" * 5000),  # oversized
        dict.fromkeys(names, "2010-13-45"),  # a date that does not exist
        dict.fromkeys(names, "=HYPERLINK(\"http://evil.example\")"),  # a formula, and not a valid value
    ]


@pytest.mark.parametrize(("endpoint", "role"), _form_posts())
def test_bad_input_is_refused_and_changes_nothing(app, client_for, endpoint, role):
    url = _url(app, endpoint)
    names = _field_names(client_for(ROLES[role]), url)
    before = _fingerprint()
    payloads = _payloads(names)
    if endpoint in FREE_TEXT_FORMS:
        payloads = [p for p in payloads if not p or set(p.values()) in ({""}, {"x" * 5000})]
    for payload in payloads:
        response = client_for(ROLES[role]).post(url, data=payload)
        status = response.status_code
        if endpoint in BUTTONS:
            assert status < 500
            continue
        if endpoint in HARMLESS_REDIRECTS:
            assert status == 302
        else:
            assert status in REFUSALS, f"{endpoint} answered {status} to {str(payload)[:80]}"
        assert b"Traceback" not in response.data
        assert _fingerprint() == before, f"{endpoint} changed the database on {str(payload)[:80]}"
