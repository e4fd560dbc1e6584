"""The pages: the Support Unit's rules (with preview and refusals) and outbox, everyone's notification list and
"my tasks"; and a dead broker that must not break a request."""

from __future__ import annotations

import smtplib
import socket
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.core import outbox
from forum.core.audit import AuditEntry
from forum.core.outbox import MailMessage, MailStatus
from forum.core.tasks import sweep_mail
from forum.extensions import db
from forum.notifications.models import Channel, Notification, ReminderRule
from tests.notifications.conftest import DUE, notifications_for

SU = "support@example.org"
MEXICO = "focal.mexico@example.org"
RULE_FORM = {
    "kind": "checklist_item",
    "name": "Final paper, two weeks before",
    "offset_days": "-14",
    "repeat_days": "",
    "recipient_roles": ["owner", "co_chairs"],
    "subject_template": "{session}: {title} due {due_date}",
    "body_template": "Dear {recipient_name}, see {link}",
    "is_active": "y",
}
SU_PAGES = [
    ("GET", "/notifications/rules"),
    ("GET", "/notifications/rules/new"),
    ("POST", "/notifications/rules/new"),
    ("GET", "/notifications/outbox"),
    ("POST", "/notifications/outbox/pause"),
]


def _rule_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(ReminderRule.id)))


@pytest.mark.parametrize(("method", "path"), SU_PAGES)
@pytest.mark.parametrize("who", [MEXICO, "chair@example.org"])
def test_only_the_support_unit_reaches_rules_and_outbox(client_for, who, method, path):
    response = client_for(who).open(path, method=method, data=RULE_FORM)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), SU_PAGES)
def test_anonymous_is_sent_to_sign_in(client, method, path):
    response = client.open(path, method=method, data=RULE_FORM)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"] or "sign" in response.headers["Location"]


