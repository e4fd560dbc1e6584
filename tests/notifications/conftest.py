"""Scenario fixtures for reminders: one checklist item of a session Mexico co-chairs, with a due date we set,
and one rule we control (the demo's rules are switched off inside the test's transaction)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Country
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Channel, Notification, ReminderRule, ScheduledNotification
from forum.roundtables.models import ChecklistItem, ItemStatus, OwnerRole, RoleKind, SessionRole

#: far enough ahead that nothing in the demo data is due that week by accident
DUE = date.today() + timedelta(days=400)  # noqa: DTZ011 - the test's own anchor, before any clock is frozen
TITLE = "Reminder test: concept note circulated"


@pytest.fixture
def item(db_session) -> ChecklistItem:
    row = db_session.scalar(
        sa.select(ChecklistItem)
        .join(
            SessionRole,
            sa.and_(SessionRole.session_id == ChecklistItem.session_id, SessionRole.kind == RoleKind.CO_CHAIR),
        )
        .join(Country, Country.id == SessionRole.country_id)
        .where(Country.name == "Mexico", ChecklistItem.owner_role == OwnerRole.CO_CHAIRS)
        .order_by(ChecklistItem.id)
        .limit(1)
    )
    row.status, row.na_reason, row.title, row.due_on = ItemStatus.OPEN, "", TITLE, DUE
    db_session.execute(sa.update(ReminderRule).values(is_active=False))
    db_session.commit()
    return row


@pytest.fixture
def make_rule(db_session) -> Callable[..., ReminderRule]:
    def make(**overrides) -> ReminderRule:
        values = {
            "kind": "checklist_item",
            "name": "Test rule",
            "offset_days": -3,
            "repeat_days": 7,
            "recipient_roles": "owner",
            "subject_template": "{title} is due on {due_date}",
            "body_template": "Dear {recipient_name}, {title} ({session}) is due in {days_left} days. {link}",
            "is_mandatory": False,
            "is_active": True,
        } | overrides
        return services.create_rule(SYSTEM, **values)

    return make


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def sweep_at():
    """Run the sweep with the clock frozen at noon UTC of the given day (or at the given instant)."""

    def run(moment: date | datetime) -> int:
        moment = moment if isinstance(moment, datetime) else at(moment)
        with time_machine.travel(moment, tick=False):
            return services.sweep()

    return run


def notifications_for(item: ChecklistItem, channel: Channel = Channel.IN_APP) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .join(ScheduledNotification, ScheduledNotification.id == Notification.scheduled_id)
            .where(ScheduledNotification.subject_id == item.id, ScheduledNotification.subject_type == "checklist_item")
            .where(Notification.channel == channel)
            .order_by(Notification.id)
        )
    )


def mails_about(title: str = TITLE, recipient: str | None = None) -> list[MailMessage]:
    stmt = sa.select(MailMessage).where(MailMessage.subject.contains(title)).order_by(MailMessage.id)
    if recipient:
        stmt = stmt.where(MailMessage.recipient == recipient)
    return list(db.session.scalars(stmt))
