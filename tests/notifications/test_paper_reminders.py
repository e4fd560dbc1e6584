"""Papers waiting in team review, with a frozen clock: the wait counts from the day the paper was sent to the team
(its workflow transition in the audit log), the co-chairs are reminded after the set days and at the set interval,
never more often, and the reminders stop once they approve it or ask for changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.extensions import db
from forum.notifications.models import PlanStatus, ReminderRule, ScheduledNotification
from forum.papers import services as papers
from forum.papers.models import DocumentState, SessionDocument
from tests.notifications.conftest import DUE, at

MEXICO = "focal.mexico@example.org"  # co-chairs RT1.1 of the current cycle
PHILIPPINES = "focal.philippines@example.org"
SU = "support@example.org"
TITLE = "Recognising skills across borders"
SENT = DUE  # the day the paper goes to the team, far from anything else in the demo data


def fire_on(day: date, document: SessionDocument, name: str) -> None:
    with time_machine.travel(at(day, 9), tick=False):
        papers.fire(SYSTEM, document, name)


@pytest.fixture
def paper(db_session, make_rule) -> SessionDocument:
    """The demo's background paper of RT1.1, sent back and sent to the team again on SENT; one rule of ours."""
    document = db_session.scalar(sa.select(SessionDocument).where(SessionDocument.title.startswith(TITLE)))
    assert document.state == DocumentState.IN_TEAM_REVIEW
    db_session.execute(sa.update(ReminderRule).values(is_active=False))
    db_session.commit()
    fire_on(SENT - timedelta(days=1), document, "request_changes")
    fire_on(SENT, document, "submit")
    make_rule(
        kind="paper_review",
        name="Paper review waiting",
        offset_days=7,
        repeat_days=7,
        recipient_roles="co_chairs",
        subject_template="{session}: {title} waits for review",
        body_template="Dear {recipient_name}, the {document_kind} {title} has waited {days_overdue} days. {link}",
    )
    return document


def mails(recipient: str = MEXICO) -> list[MailMessage]:
    return list(
        db.session.scalars(
            sa.select(MailMessage)
            .where(MailMessage.subject.contains(TITLE), MailMessage.recipient == recipient)
            .order_by(MailMessage.id)
        )
    )


def test_the_co_chairs_are_reminded_after_a_week_in_review_and_then_weekly_never_more_often(paper, sweep_at):
    for offset in (0, 3, 6):
        sweep_at(SENT + timedelta(days=offset))
    assert mails() == []

    sweep_at(SENT + timedelta(days=7))
    sweep_at(SENT + timedelta(days=7))  # beat comes round again the same day
    [first] = mails()
    assert first.subject == f"{paper.session.reference}: {paper.title} waits for review"
    assert "the background paper Recognising skills" in first.body_text
    assert "has waited 7 days" in first.body_text
    assert f"/papers/{paper.id}" in first.body_text

    for offset in (8, 10, 13):
        sweep_at(SENT + timedelta(days=offset))
    assert len(mails()) == 1
    sweep_at(SENT + timedelta(days=14))
    assert ["has waited 14 days" in m.body_text for m in mails()] == [False, True]
    assert mails(PHILIPPINES) == [], "only the session's co-chairs review it"


def test_the_reminders_stop_once_the_co_chairs_approve_the_paper(paper, sweep_at):
    sweep_at(SENT + timedelta(days=7))
    assert len(mails()) == 1
    fire_on(SENT + timedelta(days=9), paper, "approve")
    for offset in (14, 21, 28):
        sweep_at(SENT + timedelta(days=offset))
    assert len(mails()) == 1
    scheduled = db.session.scalar(
        sa.select(ScheduledNotification)
        .join(ReminderRule, ReminderRule.id == ScheduledNotification.rule_id)
        .where(ReminderRule.name == "Paper review waiting", ScheduledNotification.subject_id == paper.id)
    )
    assert scheduled.status == PlanStatus.FINISHED


def test_a_paper_sent_back_and_resubmitted_waits_again_from_its_new_submission(paper, sweep_at):
    sweep_at(SENT + timedelta(days=7))
    fire_on(SENT + timedelta(days=8), paper, "request_changes")
    sweep_at(SENT + timedelta(days=14))  # with the author: nobody is reminded of the review
    assert len(mails()) == 1

    resubmitted = SENT + timedelta(days=20)
    fire_on(resubmitted, paper, "submit")
    for offset in (0, 6):
        sweep_at(resubmitted + timedelta(days=offset))
    assert len(mails()) == 1
    sweep_at(resubmitted + timedelta(days=7))
    latest = mails()[-1]
    assert len(mails()) == 2
    assert "has waited 7 days" in latest.body_text


def test_my_tasks_lists_the_paper_for_its_co_chairs_and_the_support_unit_only(paper, client_for):
    for who in (MEXICO, SU):
        page = client_for(who).get("/notifications/tasks").get_data(as_text=True)
        assert "Papers waiting in team review" in page
        assert TITLE in page
        assert f"{SENT.day} {SENT:%b} {SENT.year}" in page, "dated by the day it was sent to the team"
    assert TITLE not in client_for(PHILIPPINES).get("/notifications/tasks").get_data(as_text=True)


def test_each_user_can_choose_how_to_get_paper_review_reminders(paper, client_for):
    page = client_for(MEXICO).get("/notifications/preferences").get_data(as_text=True)
    assert "Papers waiting in team review" in page
