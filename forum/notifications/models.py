"""Reminder rules, the notifications they schedule, what each user received, and how each user wants it."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.directory.models import User
from forum.extensions import db


class Channel(enum.StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"


class DeliveryMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


DELIVERY_LABELS = {
    DeliveryMode.IMMEDIATE: _l("Immediately"),
    DeliveryMode.DAILY: _l("In a daily digest"),
    DeliveryMode.WEEKLY: _l("In a weekly digest"),
    DeliveryMode.OFF: _l("Off"),
}


class PlanStatus(enum.StrEnum):
    PENDING = "pending"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class ReminderRule(VersionedMixin, TimestampMixin, db.Model):
    """When to remind whom about one kind of due object, and what to say (the Support Unit edits these)."""

    __tablename__ = "reminder_rules"
    __table_args__ = (
        sa.CheckConstraint("offset_days BETWEEN -365 AND 365", name="offset_range"),
        sa.CheckConstraint("repeat_days IS NULL OR repeat_days BETWEEN 1 AND 365", name="repeat_range"),
    )

    id: Mapped[intpk]
    #: a key of forum.notifications.kinds.KINDS
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: days relative to the due date: -3 is three days before, 2 two days after
    offset_days: Mapped[int] = mapped_column(default=0)
    #: while the object stays open after its due date, remind again every this many days (never more often)
    repeat_days: Mapped[int | None]
    #: role keys of the kind, space-separated ("owner co_chairs")
    recipient_roles: Mapped[str] = mapped_column(sa.String(300))
    subject_template: Mapped[str] = mapped_column(sa.String(300))
    body_template: Mapped[str] = mapped_column(sa.Text)
    is_mandatory: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def roles(self) -> list[str]:
        return self.recipient_roles.split()

    def __str__(self) -> str:
        return self.name


class ScheduledNotification(TimestampMixin, db.Model):
    """One rule applied to one due object: when it fires first and when it fires next."""

    __tablename__ = "scheduled_notifications"
    __table_args__ = (
        sa.UniqueConstraint("rule_id", "subject_type", "subject_id", name="uq_scheduled_notifications_rule_subject"),
    )

    id: Mapped[intpk]
    rule_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_rules.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(60))
    subject_id: Mapped[int]
    due_on: Mapped[date]
    #: the next day (in the recipient's zone) on which the reminder goes out; None once nothing is left to send
    next_on: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[PlanStatus] = enum_column(PlanStatus, default=PlanStatus.PENDING, index=True)

    rule: Mapped[ReminderRule] = relationship()


class Digest(db.Model):
    """One digest mail for one user and one day (daily) or week (weekly); the key makes a second one impossible."""

    __tablename__ = "notification_digests"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "frequency", "period", name="uq_notification_digests_user_period"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[DeliveryMode] = enum_column(DeliveryMode)
    #: the local day of a daily digest, the Monday of a weekly one
    period: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    mail_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mail_messages.id", ondelete="SET NULL"), index=True
    )


class Notification(db.Model):
    """What one user received from one scheduled notification in one period, on one channel: at most once."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The exactly-once guarantee: two sweeps racing each other cannot both insert this row.
        sa.UniqueConstraint("scheduled_id", "user_id", "channel", "period", name="uq_notifications_once"),
        sa.Index("ix_notifications_user_unread", "user_id", "channel", "read_at"),
    )

    id: Mapped[intpk]
    scheduled_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scheduled_notifications.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = enum_column(Channel)
    #: the occurrence this is for: the reminder day, then each repeat day while overdue
    period: Mapped[date]
    kind: Mapped[str] = mapped_column(sa.String(60))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    #: e-mail only: sent at once, or waiting for the user's digest
    delivery: Mapped[DeliveryMode] = enum_column(DeliveryMode, default=DeliveryMode.IMMEDIATE)
    mail_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mail_messages.id", ondelete="SET NULL"), index=True
    )
    digest_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notification_digests.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship()
    scheduled: Mapped[ScheduledNotification] = relationship()


class NotificationPreference(db.Model):
    """How one user wants one kind of reminder by e-mail; no row means immediately."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_kind"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    delivery: Mapped[DeliveryMode] = enum_column(DeliveryMode)
