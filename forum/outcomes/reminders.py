"""The reminders of the follow-up: actions due and overdue, and the Chair's requests for an update, both to the
focal points of the governments that own or co-own the action. Imported by forum.outcomes.views, which every
process that sends reminders loads through create_app()."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.core.i18n import lazy_gettext as _l
from forum.core.permissions import principal_of
from forum.directory.models import User
from forum.extensions import db
from forum.notifications.kinds import (
    DefaultRule,
    ReminderKind,
    Task,
    _url,
    body_accounts,
    government_accounts,
    register,
)
from forum.outcomes.models import CLOSED_STATUSES, ChairReview, FollowUpAction, UpdateRequest
from forum.outcomes.services import owned_by
from forum.structure.models import BodyKind

OWNER_ROLES: dict[str, Any] = {
    "owners": _l("The focal points of the owning and co-owning governments"),
    "support_unit": _l("The Support Unit"),
}


def _recipients(action: FollowUpAction, role: str) -> list[User]:
    if role == "owners":
        return government_accounts(action.country_ids)
    if role == "support_unit":
        return body_accounts(BodyKind.SUPPORT_UNIT)
    return []


@register
class FollowUpActionKind(ReminderKind):
    """An open follow-up action with a due date (the last day of the period it names)."""

    key = "follow_up_action"
    label = _l("Follow-up actions due and overdue")
    subject_type = "follow_up_action"
    roles: ClassVar[dict[str, Any]] = OWNER_ROLES
    extra_placeholders: ClassVar[dict[str, Any]] = {"outcome": _l("the outcome's reference, e.g. 2010-RT2.1-1")}
    defaults = (
        DefaultRule(
            name="Follow-up action: due in 14 days",
            offset_days=-14,
            repeat_days=None,
            roles="owners",
            subject="{outcome}: follow-up due on {due_date}",
            body=(
                'Dear {recipient_name},\n\nThe follow-up action "{title}" under outcome {outcome} is due on '
                "{due_date}, in {days_left} days. Please report its progress: {link}"
            ),
        ),
        DefaultRule(
            name="Follow-up action: overdue, monthly",
            offset_days=1,
            repeat_days=30,
            roles="owners",
            subject="Overdue follow-up: {outcome}",
            body=(
                'Dear {recipient_name},\n\nThe follow-up action "{title}" under outcome {outcome} was due on '
                "{due_date} ({days_overdue} days ago). Please report where it stands: {link}"
            ),
        ),
    )

    def _stmt(self):
        return sa.select(FollowUpAction).where(
            FollowUpAction.status.not_in(CLOSED_STATUSES), FollowUpAction.due_on.is_not(None)
        )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        return list(
            db.session.execute(
                sa.select(FollowUpAction.id, FollowUpAction.due_on).where(
                    FollowUpAction.status.not_in(CLOSED_STATUSES), FollowUpAction.due_on.is_not(None)
                )
            ).all()
        )

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        rows = db.session.scalars(
            sa.select(FollowUpAction)
            .where(FollowUpAction.id.in_(set(ids)))
            .options(joinedload(FollowUpAction.outcome), selectinload(FollowUpAction.co_owners))
        )
        return {a.id: a for a in rows}

    def is_open(self, obj: Any) -> bool:
        return obj.is_open and obj.due_on is not None

    def due_on(self, obj: Any) -> date | None:
        return obj.due_on

    def recipients(self, obj: Any, role: str) -> list[User]:
        return _recipients(obj, role)

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        return {
            "title": obj.description[:150],
            "outcome": obj.outcome.reference,
            "link": _url("outcomes.action_detail", action_id=obj.id),
        }

    def owed_by(self, user: User) -> list[Task]:
        countries = principal_of(user).focal_country_ids
        if not countries:
            return []
        rows = db.session.scalars(
            self._stmt()
            .where(owned_by(countries))
            .options(joinedload(FollowUpAction.outcome))
            .order_by(FollowUpAction.due_on, FollowUpAction.id)
            .limit(200)
        )
        return [
            Task(
                self.label,
                f"{a.outcome.reference}: {a.description[:100]}",
                a.due_on,
                _url("outcomes.action_detail", action_id=a.id),
            )
            for a in rows
        ]


@register
class UpdateRequestKind(ReminderKind):
    """The Chair's request for an update on an open action, due on the date the review set; answered by the
    owners' next progress report."""

    key = "follow_up_update_request"
    label = _l("The Chair's requests for a follow-up update")
    subject_type = "follow_up_update_request"
    roles: ClassVar[dict[str, Any]] = OWNER_ROLES
    extra_placeholders: ClassVar[dict[str, Any]] = {
        "outcome": _l("the outcome's reference, e.g. 2010-RT2.1-1"),
        "comment": _l("the Chair's comment"),
    }
    defaults = (
        DefaultRule(
            name="Chair's update request: at once",
            offset_days=-365,
            repeat_days=None,
            roles="owners",
            subject="The Chair asks for an update on {outcome}",
            body=(
                'Dear {recipient_name},\n\nThe Chair-in-Office asks for an update on "{title}" (outcome {outcome}) '
                "by {due_date}.\n\n{comment}\n\nReport progress here: {link}"
            ),
            is_mandatory=True,
        ),
        DefaultRule(
            name="Chair's update request: unanswered, weekly",
            offset_days=1,
            repeat_days=7,
            roles="owners",
            subject="Still awaited: an update on {outcome}",
            body=(
                'Dear {recipient_name},\n\nThe update the Chair asked for on "{title}" (outcome {outcome}) was due '
                "on {due_date}. Report progress here: {link}"
            ),
        ),
    )

    def _stmt(self):
        return (
            sa.select(UpdateRequest)
            .join(FollowUpAction, FollowUpAction.id == UpdateRequest.action_id)
            .where(UpdateRequest.answered_at.is_(None), FollowUpAction.status.not_in(CLOSED_STATUSES))
        )

    def open_subjects(self) -> Iterable[tuple[int, date]]:
        return list(
            db.session.execute(
                self._stmt()
                .join(ChairReview, ChairReview.id == UpdateRequest.review_id)
                .with_only_columns(UpdateRequest.id, ChairReview.update_due_on)
                .where(ChairReview.update_due_on.is_not(None))
            ).all()
        )

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        rows = db.session.scalars(
            sa.select(UpdateRequest)
            .where(UpdateRequest.id.in_(set(ids)))
            .options(
                joinedload(UpdateRequest.review),
                joinedload(UpdateRequest.action).joinedload(FollowUpAction.outcome),
                joinedload(UpdateRequest.action).selectinload(FollowUpAction.co_owners),
            )
        )
        return {r.id: r for r in rows}

    def is_open(self, obj: Any) -> bool:
        return obj.answered_at is None and obj.action.is_open

    def due_on(self, obj: Any) -> date | None:
        return obj.review.update_due_on

    def recipients(self, obj: Any, role: str) -> list[User]:
        return _recipients(obj.action, role)

    def placeholders_for(self, obj: Any) -> dict[str, str]:
        return {
            "title": obj.action.description[:150],
            "outcome": obj.action.outcome.reference,
            "comment": obj.review.comment[:1000],
            "link": _url("outcomes.action_detail", action_id=obj.action_id),
        }

    def owed_by(self, user: User) -> list[Task]:
        countries = principal_of(user).focal_country_ids
        if not countries:
            return []
        rows = db.session.scalars(
            self._stmt()
            .where(owned_by(countries))
            .options(
                joinedload(UpdateRequest.review), joinedload(UpdateRequest.action).joinedload(FollowUpAction.outcome)
            )
            .order_by(UpdateRequest.id)
        )
        return [
            Task(
                self.label,
                f"{r.action.outcome.reference}: {r.action.description[:100]}",
                r.review.update_due_on,
                _url("outcomes.action_detail", action_id=r.action_id),
            )
            for r in rows
        ]