def test_support_unit_creates_a_rule(client_for):
    before = _rule_count()
    response = client_for(SU).post("/notifications/rules/new", data=RULE_FORM)
    assert response.status_code == 302
    assert _rule_count() == before + 1
    rule = db.session.scalar(sa.select(ReminderRule).where(ReminderRule.name == RULE_FORM["name"]))
    assert (rule.roles, rule.offset_days, rule.repeat_days) == (["owner", "co_chairs"], -14, None)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "ReminderRule")) is not None
    assert RULE_FORM["name"] in client_for(SU).get("/notifications/rules").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body_template", "Dear {recipient}, see {link}", "Unknown placeholder {recipient}"),
        ("subject_template", "{title.__class__}", "Unknown placeholder {title.__class__}"),
        ("body_template", "{title!r}", "takes no format or conversion"),
        ("body_template", "{title:>99999999}", "takes no format or conversion"),
        ("subject_template", "Due {due_date", "A brace is not closed"),
        ("recipient_roles", ["invitee"], "do not exist for this kind"),
        ("offset_days", "400", "Number must be between"),
        ("kind", "no_such_kind", "Not a valid choice"),
    ],
)
def test_bad_input_on_the_rule_form_is_refused_and_nothing_saved(client_for, field, value, message):
    before = _rule_count()
    response = client_for(SU).post("/notifications/rules/new", data=RULE_FORM | {field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _rule_count() == before


def test_preview_renders_with_real_data_and_saves_nothing(client_for, item):
    before = _rule_count()
    response = client_for(SU).post("/notifications/rules/new", data=RULE_FORM | {"preview": "1"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview (nothing saved)" in text
    assert "{session}" not in text.split("Preview (nothing saved)")[1].split("Placeholders")[0]
    assert "-RT" in text  # a real session reference such as 2026-RT1.2
    assert _rule_count() == before


def test_a_stale_rule_form_is_refused(client_for, make_rule):
    rule = make_rule()
    client = client_for(SU)
    data = RULE_FORM | {"version_id": str(rule.version_id)}
    assert client.post(f"/notifications/rules/{rule.id}", data=data).status_code == 302
    stale = client.post(f"/notifications/rules/{rule.id}", data=data | {"name": "Other name"})
    assert stale.status_code == 409
    assert db.session.get(ReminderRule, rule.id).name == RULE_FORM["name"]


def test_outbox_shows_failures_and_resends_them(client_for, app, monkeypatch, tmp_path):
    app.config["MAIL_FOLDER"] = str(tmp_path)
    with app.test_request_context():
        message = outbox.queue_mail(
            "someone@example.org", "reminder", subject="Hello", body="Body", preferences_url="x"
        )
    db.session.commit()

    def refuse(_message):
        raise smtplib.SMTPServerDisconnected("mail server down")

    monkeypatch.setattr(outbox, "_send", refuse)
    assert outbox.deliver(message.id) == MailStatus.FAILED
    stored = db.session.get(MailMessage, message.id)
    assert stored.next_attempt_at is not None, "a failure waits before the next try"
    assert message.id not in outbox.queued_ids(due_at=stored.created_at), "the sweep respects the back-off"
    page = client_for(SU).get("/notifications/outbox?status=failed").get_data(as_text=True)
    assert "mail server down" in page
    assert "Send again" in page

    monkeypatch.undo()
    assert client_for(SU).post(f"/notifications/outbox/{message.id}/resend").status_code == 302
    stored = db.session.get(MailMessage, message.id)
    assert (stored.status, stored.attempts, stored.next_attempt_at) == (MailStatus.QUEUED, 0, None)
    assert outbox.deliver(message.id) == MailStatus.SENT
    assert client_for(SU).post(f"/notifications/outbox/{message.id}/resend").status_code == 422


def test_pausing_keeps_everything_queued_until_resumed(client_for, app, tmp_path):
    app.config["MAIL_FOLDER"] = str(tmp_path)
    with app.test_request_context():
        message = outbox.queue_mail("someone@example.org", "reminder", subject="Hi", body="Body", preferences_url="x")
    db.session.commit()
    su = client_for(SU)
    assert su.post("/notifications/outbox/pause", data={"paused": "yes"}).status_code == 400
    assert su.post("/notifications/outbox/pause", data={"paused": "1"}).status_code == 302
    assert "Sending is paused" in su.get("/notifications/outbox").get_data(as_text=True)
    assert sweep_mail.run() == 0
    assert outbox.deliver(message.id) == MailStatus.QUEUED
    assert db.session.get(MailMessage, message.id).attempts == 0

    assert su.post("/notifications/outbox/pause", data={"paused": "0"}).status_code == 302
    sweep_mail.run()
    assert db.session.get(MailMessage, message.id).status == MailStatus.SENT


def test_a_user_sees_the_unread_count_and_marks_notifications_read(client_for, item, make_rule, sweep_at):
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    client = client_for(MEXICO)
    unread = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user.has(email=MEXICO), Notification.channel == Channel.IN_APP, Notification.read_at.is_(None)
        )
    )
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"{unread} unread" in page
    assert "Reminder test: concept note circulated" in page
    mine = notifications_for(item)[0]
    assert client.post(f"/notifications/{mine.id}/read").status_code == 302
    assert db.session.get(Notification, mine.id).read_at is not None
    assert client.post("/notifications/read-all").status_code == 302
    assert "unread" not in client.get("/notifications/").get_data(as_text=True).split("<main")[0]


def test_nobody_marks_another_users_notification(client_for, item, make_rule, sweep_at):
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    mine = notifications_for(item)[0]
    assert client_for("focal.philippines@example.org").post(f"/notifications/{mine.id}/read").status_code == 404
    assert db.session.get(Notification, mine.id).read_at is None


def test_my_tasks_lists_what_my_government_owes(client_for, item):
    page = client_for(MEXICO).get("/notifications/tasks").get_data(as_text=True)
    assert "Reminder test: concept note circulated" in page
    other = client_for("focal.philippines@example.org").get("/notifications/tasks").get_data(as_text=True)
    assert "Reminder test: concept note circulated" not in other


def test_the_notification_list_stays_within_its_query_budget(client_for, item, make_rule, sweep_at, count_queries):
    make_rule(offset_days=-3, repeat_days=1)
    for day in range(12):
        sweep_at(DUE - timedelta(days=3) + timedelta(days=day))
    client = client_for(MEXICO)
    with count_queries() as counter:
        assert client.get("/notifications/").status_code == 200
    assert len(counter) <= 15


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dead_broker_does_not_break_a_request_and_the_mail_stays_queued(
    app, client_for, monkeypatch, tmp_path, caplog
):
    """Redis gone: the page answers promptly, the message waits in the outbox, and the sweep sends it later."""
    app.config["MAIL_FOLDER"] = str(tmp_path)
    celery = app.extensions["celery"]
    monkeypatch.setitem(app.config, "MAIL_DISPATCH_AFTER_COMMIT", True)
    monkeypatch.setitem(celery.conf, "broker_url", f"redis://127.0.0.1:{_closed_port()}/0")
    monkeypatch.setitem(celery.conf, "broker_transport_options", {"socket_timeout": 1, "socket_connect_timeout": 1})
    celery.pool.force_close_all()
    with app.test_request_context():
        message = outbox.queue_mail("someone@example.org", "reminder", subject="Hi", body="Body", preferences_url="x")
    message.status, message.attempts = MailStatus.FAILED, 8  # a message the Support Unit sends again
    db.session.commit()
    try:
        started = time.monotonic()
        response = client_for(SU).post(f"/notifications/outbox/{message.id}/resend")
        elapsed = time.monotonic() - started
    finally:
        celery.pool.force_close_all()
    assert response.status_code == 302
    assert elapsed < 5
    assert "broker unavailable" in caplog.text, "the request did try the broker after commit"
    assert db.session.get(MailMessage, message.id).status == MailStatus.QUEUED
    monkeypatch.undo()
    sweep_mail.run()
    assert db.session.get(MailMessage, message.id).status == MailStatus.SENT


def test_a_commit_that_queues_several_mails_tries_a_dead_broker_once_and_keeps_them_all(
    app, db_session, monkeypatch, tmp_path
):
    """A hung broker costs its socket timeout per attempt (2 s): one attempt per commit, not one per message."""
    from forum.core.tasks import deliver_mail

    app.config["MAIL_FOLDER"] = str(tmp_path)
    attempts = []

    def broker_hangs_then_fails(*args, **kwargs):
        attempts.append(args)
        raise ConnectionError("Timeout reading from socket")

    monkeypatch.setitem(app.config, "MAIL_DISPATCH_AFTER_COMMIT", True)
    monkeypatch.setattr(deliver_mail, "apply_async", broker_hangs_then_fails)
    with app.test_request_context():
        messages = [
            outbox.queue_mail(f"someone{n}@example.org", "reminder", subject="Hi", body="Body", preferences_url="x")
            for n in range(3)
        ]
    db.session.commit()
    assert len(attempts) == 1
    assert [db.session.get(MailMessage, m.id).status for m in messages] == [MailStatus.QUEUED] * 3
    monkeypatch.undo()
    sweep_mail.run()
    assert [db.session.get(MailMessage, m.id).status for m in messages] == [MailStatus.SENT] * 3
