"""Two sweeps at the same moment over 1,000 due reminders, each in its own connection and transaction, on
PostgreSQL (where they truly overlap): every recipient gets exactly one message per item."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Country
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import Notification, ReminderRule, ScheduledNotification
from forum.roundtables.models import ChecklistItem, OwnerRole, RoleKind, SessionRole
from tests.conftest import CONFIGURED_DATABASE_URL
from tests.notifications.conftest import DUE, at

ITEMS = 1000
PREFIX = "Concurrency test item"

pytestmark = pytest.mark.skipif(
    not CONFIGURED_DATABASE_URL.startswith("postgresql"),
    reason="SQLite serialises writers, so two sweeps cannot overlap there; CI runs this on PostgreSQL",
)


def _setup() -> tuple[int, list[int]]:
    session_id = db.session.scalar(
        sa.select(SessionRole.session_id)
        .join(Country, Country.id == SessionRole.country_id)
        .where(SessionRole.kind == RoleKind.CO_CHAIR, Country.name == "Mexico")
        .limit(1)
    )
    previously_active = list(db.session.scalars(sa.select(ReminderRule.id).where(ReminderRule.is_active.is_(True))))
    db.session.execute(sa.update(ReminderRule).values(is_active=False))
    db.session.add_all(
        ChecklistItem(
            session_id=session_id,
            title=f"{PREFIX} {n:04d}",
            owner_role=OwnerRole.CO_CHAIRS,
            due_offset_days=0,
            due_on=DUE,
            position=900 + n,
        )
        for n in range(ITEMS)
    )
    db.session.commit()
    rule = services.create_rule(
        SYSTEM,
        kind="checklist_item",
        name="Concurrency test rule",
        offset_days=0,
        repeat_days=None,
        recipient_roles="owner",
        subject_template="{title}",
        body_template="{title} is due on {due_date}",
        is_mandatory=False,
        is_active=True,
    )
    return rule.id, previously_active


def _cleanup(rule_id: int, previously_active: list[int]) -> None:
    db.session.rollback()
    db.session.execute(sa.delete(Notification).where(Notification.subject.startswith(PREFIX)))
    db.session.execute(sa.delete(ScheduledNotification).where(ScheduledNotification.rule_id == rule_id))
    db.session.execute(sa.delete(MailMessage).where(MailMessage.subject.startswith(PREFIX)))
    db.session.execute(sa.delete(ChecklistItem).where(ChecklistItem.title.startswith(PREFIX)))
    db.session.execute(sa.delete(ReminderRule).where(ReminderRule.id == rule_id))
    db.session.execute(sa.update(ReminderRule).where(ReminderRule.id.in_(previously_active)).values(is_active=True))
    db.session.commit()


def test_two_sweeps_at_once_over_a_thousand_reminders_send_each_one_once(app):
    import time_machine

    with app.app_context():
        rule_id, previously_active = _setup()
        db.session.remove()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    created: list[int] = []

    def sweeper() -> None:
        with app.app_context():
            try:
                barrier.wait()
                created.append(services.sweep(at(DUE)))
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    try:
        with time_machine.travel(at(DUE - timedelta(days=1)), tick=True):
            threads = [threading.Thread(target=sweeper) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        with app.app_context():
            assert errors == []
            assert len(created) == 2
            per_recipient = dict(
                db.session.execute(
                    sa.select(MailMessage.recipient, sa.func.count(MailMessage.id))
                    .where(MailMessage.subject.startswith(PREFIX))
                    .group_by(MailMessage.recipient)
                ).all()
            )
            distinct = dict(
                db.session.execute(
                    sa.select(MailMessage.recipient, sa.func.count(sa.distinct(MailMessage.subject)))
                    .where(MailMessage.subject.startswith(PREFIX))
                    .group_by(MailMessage.recipient)
                ).all()
            )
            assert per_recipient.get("focal.mexico@example.org") == ITEMS
            assert per_recipient == distinct, "no recipient got the same item twice"
            assert sum(created) == sum(per_recipient.values()), "what one sweep wrote, the other was refused"
    finally:
        with app.app_context():
            _cleanup(rule_id, previously_active)
            db.session.remove()
