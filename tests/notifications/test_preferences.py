"""Each user's choice per kind (immediately, daily or weekly digest, off), mandatory kinds, time zones, and the
settings link in every mail that works without signing in but only for its own account."""

from __future__ import annotations

import base64
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from forum.core.audit import AuditEntry
from forum.core.outbox import MailMessage
from forum.extensions import db
from forum.notifications import services
from forum.notifications.kinds import KINDS
from forum.notifications.models import Channel, DeliveryMode, Digest, NotificationPreference
from tests.notifications.conftest import DUE, at, mails_about, notifications_for

MEXICO = "focal.mexico@example.org"


def _prefer(user, mode: DeliveryMode, kind: str = "checklist_item") -> None:
    db.session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=mode))
    db.session.commit()


def _form(timezone: str, **choices: str) -> dict[str, str]:
    """The settings form as the page posts it: every kind (immediately unless chosen), and the time zone."""
    return {f"kind_{key}": choices.get(key, "immediate") for key in KINDS} | {"timezone": timezone}


def _digests(user) -> list[Digest]:
    return list(db.session.scalars(sa.select(Digest).where(Digest.user_id == user.id).order_by(Digest.id)))


def test_off_keeps_the_in_app_notification_and_sends_no_mail(item, make_rule, sweep_at, demo_user):
    _prefer(demo_user(MEXICO), DeliveryMode.OFF)
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    assert mails_about(recipient=MEXICO) == []
    assert len(notifications_for(item, Channel.IN_APP)) == 1
    assert notifications_for(item, Channel.EMAIL) == []


def test_a_mandatory_rule_reaches_a_user_who_turned_the_kind_off(item, make_rule, sweep_at, demo_user):
    _prefer(demo_user(MEXICO), DeliveryMode.OFF)
    make_rule(offset_days=0, repeat_days=None, is_mandatory=True)
    sweep_at(DUE)
    assert len(mails_about(recipient=MEXICO)) == 1


def test_a_mandatory_kind_cannot_be_turned_off(item, make_rule, client_for, demo_user):
    make_rule(is_mandatory=True)
    client = client_for(MEXICO)
    response = client.post(
        "/notifications/preferences",
        data=_form("America/Mexico_City", checklist_item="off", meeting_reply="daily", pfp_waiting="weekly"),
    )
    assert response.status_code == 422
    assert "mandatory" in response.get_data(as_text=True)
    user = demo_user(MEXICO)
    assert (
        db.session.scalars(sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)).all()
        == []
    )


def test_a_user_saves_choices_and_time_zone(client_for, demo_user):
    response = client_for(MEXICO).post(
        "/notifications/preferences",
        data=_form("Europe/Madrid", checklist_item="weekly", meeting_reply="off", pfp_waiting="immediate"),
    )
    assert response.status_code == 302
    user = demo_user(MEXICO)
    assert services.preferences_of(user, user) == {key: DeliveryMode.IMMEDIATE for key in KINDS} | {
        "meeting_reply": DeliveryMode.OFF,
        "checklist_item": DeliveryMode.WEEKLY,
    }
    assert user.timezone == "Europe/Madrid"
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.note == "notification preferences")) is not None


def test_an_unknown_time_zone_is_refused(client_for, demo_user):
    response = client_for(MEXICO).post(
        "/notifications/preferences",
        data=_form("Mars/Olympus", checklist_item="weekly", meeting_reply="off", pfp_waiting="immediate"),
    )
    assert response.status_code == 422
    assert "time zone" in response.get_data(as_text=True)
    assert demo_user(MEXICO).timezone == "America/Mexico_City"


def test_daily_digest_waits_for_the_local_hour_and_groups_the_days_reminders(item, make_rule, sweep_at, demo_user):
    _prefer(demo_user(MEXICO), DeliveryMode.DAILY)
    make_rule(name="Three days before", offset_days=-3, repeat_days=None)
    make_rule(name="On the day", offset_days=0, repeat_days=None, subject_template="Today: {title}")
    sweep_at(DUE - timedelta(days=3))
    sweep_at(DUE)
    assert mails_about(recipient=MEXICO) == [], "digest readers get no single mail"
    assert len(mails_about("Today:", MEXICO)) == 0

    mexico = demo_user(MEXICO)
    # 13:00 UTC is 07:00 in Mexico City: before the digest hour
    with time_machine.travel(at(DUE, hour=13), tick=False):
        services.send_digests()
    assert _digests(mexico) == []
    with time_machine.travel(at(DUE, hour=15), tick=False):
        services.send_digests()
        services.send_digests()
    digests = _digests(mexico)
    assert [(d.frequency, d.period) for d in digests] == [(DeliveryMode.DAILY, DUE)]
    mail = db.session.get(MailMessage, digests[0].mail_message_id)
    assert mail.recipient == MEXICO
    assert mail.body_text.count("circulated is due on") == 1
    assert "Today: Reminder test" in mail.body_text
    assert "/notifications/preferences/" in mail.body_text


def test_weekly_digest_goes_out_once_a_week_on_monday_morning(item, make_rule, sweep_at, demo_user):
    _prefer(demo_user(MEXICO), DeliveryMode.WEEKLY)
    make_rule(offset_days=0, repeat_days=1)
    monday = DUE + timedelta(days=(7 - DUE.weekday()) % 7)
    for day in range((monday - DUE).days + 1):
        sweep_at(DUE + timedelta(days=day))
    pending = len(notifications_for(item, Channel.EMAIL))
    assert pending >= 1
    mexico = demo_user(MEXICO)
    with time_machine.travel(at(monday, hour=13), tick=False):  # 07:00 in Mexico City
        services.send_digests()
    assert _digests(mexico) == []
    with time_machine.travel(at(monday, hour=15), tick=False):
        services.send_digests()
    with time_machine.travel(at(monday + timedelta(days=2), hour=15), tick=False):
        assert services.sweep() >= 1
        services.send_digests()
    digests = _digests(mexico)
    assert [(d.frequency, d.period) for d in digests] == [(DeliveryMode.WEEKLY, monday)], "one digest a week"
    mail = db.session.get(MailMessage, digests[0].mail_message_id)
    assert mail.body_text.count("circulated is due on") == pending


def test_the_settings_link_in_a_mail_opens_without_signing_in(item, make_rule, sweep_at, client):
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    mail = mails_about(recipient=MEXICO)[0]
    link = next(line for line in mail.body_text.splitlines() if "/notifications/preferences/" in line)
    path = "/" + link.split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200
    assert MEXICO in page.get_data(as_text=True)
    saved = client.post(
        path,
        data=_form("UTC", checklist_item="off", meeting_reply="weekly", pfp_waiting="daily"),
    )
    assert saved.status_code == 302


def test_a_tampered_settings_link_opens_nothing(client, demo_user):
    with client.application.test_request_context():
        good = services.preferences_url(demo_user(MEXICO))
    token = good.rsplit("/", 1)[1]
    _user_part, signature = token.split(".", 1)
    other = str(demo_user("focal.philippines@example.org").id)
    forged = base64.urlsafe_b64encode(other.encode()).decode().rstrip("=") + "." + signature
    assert client.get(f"/notifications/preferences/{forged}").status_code == 404
    assert client.post(f"/notifications/preferences/{forged}", data={"timezone": "UTC"}).status_code == 404
    assert client.get("/notifications/preferences/not-a-token").status_code == 404
