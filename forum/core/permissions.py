"""Who may do what: one function, `can(user, action, obj)`, answered from the user's current memberships.

Nothing else in the code decides access. Roles are never flags on a user: a Support Unit officer is a person
with a current membership of a Support Unit body; the Chair team is whoever currently sits in a cycle's
Chair-in-Office body; a focal point is a person with a current focal-point membership on behalf of a government.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from forum.core.dates import today
from forum.core.errors import NotFound, PermissionDenied


class Action(enum.StrEnum):
    """Everything that is permission-checked, as "<area>:<resource>:<verb>", kept alphabetised."""

    ACCOUNT_INVITE = "auth:account:invite"
    AUDIT_VIEW = "core:audit:view"
    BODY_EDIT = "structure:body:edit"
    CYCLE_EDIT = "structure:cycle:edit"
    DIRECTORY_EDIT = "directory:entry:edit"
    MEETING_EDIT = "meetings:meeting:edit"
    MEETING_REPLY = "meetings:invitation:reply"
    MEETING_VIEW = "meetings:meeting:view"
    MEMBERSHIP_EDIT = "structure:membership:edit"
    OUTBOX_VIEW = "core:outbox:view"


@dataclass(frozen=True)
class Principal:
    """What a user is today, read once per request from their memberships."""

    user_id: int | None = None
    person_id: int | None = None
    is_support_unit: bool = False
    chair_cycle_ids: frozenset[int] = field(default_factory=frozenset)
    focal_country_ids: frozenset[int] = field(default_factory=frozenset)
    #: bodies the user sits on in person or through a government they are focal point for
    body_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_chair_team(self) -> bool:
        return bool(self.chair_cycle_ids)


ANONYMOUS = Principal()


class SystemActor:
    """The actor of the demo loader, CLI commands and Celery sweeps: allowed everything, audited as "system"."""

    id = None
    is_authenticated = True
    is_active = True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def principal_of(user: Any, on: date | None = None) -> Principal:
    """The user's principal, computed with one query and kept on the user object for the request."""
    if user is None or user is SYSTEM or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if not getattr(user, "is_active", False):
        return ANONYMOUS
    day = on or today()
    cached = user.__dict__.get("_principal")
    if cached is not None and cached[0] == day:
        return cached[1]
    principal = _load_principal(user, day)
    user.__dict__["_principal"] = (day, principal)
    return principal


def forget_principal(user: Any) -> None:
    """Drop the cached principal after the user's memberships changed."""
    user.__dict__.pop("_principal", None)


def _load_principal(user: Any, day: date) -> Principal:
    # Imported here: core sits below structure, yet the principal is read from structure's memberships.
    import sqlalchemy as sa

    from forum.extensions import db
    from forum.structure.models import Body, BodyKind, MemberKind, Membership, MembershipRole

    rows = db.session.execute(
        sa.select(Membership.body_id, Membership.role, Membership.on_behalf_of_country_id, Body.kind, Body.cycle_id)
        .join(Body, Body.id == Membership.body_id)
        .where(Membership.member_kind == MemberKind.PERSON, Membership.person_id == user.person_id)
        .where(Membership.active_on(day))
    ).all()
    focal = frozenset(
        r.on_behalf_of_country_id for r in rows if r.role == MembershipRole.FOCAL_POINT and r.on_behalf_of_country_id
    )
    body_ids = {r.body_id for r in rows}
    if focal:
        body_ids |= set(
            db.session.scalars(
                sa.select(Membership.body_id).where(
                    Membership.member_kind == MemberKind.GOVERNMENT,
                    Membership.country_id.in_(focal),
                    Membership.active_on(day),
                )
            )
        )
    return Principal(
        user_id=user.id,
        person_id=user.person_id,
        is_support_unit=any(r.kind == BodyKind.SUPPORT_UNIT for r in rows),
        chair_cycle_ids=frozenset(r.cycle_id for r in rows if r.kind == BodyKind.CHAIR_OFFICE and r.cycle_id),
        focal_country_ids=focal,
        body_ids=frozenset(body_ids),
    )


Rule = Callable[[Principal, Any], bool]


def _support_unit(p: Principal, obj: Any) -> bool:
    return p.is_support_unit


def _support_unit_or_chair(p: Principal, obj: Any) -> bool:
    return p.is_support_unit or p.is_chair_team


def _meeting_viewer(p: Principal, meeting: Any) -> bool:
    """A public meeting for anyone; an internal one for the Support Unit, the body's members and its invitees."""
    if meeting is None or meeting.is_public or p.is_support_unit:
        return True
    if not p.is_authenticated:
        return False
    if meeting.body_id is not None and meeting.body_id in p.body_ids:
        return True
    from forum.meetings.services import is_invitee  # meetings sit above core

    return is_invitee(p, meeting)


def _invitation_replier(p: Principal, invitation: Any) -> bool:
    """A government's focal point replies for that government only; a person for themself; the SU for anyone."""
    if p.is_support_unit:
        return True
    if invitation.country_id is not None:
        return invitation.country_id in p.focal_country_ids
    return invitation.person_id is not None and invitation.person_id == p.person_id


RULES: dict[Action, Rule] = {
    Action.ACCOUNT_INVITE: _support_unit,
    Action.AUDIT_VIEW: _support_unit,
    Action.BODY_EDIT: _support_unit,
    Action.CYCLE_EDIT: _support_unit,
    Action.DIRECTORY_EDIT: _support_unit,
    Action.MEETING_EDIT: _support_unit,
    Action.MEETING_REPLY: _invitation_replier,
    Action.MEETING_VIEW: _meeting_viewer,
    Action.MEMBERSHIP_EDIT: _support_unit,
    Action.OUTBOX_VIEW: _support_unit,
}


def can(user: Any, action: Action, obj: Any = None) -> bool:
    """True when the user may do `action` (on `obj`, where the rule looks at it)."""
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"no permission rule for {action!r}")
    if user is SYSTEM:
        return True
    return rule(principal_of(user), obj)


def require(user: Any, action: Action, obj: Any = None, *, hide: bool = False) -> None:
    """Raise PermissionDenied (or NotFound where even the object's existence must not leak)."""
    if not can(user, action, obj):
        if hide:
            raise NotFound()
        raise PermissionDenied()
