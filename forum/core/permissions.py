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
from forum.core.statements import built_once


class Action(enum.StrEnum):
    """Everything that is permission-checked, as "<area>:<resource>:<verb>", kept alphabetised."""

    ACCOUNT_INVITE = "auth:account:invite"
    AUDIT_VIEW = "core:audit:view"
    BOARD_VIEW = "roundtables:board:view"
    BODY_EDIT = "structure:body:edit"
    CHECKLIST_UPDATE = "roundtables:checklist:update"
    CYCLE_EDIT = "structure:cycle:edit"
    DIRECTORY_EDIT = "directory:entry:edit"
    FOLLOW_UP_OURS = "outcomes:follow_up:ours"
    FOLLOW_UP_REPORT = "outcomes:follow_up:report"
    FOLLOW_UP_REVIEW = "outcomes:review:record"
    FOLLOW_UP_REVIEW_VIEW = "outcomes:review:view"
    MEETING_EDIT = "meetings:meeting:edit"
    MEETING_REPLY = "meetings:invitation:reply"
    MEETING_VIEW = "meetings:meeting:view"
    MEMBERSHIP_EDIT = "structure:membership:edit"
    MEMBERSHIP_IMPORT = "structure:membership:import"
    NOTIFICATION_PREFERENCES_EDIT = "notifications:preferences:edit"
    NOTIFICATION_READ = "notifications:notification:read"
    OUTCOME_EDIT = "outcomes:outcome:edit"
    OUTCOME_IMPORT = "outcomes:outcome:import"
    OUTBOX_MANAGE = "core:outbox:manage"
    OUTBOX_VIEW = "core:outbox:view"
    PAPER_COMMENT = "papers:document:comment"
    PAPER_EDIT = "papers:document:edit"
    PAPER_PUBLISH = "papers:document:publish"
    PAPER_REVIEW = "papers:document:review"
    PAPER_VIEW = "papers:document:view"
    PFP_ATTACHMENT_ADD = "partnerships:attachment:add"
    PFP_DECIDE = "partnerships:review:decide"
    PFP_MATCH_VIEW = "partnerships:matching:view"
    PFP_OFFER_DECIDE = "partnerships:offer:decide"
    PFP_OFFER_MAKE = "partnerships:offer:make"
    PFP_PROJECT_CONFIRM = "partnerships:project:confirm"
    PFP_PROJECT_CREATE = "partnerships:project:create"
    PFP_PROJECT_EDIT = "partnerships:project:edit"
    PFP_PROJECT_SUBMIT = "partnerships:project:submit"
    PFP_PROJECT_VIEW = "partnerships:project:view"
    PFP_PUBLISH = "partnerships:decision:publish"
    PFP_REPORT_SUBMIT = "partnerships:report:submit"
    PFP_REVIEW_COMMENT = "partnerships:review:comment"
    PFP_REVIEW_VIEW = "partnerships:review:view"
    PFP_SCREEN = "partnerships:screening:screen"
    PREPARATION_VIEW = "roundtables:preparation:view"
    REMINDER_RULE_EDIT = "notifications:rule:edit"
    ROUNDTABLE_EDIT = "roundtables:roundtable:edit"
    TEAM_DECIDE = "roundtables:team:decide"
    TEAM_IMPORT = "roundtables:team:import"
    TEAM_SIGN_UP = "roundtables:team:sign_up"


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
    """The user's principal, computed with one query and kept on the user object for the request (a principal is
    its own: rules and SQL built for what a user is, not for the user object, take one)."""
    if isinstance(user, Principal):
        return user
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


@built_once
def _principal_statement() -> Any:
    """The principal's one query: the person's own memberships on `day`, then the bodies on which sit the
    governments the person is focal point for (those rows carry only the body)."""
    # Imported here: core sits below structure, yet the principal is read from structure's memberships.
    import sqlalchemy as sa

    from forum.structure.models import Body, MemberKind, Membership, MembershipRole

    day = sa.bindparam("day", type_=sa.Date)
    own = (
        Membership.member_kind == MemberKind.PERSON,
        Membership.person_id == sa.bindparam("person_id", type_=sa.Integer),
        Membership.active_on(day),
    )
    # the countries the person is focal point for: a query of its own inside the other, not correlated to it
    represented = (
        sa.select(Membership.on_behalf_of_country_id)
        .where(*own, Membership.role == MembershipRole.FOCAL_POINT)
        .correlate(None)
    )
    return sa.union_all(
        sa.select(Membership.body_id, Membership.role, Membership.on_behalf_of_country_id, Body.kind, Body.cycle_id)
        .join(Body, Body.id == Membership.body_id)
        .where(*own),
        sa.select(Membership.body_id, sa.null(), sa.null(), sa.null(), sa.null()).where(
            Membership.member_kind == MemberKind.GOVERNMENT,
            Membership.country_id.in_(represented),
            Membership.active_on(day),
        ),
    )


