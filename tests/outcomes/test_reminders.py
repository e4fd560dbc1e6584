"""The follow-up's reminders with a frozen clock: an action due soon and overdue reaches the owning governments'
focal points on its day and not before, and stops once the action is done; the Chair's request goes out at once."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from forum.core.permissions import SYSTEM
from forum.extensions import db
from forum.notifications.models import ReminderRule
from forum.outcomes import services
from forum.outcomes.models import FollowUpAction, FollowUpStatus
from tests.notifications.conftest import DUE, mails_about

MEXICO, MOROCCO = "focal.mexico@example.org", "focal.morocco@example.org"
TITLE = "Run the child protection training"


def _action(db_session) -> FollowUpAction:
    action = db_session.scalar(sa.select(FollowUpAction).where(FollowUpAction.description.startswith(TITLE)))
    action.due_on = DUE
    db_session.execute(sa.update(ReminderRule).values(is_active=False))
    db_session.commit()
    return action


def test_a_follow_up_action_is_reminded_on_its_day_then_while_overdue_and_no_more_once_done(
    db_session, make_rule, sweep_at
):
    action = _action(db_session)
    make_rule(
        kind="follow_up_action",
        offset_days=-14,
        repeat_days=30,
        recipient_roles="owners",
        subject_template="{outcome}: {title} due {due_date}",
        body_template="{recipient_name} {link}",
    )
    sweep_at(DUE - timedelta(days=15))
    assert mails_about(TITLE) == []
    sweep_at(DUE - timedelta(days=14))
    assert {m.recipient for m in mails_about(TITLE)} == {MEXICO, MOROCCO}  # owner and co-owner
    sweep_at(DUE + timedelta(days=29))  # repeats count from the due date: the next one is on day 30
    assert len(mails_about(TITLE, MEXICO)) == 1
    sweep_at(DUE + timedelta(days=30))
    assert len(mails_about(TITLE, MEXICO)) == 2
    services.report_progress(SYSTEM, action, status=FollowUpStatus.DONE, progress=100)
    sweep_at(DUE + timedelta(days=60))
    assert len(mails_about(TITLE, MEXICO)) == 2


def test_the_chairs_request_for_an_update_goes_out_at_the_next_sweep(db_session, make_rule, sweep_at):
    action = _action(db_session)
    make_rule(
        kind="follow_up_update_request",
        offset_days=-365,
        repeat_days=None,
        recipient_roles="owners",
        subject_template="Update please: {title}",
        body_template="{comment} {link}",
    )
    services.record_review(
        SYSTEM, action.cycle, outcome=action.outcome, comment="Where does it stand?", requests_update=True
    )
    db.session.commit()
    from forum.core.dates import today

    sweep_at(today())
    mails = mails_about(TITLE, MEXICO)
    assert len(mails) == 1
    assert "Where does it stand?" in mails[0].body_text
