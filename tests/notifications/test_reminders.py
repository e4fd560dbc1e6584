"""Reminders with a frozen clock: on their day and not before, repeated while overdue, stopped when done,
re-planned when the due date moves, exactly once even when two sweeps race."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from forum.core.outbox import MailMessage
from forum.directory.models import User
from forum.extensions import db
from forum.meetings.models import Invitation, Meeting, MeetingStatus, Reply
from forum.notifications import services
from forum.notifications.models import Channel, PlanStatus, ScheduledNotification
from forum.roundtables.models import ItemStatus
from tests.notifications.conftest import DUE, at, mails_about, notifications_for

MEXICO = "focal.mexico@example.org"


def test_a_reminder_goes_out_on_its_day_and_not_before(item, make_rule, sweep_at):
    make_rule(offset_days=-3, repeat_days=None)
    sweep_at(DUE - timedelta(days=4))
    assert notifications_for(item) == []
    assert mails_about(recipient=MEXICO) == []

    sweep_at(DUE - timedelta(days=3))
    mails = mails_about(recipient=MEXICO)
    assert len(mails) == 1
    assert mails[0].subject == f"Reminder test: concept note circulated is due on {DUE.isoformat()}"
    assert "is due in 3 days" in mails[0].body_text
    assert "/notifications/preferences/" in mails[0].body_text
    assert [n.period for n in notifications_for(item)] == [DUE - timedelta(days=3)]


def test_an_overdue_item_is_reminded_at_the_set_interval_and_never_more_often(item, make_rule, sweep_at):
    make_rule(offset_days=-3, repeat_days=7)
    for offset in (-3, -3, -1, 0, 3, 6):
        sweep_at(DUE + timedelta(days=offset))
    assert len(mails_about(recipient=MEXICO)) == 1

    sweep_at(DUE + timedelta(days=7))
    sweep_at(DUE + timedelta(days=8))
    sweep_at(DUE + timedelta(days=13))
    assert len(mails_about(recipient=MEXICO)) == 2
    sweep_at(DUE + timedelta(days=14))
    assert [n.period for n in notifications_for(item)] == [
        DUE - timedelta(days=3),
        DUE + timedelta(days=7),
        DUE + timedelta(days=14),
    ]


def test_reminders_stop_when_the_item_is_done(item, make_rule, sweep_at):
    make_rule(offset_days=-3, repeat_days=7)
    sweep_at(DUE - timedelta(days=3))
    item.status = ItemStatus.DONE
    db.session.commit()
    sweep_at(DUE + timedelta(days=7))
    sweep_at(DUE + timedelta(days=14))
    assert len(mails_about(recipient=MEXICO)) == 1
    scheduled = db.session.scalar(sa.select(ScheduledNotification).where(ScheduledNotification.subject_id == item.id))
    assert scheduled.status == PlanStatus.FINISHED


def test_running_the_sweep_twice_sends_each_recipient_one_message(item, make_rule, sweep_at):
    make_rule(offset_days=0, repeat_days=None)
    first = sweep_at(DUE)
    second = sweep_at(DUE)
    assert first >= 1
    assert second == 0
    assert len(mails_about(recipient=MEXICO)) == 1
    assert len(notifications_for(item, Channel.EMAIL)) == len(notifications_for(item, Channel.IN_APP)) == 1


def test_a_sweep_that_lost_the_race_is_refused_by_the_unique_key(item, make_rule, sweep_at, monkeypatch):
    """The second sweep read "nothing sent yet" before the first committed: its insert hits the unique key, its
    savepoint rolls back with the mail it would have queued, and the rest of its work still commits."""
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    scheduled = db.session.scalar(sa.select(ScheduledNotification).where(ScheduledNotification.subject_id == item.id))
    scheduled.status, scheduled.next_on = PlanStatus.PENDING, DUE  # the racing sweep picked the row up too
    db.session.commit()
    monkeypatch.setattr(services, "_already_notified", lambda scheduled_id: set())
    assert sweep_at(DUE) == 0
    assert len(mails_about(recipient=MEXICO)) == 1
    assert len(notifications_for(item)) == 1


def test_moving_the_due_date_replans_what_was_not_sent(item, make_rule, sweep_at):
    make_rule(offset_days=-3, repeat_days=None)
    sweep_at(DUE - timedelta(days=3))
    assert len(mails_about(recipient=MEXICO)) == 1

    new_due = DUE + timedelta(days=20)
    item.due_on = new_due  # the session moved: roundtables moves its open items' dates
    db.session.commit()
    sweep_at(DUE - timedelta(days=2))
    sweep_at(DUE)
    assert len(mails_about(recipient=MEXICO)) == 1, "nothing is due under the new date yet"

    sweep_at(new_due - timedelta(days=3))
    mails = mails_about(recipient=MEXICO)
    assert len(mails) == 2
    assert new_due.isoformat() in mails[1].subject
    periods = [n.period for n in notifications_for(item)]
    assert periods == [DUE - timedelta(days=3), new_due - timedelta(days=3)], "the sent one stays as it was"


def test_the_recipients_local_day_decides(item, make_rule, sweep_at, demo_user):
    """03:00 UTC is still the previous evening in Mexico City: the reminder waits for the local day."""
    make_rule(offset_days=0, repeat_days=None)
    assert demo_user(MEXICO).timezone == "America/Mexico_City"
    sweep_at(at(DUE, hour=3))
    assert mails_about(recipient=MEXICO) == []
    sweep_at(at(DUE, hour=7))
    assert len(mails_about(recipient=MEXICO)) == 1


def test_a_meeting_invitation_without_reply_is_reminded_until_answered(db_session, make_rule, sweep_at):
    db_session.execute(sa.update(db.metadata.tables["reminder_rules"]).values(is_active=False))
    invitation = db_session.scalar(
        sa.select(Invitation)
        .join(Meeting)
        .where(Invitation.reply == Reply.NONE, Invitation.country.has(name="Mexico"))
        .where(Meeting.status.in_([MeetingStatus.PLANNED, MeetingStatus.INVITATIONS_SENT]))
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    assert invitation is not None, "the demo has an invitation Mexico has not answered"
    meeting = invitation.meeting
    make_rule(
        kind="meeting_reply",
        recipient_roles="invitee",
        offset_days=-7,
        repeat_days=None,
        subject_template="Please reply: {meeting}",
        body_template="Dear {recipient_name}, {meeting} is on {due_date}. {link}",
    )
    on = meeting.on
    sweep_at(on - timedelta(days=8))
    subject = f"Please reply: {meeting.title}"
    assert mails_about(subject, MEXICO) == []
    sweep_at(on - timedelta(days=7))
    assert len(mails_about(subject, MEXICO)) == 1

    invitation.reply = Reply.ATTENDING
    db_session.commit()
    assert sweep_at(on - timedelta(days=6)) == 0
    with time_machine.travel(at(on - timedelta(days=6)), tick=False):
        user = db_session.scalar(sa.select(User).where(User.email == MEXICO))
        assert all(t.title != f"Reply to the invitation to {meeting.title}" for t in services.my_tasks(user))


def test_sweep_writes_mail_only_through_the_outbox(item, make_rule, sweep_at):
    make_rule(offset_days=0, repeat_days=None)
    sweep_at(DUE)
    mail = mails_about(recipient=MEXICO)[0]
    assert mail.template == "reminder"
    assert mail.status.value == "queued"
    email = notifications_for(item, Channel.EMAIL)[0]
    assert email.mail_message_id == mail.id
    assert db.session.get(MailMessage, mail.id) is not None


def test_a_partnership_waiting_in_screening_is_reminded_after_the_set_days(db_session, make_rule, sweep_at):
    from forum.directory.models import Country
    from forum.partnerships.models import PartnershipProject, ProjectState

    db_session.execute(sa.update(db.metadata.tables["reminder_rules"]).values(is_active=False))
    mexico = db_session.scalar(sa.select(Country).where(Country.name == "Mexico"))
    project = PartnershipProject(
        title="Reminder test: diaspora skills pilot",
        lead_country_id=mexico.id,
        state=ProjectState.SUBMITTED,
        submitted_at=at(DUE),
    )
    db_session.add(project)
    db_session.commit()
    make_rule(
        kind="pfp_waiting",
        recipient_roles="support_unit",
        offset_days=14,
        repeat_days=7,
        subject_template="{reference} waits: {title}",
        body_template="{title} has waited for {state} since {due_date}. {link}",
    )
    sweep_at(DUE + timedelta(days=13))
    assert mails_about("diaspora skills pilot", "support@example.org") == []
    sweep_at(DUE + timedelta(days=14))
    assert len(mails_about("diaspora skills pilot", "support@example.org")) == 1

    project.state = ProjectState.DECLINED  # decided: nothing waits any more
    db_session.commit()
    sweep_at(DUE + timedelta(days=21))
    assert len(mails_about("diaspora skills pilot", "support@example.org")) == 1


def test_changing_a_rules_timing_replans_what_it_has_not_sent(item, make_rule, sweep_at, client_for):
    rule = make_rule(offset_days=-3, repeat_days=None)
    sweep_at(DUE - timedelta(days=10))
    assert mails_about(recipient=MEXICO) == []
    form = {
        "kind": "checklist_item",
        "name": rule.name,
        "offset_days": "-10",
        "repeat_days": "",
        "recipient_roles": ["owner"],
        "subject_template": rule.subject_template,
        "body_template": rule.body_template,
        "is_active": "y",
        "version_id": str(rule.version_id),
    }
    with time_machine.travel(at(DUE - timedelta(days=10)), tick=False):
        assert client_for("support@example.org").post(f"/notifications/rules/{rule.id}", data=form).status_code == 302
    sweep_at(DUE - timedelta(days=10))
    assert len(mails_about(recipient=MEXICO)) == 1