def _load_principal(user: Any, day: date) -> Principal:
    from forum.extensions import db
    from forum.structure.models import BodyKind, MembershipRole

    rows = db.session.execute(_principal_statement(), {"person_id": user.person_id, "day": day}).all()
    mine = [r for r in rows if r.kind is not None]
    return Principal(
        user_id=user.id,
        person_id=user.person_id,
        is_support_unit=any(r.kind == BodyKind.SUPPORT_UNIT for r in mine),
        chair_cycle_ids=frozenset(r.cycle_id for r in mine if r.kind == BodyKind.CHAIR_OFFICE and r.cycle_id),
        focal_country_ids=frozenset(
            r.on_behalf_of_country_id
            for r in mine
            if r.role == MembershipRole.FOCAL_POINT and r.on_behalf_of_country_id
        ),
        body_ids=frozenset(r.body_id for r in rows),
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


def _board_viewer(p: Principal, cycle: Any) -> bool:
    """The preparation board: the Support Unit, and the Chair team of that cycle."""
    return p.is_support_unit or (cycle is not None and cycle.id in p.chair_cycle_ids)


def _team_signer(p: Principal, member: Any) -> bool:
    """A focal point signs up (or withdraws) its own government only; the Support Unit any member."""
    if p.is_support_unit:
        return True
    return member.country_id is not None and member.country_id in p.focal_country_ids


def _team_decider(p: Principal, member: Any) -> bool:
    """The Support Unit, or a focal point of one of the session's co-chairing governments."""
    if p.is_support_unit:
        return True
    return bool(member.session.co_chair_country_ids & p.focal_country_ids)


def _checklist_owner(p: Principal, item: Any) -> bool:
    if p.is_support_unit:
        return True
    if not p.is_authenticated:
        return False
    from forum.roundtables.services import owns_item  # roundtables sit above core

    return owns_item(p, item)


def _preparation_viewer(p: Principal, session: Any) -> bool:
    if p.is_support_unit:
        return True
    if not p.is_authenticated:
        return False
    from forum.roundtables.services import takes_part  # roundtables sit above core

    return takes_part(p, session)


def _own_account(p: Principal, user: Any) -> bool:
    """Notification settings: only the account's own holder (signed in, or through its signed link)."""
    return p.user_id is not None and user is not None and user.id == p.user_id


def _own_notification(p: Principal, notification: Any) -> bool:
    return p.user_id is not None and notification is not None and notification.user_id == p.user_id


def _focal_point(p: Principal, obj: Any) -> bool:
    """Pages that are a government's own (our follow-up, matching): its focal points."""
    return bool(p.focal_country_ids)


def _follow_up_reporter(p: Principal, action: Any) -> bool:
    """The Support Unit, or a focal point of a government that owns or co-owns the action."""
    if p.is_support_unit:
        return True
    return action is not None and bool(action.country_ids & p.focal_country_ids)


def _pfp_rules():
    from forum.partnerships import rules  # partnerships sit above core

    return rules


def _pfp_creator(p: Principal, country: Any) -> bool:
    """A focal point drafts projects for its own government (any of them when no government is named yet)."""
    if country is None:
        return bool(p.focal_country_ids)
    return country.id in p.focal_country_ids


def _pfp_viewer(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_view(p, project)


def _pfp_editor(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_edit(p, project)


def _pfp_confirmer(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_confirm(p, project)


def _pfp_reviewer(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_comment(p, project)


def _pfp_review_viewer(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_see_review(p, project)


def _pfp_decider(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_decide(p, project)


def _pfp_attacher(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_attach(p, project)


def _pfp_offer_maker(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_offer(p, project)


def _pfp_offer_decider(p: Principal, offer: Any) -> bool:
    return _pfp_rules().may_decide_offer(p, offer)


def _pfp_reporter(p: Principal, project: Any) -> bool:
    return _pfp_rules().may_report(p, project)


def _paper_viewer(p: Principal, document: Any) -> bool:
    """A published document for anyone; the others for those who prepare its session."""
    return document.is_public or _preparation_viewer(p, document.session)


def _paper_editor(p: Principal, document: Any) -> bool:
    """The Support Unit, the session's co-chairs' focal points, and the document's author."""
    if p.is_support_unit:
        return True
    if not p.is_authenticated:
        return False
    if document.author_person_id is not None and document.author_person_id == p.person_id:
        return True
    if document.author_country_id is not None and document.author_country_id in p.focal_country_ids:
        return True
    return bool(document.session.co_chair_country_ids & p.focal_country_ids)


def _paper_reviewer(p: Principal, document: Any) -> bool:
    """The co-chairs approve a paper or ask for changes (through their focal points), or the Support Unit."""
    return p.is_support_unit or bool(document.session.co_chair_country_ids & p.focal_country_ids)


def _paper_commenter(p: Principal, document: Any) -> bool:
    return _preparation_viewer(p, document.session)


RULES: dict[Action, Rule] = {
    Action.ACCOUNT_INVITE: _support_unit,
    Action.AUDIT_VIEW: _support_unit,
    Action.BOARD_VIEW: _board_viewer,
    Action.BODY_EDIT: _support_unit,
    Action.CHECKLIST_UPDATE: _checklist_owner,
    Action.CYCLE_EDIT: _support_unit,
    Action.DIRECTORY_EDIT: _support_unit,
    Action.FOLLOW_UP_OURS: _focal_point,
    Action.FOLLOW_UP_REPORT: _follow_up_reporter,
    Action.FOLLOW_UP_REVIEW: _support_unit_or_chair,
    Action.FOLLOW_UP_REVIEW_VIEW: _support_unit_or_chair,
    Action.MEETING_EDIT: _support_unit,
    Action.MEETING_REPLY: _invitation_replier,
    Action.MEETING_VIEW: _meeting_viewer,
    Action.MEMBERSHIP_EDIT: _support_unit,
    Action.MEMBERSHIP_IMPORT: _support_unit,
    Action.NOTIFICATION_PREFERENCES_EDIT: _own_account,
    Action.NOTIFICATION_READ: _own_notification,
    Action.OUTCOME_EDIT: _support_unit,
    Action.OUTCOME_IMPORT: _support_unit,
    Action.OUTBOX_MANAGE: _support_unit,
    Action.OUTBOX_VIEW: _support_unit,
    Action.PAPER_COMMENT: _paper_commenter,
    Action.PAPER_EDIT: _paper_editor,
    Action.PAPER_PUBLISH: _support_unit,
    Action.PAPER_REVIEW: _paper_reviewer,
    Action.PAPER_VIEW: _paper_viewer,
    Action.PFP_ATTACHMENT_ADD: _pfp_attacher,
    Action.PFP_DECIDE: _pfp_decider,
    Action.PFP_MATCH_VIEW: _focal_point,
    Action.PFP_OFFER_DECIDE: _pfp_offer_decider,
    Action.PFP_OFFER_MAKE: _pfp_offer_maker,
    Action.PFP_PROJECT_CONFIRM: _pfp_confirmer,
    Action.PFP_PROJECT_CREATE: _pfp_creator,
    Action.PFP_PROJECT_EDIT: _pfp_editor,
    Action.PFP_PROJECT_SUBMIT: _pfp_editor,
    Action.PFP_PROJECT_VIEW: _pfp_viewer,
    Action.PFP_PUBLISH: _support_unit,
    Action.PFP_REPORT_SUBMIT: _pfp_reporter,
    Action.PFP_REVIEW_COMMENT: _pfp_reviewer,
    Action.PFP_REVIEW_VIEW: _pfp_review_viewer,
    Action.PFP_SCREEN: _support_unit,
    Action.PREPARATION_VIEW: _preparation_viewer,
    Action.REMINDER_RULE_EDIT: _support_unit,
    Action.ROUNDTABLE_EDIT: _support_unit,
    Action.TEAM_DECIDE: _team_decider,
    Action.TEAM_IMPORT: _support_unit,
    Action.TEAM_SIGN_UP: _team_signer,
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
