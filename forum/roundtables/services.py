"""Roundtable services: roundtables and sessions, their roles and teams, and each session's preparation checklist.

A session's checklist is copied from the Support Unit's template when the session is created; each item is due a
number of days before or after the session's local date, so moving the session re-plans the items still open.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.utils import secure_filename

from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.dates import is_valid_timezone, today, utcnow
from forum.core.errors import InvalidTransition, NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.outbox import queue_mail
from forum.core.permissions import Action, Principal, principal_of, require
from forum.core.statements import among, built_once
from forum.core.workflow import Transition, Workflow
from forum.directory.models import Country, Organisation, Person, User
from forum.extensions import db
from forum.roundtables.models import (
    OWNER_ROLE_LABELS,
    ROUNDTABLE_LEVEL_ROLES,
    CellState,
    ChecklistItem,
    ChecklistTemplateItem,
    ItemStatus,
    OwnerRole,
    RoleKind,
    Roundtable,
    RoundtableSession,
    SessionRole,
    TeamMember,
    TeamMemberKind,
    TeamStatus,
    cell_state,
    session_code,
    session_reference,
)
from forum.structure.models import ForumCycle, MemberKind, Membership, MembershipRole

MAX_CO_CHAIRS = 3
REFERENCE = re.compile(r"^(\d{4})-RT(\d{1,2})\.(\d{1,2})$")


# ---------------------------------------------------------------------------------------------------- reading


#: who holds a role, read with it
_ROLE_HOLDER = (joinedload(SessionRole.country), joinedload(SessionRole.organisation), joinedload(SessionRole.person))
#: who a team member is, read with them
_MEMBER = (joinedload(TeamMember.country), joinedload(TeamMember.organisation), joinedload(TeamMember.person))


def _roundtable_options():
    """A session's roundtable, its cycle with the chair, and its coordinator, joined to the session's row."""
    return (
        joinedload(RoundtableSession.roundtable).joinedload(Roundtable.cycle).joinedload(ForumCycle.chair_country),
        joinedload(RoundtableSession.roundtable).joinedload(Roundtable.coordinator_person),
        joinedload(RoundtableSession.roundtable).joinedload(Roundtable.coordinator_country),
    )


def _session_options():
    return (*_roundtable_options(), selectinload(RoundtableSession.roles).options(*_ROLE_HOLDER))


def cycle_roundtables(cycle: ForumCycle) -> list[Roundtable]:
    """A cycle's roundtables with their sessions, roles and accepted teams: a fixed handful of queries."""
    return list(
        db.session.scalars(
            sa.select(Roundtable)
            .where(Roundtable.cycle_id == cycle.id)
            .options(
                joinedload(Roundtable.cycle),
                joinedload(Roundtable.coordinator_person),
                joinedload(Roundtable.coordinator_country),
                selectinload(Roundtable.roles).options(*_ROLE_HOLDER),
                selectinload(Roundtable.sessions).options(
                    selectinload(RoundtableSession.team).options(*_MEMBER),
                ),
            )
            .order_by(Roundtable.number)
        ).unique()
    )


def countries(ids: set[int] | frozenset[int]) -> list[Country]:
    return list(db.session.scalars(sa.select(Country).where(Country.id.in_(ids)).order_by(Country.name)))


def roundtable_or_404(roundtable_id: int) -> Roundtable:
    rt = db.session.scalar(
        sa.select(Roundtable).where(Roundtable.id == roundtable_id).options(joinedload(Roundtable.cycle))
    )
    if rt is None:
        raise NotFound()
    return rt


def session_by_reference(reference: str) -> RoundtableSession:
    """The session of a stable reference such as 2010-RT2.1, with its roles, the roles held for its whole
    roundtable (`roundtable_roles`) and its team (load_checklist adds what its preparers see)."""
    match = REFERENCE.match(reference or "")
    if match is None:
        raise NotFound()
    year, rt_number, number = (int(g) for g in match.groups())
    session = db.session.scalar(_session_by_reference(), {"year": year, "roundtable": rt_number, "number": number})
    if session is None:
        raise NotFound()
    roles, team = _people_of_session()
    own: list[SessionRole] = []
    roundtable_wide: list[SessionRole] = []
    for role in db.session.scalars(roles, {"session_id": session.id, "roundtable_id": session.roundtable_id}):
        (own if role.session_id == session.id else roundtable_wide).append(role)
    set_committed_value(session, "roles", own)
    # kept on the object for the request, as principal_of keeps a user's principal
    session.__dict__["_roundtable_roles"] = roundtable_wide
    set_committed_value(session, "team", list(db.session.scalars(team, {"session_id": session.id})))
    return session


@built_once
def _session_by_reference() -> sa.Select:
    return (
        sa.select(RoundtableSession)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .join(ForumCycle, ForumCycle.id == Roundtable.cycle_id)
        .where(
            ForumCycle.year == sa.bindparam("year", type_=sa.Integer),
            Roundtable.number == sa.bindparam("roundtable", type_=sa.Integer),
            RoundtableSession.number == sa.bindparam("number", type_=sa.Integer),
        )
        .options(*_roundtable_options())
    )


@built_once
def _people_of_session() -> tuple[sa.Select, sa.Select]:
    """A session's roles with its roundtable's own, then its team, each with who they are, as statements built
    once: a selectinload builds its statement again on every load (a millisecond of a session page's ten on
    PostgreSQL)."""
    session_id = sa.bindparam("session_id", type_=sa.Integer)
    roundtable_wide = sa.and_(
        SessionRole.roundtable_id == sa.bindparam("roundtable_id", type_=sa.Integer), SessionRole.session_id.is_(None)
    )
    return (
        sa.select(SessionRole)
        .where(sa.or_(SessionRole.session_id == session_id, roundtable_wide))
        .options(*_ROLE_HOLDER)
        .order_by(SessionRole.position, SessionRole.id),
        sa.select(TeamMember)
        .where(TeamMember.session_id == session_id)
        .options(*_MEMBER)
        .order_by(TeamMember.id),
    )


def load_checklist(session: RoundtableSession) -> None:
    """Read the session's checklist with who ticked each item, in one query: only its preparers' pages show it."""
    items = db.session.scalars(_checklist(), {"session_id": session.id}).all()
    set_committed_value(session, "checklist", list(items))


@built_once
def _checklist() -> sa.Select:
    return (
        sa.select(ChecklistItem)
        .where(ChecklistItem.session_id == sa.bindparam("session_id", type_=sa.Integer))
        .options(joinedload(ChecklistItem.done_by))
        .order_by(ChecklistItem.position)
    )


def roundtable_roles(session: RoundtableSession) -> list[SessionRole]:
    """The roundtable-level roles (general rapporteur, plenary reporter…) shown on each of its sessions, as
    session_by_reference read them with the session's own."""
    return session.__dict__["_roundtable_roles"]


def checklist_item_or_404(item_id: int) -> ChecklistItem:
    item = db.session.scalar(
        sa.select(ChecklistItem)
        .where(ChecklistItem.id == item_id)
        .options(
            joinedload(ChecklistItem.session).options(*_session_options()),
            joinedload(ChecklistItem.done_by),
        )
    )
    if item is None:
        raise NotFound()
    return item


def team_member_or_404(member_id: int) -> TeamMember:
    member = db.session.scalar(
        sa.select(TeamMember)
        .where(TeamMember.id == member_id)
        .options(joinedload(TeamMember.session).options(*_session_options()), joinedload(TeamMember.country))
    )
    if member is None:
        raise NotFound()
    return member


def role_or_404(role_id: int) -> SessionRole:
    role = db.session.get(SessionRole, role_id)
    if role is None:
        raise NotFound()
    return role


def template_items() -> list[ChecklistTemplateItem]:
    return list(
        db.session.scalars(
            sa.select(ChecklistTemplateItem).order_by(
                ChecklistTemplateItem.position, ChecklistTemplateItem.due_offset_days, ChecklistTemplateItem.id
            )
        )
    )


def template_item_or_404(item_id: int) -> ChecklistTemplateItem:
    item = db.session.get(ChecklistTemplateItem, item_id)
    if item is None:
        raise NotFound()
    return item


# ---------------------------------------------------------------------------------------------------- who takes part


def _team_country_ids(session: RoundtableSession) -> set[int]:
    return {m.country_id for m in session.team if m.country_id and m.status == TeamStatus.ACCEPTED}


def takes_part(p: Principal, session: RoundtableSession) -> bool:
    """Whether someone prepares this session: its co-chairs' and team's focal points, its coordinator, the
    Chair team of its cycle, a person holding a role in it."""
    rt = session.roundtable
    if rt.cycle_id in p.chair_cycle_ids:
        return True
    if p.person_id is not None and (
        rt.coordinator_person_id == p.person_id or any(r.person_id == p.person_id for r in session.roles)
    ):
        return True
    governments = session.co_chair_country_ids | _team_country_ids(session)
    if rt.coordinator_country_id:
        governments.add(rt.coordinator_country_id)
    return bool(governments & p.focal_country_ids)


def sessions_taking_part(p: Principal) -> sa.Select:
    """The ids of the sessions takes_part says yes to, as one SQL select, so a list never asks per row."""
    roles = sa.select(SessionRole.session_id)
    clauses = []
    if p.chair_cycle_ids:
        clauses.append(Roundtable.cycle_id.in_(p.chair_cycle_ids))
    if p.person_id is not None:
        clauses.append(Roundtable.coordinator_person_id == p.person_id)
        clauses.append(RoundtableSession.id.in_(roles.where(SessionRole.person_id == p.person_id)))
    if p.focal_country_ids:
        focal = p.focal_country_ids
        clauses.append(Roundtable.coordinator_country_id.in_(focal))
        co_chairs = roles.where(SessionRole.kind == RoleKind.CO_CHAIR, SessionRole.country_id.in_(focal))
        clauses.append(RoundtableSession.id.in_(co_chairs))
        team = sa.select(TeamMember.session_id).where(
            TeamMember.status == TeamStatus.ACCEPTED, TeamMember.country_id.in_(focal)
        )
        clauses.append(RoundtableSession.id.in_(team))
    sessions = sa.select(RoundtableSession.id).join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
    return sessions.where(sa.or_(*clauses) if clauses else sa.false())


def owns_item(p: Principal, item: ChecklistItem) -> bool:
    """Whether the principal answers for this checklist item (the Support Unit answers for all of them)."""
    session = item.session
    rt = session.roundtable
    focal = p.focal_country_ids
    match item.owner_role:
        case OwnerRole.CO_CHAIRS:
            return bool(session.co_chair_country_ids & focal)
        case OwnerRole.COORDINATOR:
            return (p.person_id is not None and rt.coordinator_person_id == p.person_id) or (
                rt.coordinator_country_id in focal
            )
        case OwnerRole.SESSION_TEAM:
            return bool((session.co_chair_country_ids | _team_country_ids(session)) & focal)
        case OwnerRole.RAPPORTEUR:
            return p.person_id is not None and any(
                r.kind == RoleKind.SESSION_RAPPORTEUR and r.person_id == p.person_id for r in session.roles
            )
        case OwnerRole.CHAIR_TEAM:
            return rt.cycle_id in p.chair_cycle_ids
    return False


def owner_names(item: ChecklistItem) -> str:
    """Who the owner role means for this session, in words: "Sri Lanka, Sweden" for the co-chairs."""
    session = item.session
    match item.owner_role:
        case OwnerRole.CO_CHAIRS:
            return ", ".join(str(r.holder) for r in session.co_chairs)
        case OwnerRole.COORDINATOR:
            coordinator = session.roundtable.coordinator
            return str(coordinator) if coordinator else ""
        case OwnerRole.RAPPORTEUR:
            return ", ".join(str(r.holder) for r in session.roles if r.kind == RoleKind.SESSION_RAPPORTEUR)
    return str(OWNER_ROLE_LABELS[item.owner_role])


# ---------------------------------------------------------------------------------------------------- roundtables

ROUNDTABLE_FIELDS = ["number", "title", "coordinator_person_id", "coordinator_country_id", "description", "source"]


def _validate_roundtable(cycle_id: int, values: dict[str, Any], roundtable_id: int | None) -> None:
    errors: dict[str, str] = {}
    if values.get("coordinator_person_id") and db.session.get(Person, values["coordinator_person_id"]) is None:
        errors["coordinator_person_id"] = _("Choose the coordinator from the list.")
    if values.get("coordinator_country_id") and db.session.get(Country, values["coordinator_country_id"]) is None:
        errors["coordinator_country_name"] = _("Unknown country.")
    clash = db.session.scalar(
        sa.select(Roundtable.id).where(Roundtable.cycle_id == cycle_id, Roundtable.number == values["number"])
    )
    if clash is not None and clash != roundtable_id:
        errors["number"] = _("This cycle already has a roundtable %(number)s.", number=values["number"])
    if errors:
        raise ValidationFailed(errors)


def create_roundtable(actor: Any, cycle: ForumCycle, **values: Any) -> Roundtable:
    """Add a roundtable to a cycle."""
    require(actor, Action.ROUNDTABLE_EDIT)
    values = {k: values.get(k) for k in ROUNDTABLE_FIELDS}
    values["description"] = values["description"] or ""
    values["source"] = values["source"] or ""
    _validate_roundtable(cycle.id, values, None)
    rt = Roundtable(cycle_id=cycle.id, **values)
    db.session.add(rt)
    record(actor, AuditVerb.CREATE, rt, snapshot(rt, ROUNDTABLE_FIELDS))
    db.session.commit()
    return rt


def update_roundtable(actor: Any, rt: Roundtable, *, version_id: int | None, **values: Any) -> Roundtable:
    """Change a roundtable; a stale form is refused."""
    require(actor, Action.ROUNDTABLE_EDIT, rt)
    rt.check_version(version_id)
    merged = {k: values.get(k, getattr(rt, k)) for k in ROUNDTABLE_FIELDS}
    merged["description"] = merged["description"] or ""
    merged["source"] = merged["source"] or ""
    _validate_roundtable(rt.cycle_id, merged, rt.id)
    changes = apply_changes(rt, merged)
    if changes:
        record(actor, AuditVerb.UPDATE, rt, changes)
    db.session.commit()
    return rt


# ---------------------------------------------------------------------------------------------------- sessions

SESSION_FIELDS = [
    "number",
    "title",
    "guiding_questions",
    "starts_at",
    "timezone",
    "is_date_estimated",
    "room",
    "source",
]


def _starts_at(starts_local: datetime | None, zone: str) -> datetime | None:
    if starts_local is None:
        return None
    return starts_local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _session_values(values: dict[str, Any], roundtable_id: int, session_id: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    zone = (values.get("timezone") or "").strip()
    if not is_valid_timezone(zone):
        errors["timezone"] = _("Give an IANA time zone such as America/Mexico_City or Europe/Zurich.")
    clash = db.session.scalar(
        sa.select(RoundtableSession.id).where(
            RoundtableSession.roundtable_id == roundtable_id, RoundtableSession.number == values.get("number")
        )
    )
    if clash is not None and clash != session_id:
        errors["number"] = _("This roundtable already has a session with this number.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "number": values["number"],
        "title": values["title"].strip(),
        "guiding_questions": values.get("guiding_questions") or "",
        "starts_at": _starts_at(values.get("starts_local"), zone),
        "timezone": zone,
        "is_date_estimated": bool(values.get("is_date_estimated")),
        "room": values.get("room") or "",
        "source": values.get("source") or "",
    }


def _due(session_date: date | None, offset: int) -> date | None:
    return session_date + timedelta(days=offset) if session_date else None


def _add_checklist(session: RoundtableSession, templates: list[ChecklistTemplateItem]) -> list[ChecklistItem]:
    have = {i.template_item_id for i in session.checklist}
    added = []
    for t in templates:
        if t.id in have or not t.is_active:
            continue
        item = ChecklistItem(
            session=session,
            template_item_id=t.id,
            position=t.position,
            title=t.title,
            owner_role=t.owner_role,
            due_offset_days=t.due_offset_days,
            due_on=_due(session.session_date, t.due_offset_days),
        )
        db.session.add(item)
        added.append(item)
    return added


def create_session(actor: Any, rt: Roundtable, **values: Any) -> RoundtableSession:
    """Add a session to a roundtable, with its preparation checklist generated from the template."""
    require(actor, Action.ROUNDTABLE_EDIT, rt)
    clean = _session_values(values, rt.id, None)
    session = RoundtableSession(roundtable=rt, **clean)
    db.session.add(session)
    db.session.flush()
    _add_checklist(session, template_items())
    record(actor, AuditVerb.CREATE, session, snapshot(session, SESSION_FIELDS))
    db.session.commit()
    return session


def _replan(actor: Any, session: RoundtableSession, old: date | None, new: date | None) -> int:
    """Move the due dates of the open items with the session; done and not-applicable items keep theirs."""
    moved = 0
    for item in session.checklist:
        if item.status != ItemStatus.OPEN:
            continue
        due = _due(new, item.due_offset_days)
        if due != item.due_on:
            changes = apply_changes(item, {"due_on": due})
            record(actor, AuditVerb.UPDATE, item, changes, note=_("Re-planned with the session date."))
            moved += 1
    return moved


def update_session(
    actor: Any, session: RoundtableSession, *, version_id: int | None, **values: Any
) -> RoundtableSession:
    """Change a session. A new date moves the due dates of its open checklist items, and the audit says so."""
    require(actor, Action.ROUNDTABLE_EDIT, session)
    session.check_version(version_id)
    old_date = session.session_date
    clean = _session_values(values, session.roundtable_id, session.id)
    changes = apply_changes(session, clean)
    new_date = session.session_date
    note = ""
    if old_date != new_date:
        moved = _replan(actor, session, old_date, new_date)
        note = _(
            "Session date moved from %(old)s to %(new)s; the due dates of %(count)s open checklist items moved "
            "with it.",
            old=old_date.isoformat() if old_date else _("no date"),
            new=new_date.isoformat() if new_date else _("no date"),
            count=moved,
        )
    if changes:
        record(actor, AuditVerb.UPDATE, session, changes, note=note)
    db.session.commit()
    return session


# ---------------------------------------------------------------------------------------------------- roles


def add_role(
    actor: Any,
    session: RoundtableSession,
    *,
    kind: RoleKind,
    country_id: int | None = None,
    organisation_id: int | None = None,
    person_id: int | None = None,
    note: str = "",
    source: str = "",
    at_roundtable: bool = False,
) -> SessionRole:
    """Give someone a role in a session, or in its whole roundtable (general rapporteur, plenary reporter, or a
    rapporteur the record does not tie to one session)."""
    require(actor, Action.ROUNDTABLE_EDIT, session)
    errors: dict[str, str] = {}
    holders = [h for h in (country_id, organisation_id, person_id) if h]
    if len(holders) != 1:
        errors[""] = _("Give exactly one holder: a government, an organisation or a person.")
    if country_id and db.session.get(Country, country_id) is None:
        errors["country_name"] = _("Unknown country.")
    if organisation_id and db.session.get(Organisation, organisation_id) is None:
        errors["organisation_name"] = _("Unknown organisation.")
    if person_id and db.session.get(Person, person_id) is None:
        errors["person_name"] = _("Unknown person.")
    if kind == RoleKind.CO_CHAIR:
        if not country_id:
            errors["country_name"] = _("Co-chairs are governments.")
        elif country_id in session.co_chair_country_ids:
            errors["country_name"] = _("This government already co-chairs the session.")
        elif len(session.co_chairs) >= MAX_CO_CHAIRS:
            errors["country_name"] = _("A session has at most three co-chairs.")
    if at_roundtable and kind in (RoleKind.CO_CHAIR, RoleKind.SECTION_FACILITATOR):
        errors["kind"] = _("Co-chairs and section facilitators belong to one session.")
    if errors:
        raise ValidationFailed(errors)
    at_roundtable = at_roundtable or kind in ROUNDTABLE_LEVEL_ROLES
    role = SessionRole(
        roundtable_id=session.roundtable_id,
        session_id=None if at_roundtable else session.id,
        kind=kind,
        country_id=country_id,
        organisation_id=organisation_id,
        person_id=person_id,
        note=note or "",
        source=source or "",
        position=len(session.roles) + 1,
    )
    db.session.add(role)
    record(
        actor,
        AuditVerb.CREATE,
        role,
        snapshot(role, ["kind", "session_id", "country_id", "organisation_id", "person_id", "note"]),
    )
    db.session.commit()
    return role


def remove_role(actor: Any, role: SessionRole) -> None:
    require(actor, Action.ROUNDTABLE_EDIT, role)
    record(actor, AuditVerb.DELETE, role, {"kind": [role.kind.value, None], "holder": [str(role.holder), None]})
    db.session.delete(role)
    db.session.commit()


# ---------------------------------------------------------------------------------------------------- teams

TEAM_WORKFLOW = Workflow(
    state_field="status",
    transitions={
        "rejoin": Transition("rejoin", frozenset({TeamStatus.WITHDRAWN}), TeamStatus.REQUESTED, Action.TEAM_SIGN_UP),
        "withdraw": Transition(
            "withdraw",
            frozenset({TeamStatus.REQUESTED, TeamStatus.ACCEPTED}),
            TeamStatus.WITHDRAWN,
            Action.TEAM_SIGN_UP,
        ),
        "accept": Transition("accept", frozenset({TeamStatus.REQUESTED}), TeamStatus.ACCEPTED, Action.TEAM_DECIDE),
        "decline": Transition("decline", frozenset({TeamStatus.REQUESTED}), TeamStatus.DECLINED, Action.TEAM_DECIDE),
    },
)


def focal_point_users(country_ids: set[int]) -> list[User]:
    """The accounts of the people who are focal points today for these governments."""
    if not country_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(
                Membership, sa.and_(Membership.person_id == User.person_id, Membership.member_kind == MemberKind.PERSON)
            )
            .where(
                Membership.role == MembershipRole.FOCAL_POINT,
                Membership.on_behalf_of_country_id.in_(country_ids),
                Membership.active_on(today()),
                User.is_active.is_(True),
            )
            .distinct()
        )
    )


def _refuse_when_closed(session: RoundtableSession) -> None:
    if session.is_team_closed:
        raise InvalidTransition(_("The team of this session is closed: ask the Support Unit."))


def sign_up(actor: Any, session: RoundtableSession, *, country_id: int) -> TeamMember:
    """A focal point asks for its government to join a session team; the co-chairs or the SU then decide."""
    existing = next((m for m in session.team if m.country_id == country_id), None)
    if existing is not None:
        require(actor, Action.TEAM_SIGN_UP, existing)
        _refuse_when_closed(session)
        if existing.status != TeamStatus.WITHDRAWN:
            raise InvalidTransition(_("This government is already in the team or has asked to join it."))
        TEAM_WORKFLOW.fire(actor, existing, "rejoin")
        existing.requested_by_id = getattr(actor, "id", None)
        existing.decided_by_id = existing.decided_at = None
        _tell_co_chairs(session, existing)
        db.session.commit()
        return existing
    candidate = TeamMember(session_id=session.id, kind=TeamMemberKind.GOVERNMENT, country_id=country_id)
    require(actor, Action.TEAM_SIGN_UP, candidate)
    _refuse_when_closed(session)
    if db.session.get(Country, country_id) is None:
        raise ValidationFailed({"country_id": _("Unknown country.")})
    candidate.requested_by_id = getattr(actor, "id", None)
    if country_id in session.co_chair_country_ids:
        raise InvalidTransition(_("This government co-chairs the session already."))
    db.session.add(candidate)
    record(actor, AuditVerb.CREATE, candidate, {"status": [None, TeamStatus.REQUESTED.value]})
    _tell_co_chairs(session, candidate)
    db.session.commit()
    return candidate


def _session_link(session: RoundtableSession) -> str:
    """The session page's full address for a mail (services run outside requests too: CLI, Celery)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("roundtables.session_detail", ref=session.reference, _external=True)


def _tell_co_chairs(session: RoundtableSession, member: TeamMember) -> None:
    users = focal_point_users(session.co_chair_country_ids)
    link = _session_link(session) if users else ""
    for user in users:
        queue_mail(user.email, "team_request", user=user, member=member, session=session, link=link)


def withdraw(actor: Any, member: TeamMember) -> TeamMember:
    """A government leaves a team (or takes back its request) while the team is still open."""
    require(actor, Action.TEAM_SIGN_UP, member)
    _refuse_when_closed(member.session)
    TEAM_WORKFLOW.fire(actor, member, "withdraw")
    db.session.commit()
    return member


def decide(actor: Any, member: TeamMember, *, accept: bool, comment: str = "") -> TeamMember:
    """The co-chairs' focal points or the Support Unit accept or decline a request to join."""
    TEAM_WORKFLOW.fire(actor, member, "accept" if accept else "decline", comment=comment)
    member.decided_by_id = getattr(actor, "id", None)
    member.decided_at = utcnow()
    users = focal_point_users({member.country_id}) if member.country_id is not None else []
    link = _session_link(member.session) if users else ""
    for user in users:
        queue_mail(
            user.email,
            "team_decision",
            user=user,
            member=member,
            session=member.session,
            accepted=accept,
            comment=comment,
            link=link,
        )
    db.session.commit()
    return member


def add_team_member(
    actor: Any,
    session: RoundtableSession,
    *,
    kind: TeamMemberKind,
    country_id: int | None = None,
    organisation_id: int | None = None,
    person_id: int | None = None,
    note: str = "",
    source: str = "",
) -> TeamMember:
    """The Support Unit puts a government, an organisation, an expert or a civil-society body in a team."""
    require(actor, Action.ROUNDTABLE_EDIT, session)
    errors: dict[str, str] = {}
    if kind == TeamMemberKind.GOVERNMENT:
        organisation_id = person_id = None
        if not country_id or db.session.get(Country, country_id) is None:
            errors["country_name"] = _("Give the government's name.")
    elif kind == TeamMemberKind.EXPERT:
        country_id = organisation_id = None
        if not person_id or db.session.get(Person, person_id) is None:
            errors["person_name"] = _("Give the expert's name as the directory has it.")
    else:
        country_id = person_id = None
        if not organisation_id or db.session.get(Organisation, organisation_id) is None:
            errors["organisation_name"] = _("Give the organisation's name or acronym as the directory has it.")
    if not errors and any(
        (country_id and m.country_id == country_id)
        or (organisation_id and m.organisation_id == organisation_id)
        or (person_id and m.person_id == person_id)
        for m in session.team
    ):
        errors[""] = _("Already in this team (or asked to join it).")
    if errors:
        raise ValidationFailed(errors)
    member = TeamMember(
        session_id=session.id,
        kind=kind,
        country_id=country_id,
        organisation_id=organisation_id,
        person_id=person_id,
        status=TeamStatus.ACCEPTED,
        requested_by_id=getattr(actor, "id", None),
        decided_by_id=getattr(actor, "id", None),
        decided_at=utcnow(),
        note=note or "",
        source=source or "",
    )
    db.session.add(member)
    record(
        actor,
        AuditVerb.CREATE,
        member,
        snapshot(member, ["kind", "country_id", "organisation_id", "person_id", "status"]),
    )
    db.session.commit()
    return member


def set_team_closed(actor: Any, session: RoundtableSession, *, closed: bool) -> RoundtableSession:
    require(actor, Action.ROUNDTABLE_EDIT, session)
    changes = apply_changes(session, {"is_team_closed": closed})
    if changes:
        record(actor, AuditVerb.UPDATE, session, changes)
    db.session.commit()
    return session


def open_sessions_for(actor: Any, cycle: ForumCycle) -> dict[int, TeamMember]:
    """For a focal point: its government's team rows in the cycle's sessions, by session id."""
    focal = principal_of(actor).focal_country_ids
    if not focal:
        return {}
    rows = db.session.scalars(
        sa.select(TeamMember)
        .join(RoundtableSession, RoundtableSession.id == TeamMember.session_id)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .where(Roundtable.cycle_id == cycle.id, TeamMember.country_id.in_(focal))
    )
    return {m.session_id: m for m in rows}


# ---------------------------------------------------------------------------------------------------- template

TEMPLATE_FIELDS = ["position", "title", "description", "owner_role", "due_offset_days", "is_active"]


def _validate_template(values: dict[str, Any], item_id: int | None) -> None:
    clash = db.session.scalar(sa.select(ChecklistTemplateItem.id).where(ChecklistTemplateItem.title == values["title"]))
    if clash is not None and clash != item_id:
        raise ValidationFailed({"title": _("The template already has an item with this title.")})


def create_template_item(actor: Any, **values: Any) -> ChecklistTemplateItem:
    """Add a step to the checklist template; sessions still to come get it too."""
    require(actor, Action.ROUNDTABLE_EDIT)
    values = {k: values.get(k) for k in TEMPLATE_FIELDS}
    values["title"] = values["title"].strip()
    values["description"] = values["description"] or ""
    values["position"] = values["position"] or 0
    values["is_active"] = True if values["is_active"] is None else bool(values["is_active"])
    _validate_template(values, None)
    item = ChecklistTemplateItem(**values)
    db.session.add(item)
    db.session.flush()
    record(actor, AuditVerb.CREATE, item, snapshot(item, TEMPLATE_FIELDS))
    if item.is_active:
        upcoming = db.session.scalars(
            sa.select(RoundtableSession)
            .where(sa.or_(RoundtableSession.starts_at.is_(None), RoundtableSession.starts_at >= utcnow()))
            .options(selectinload(RoundtableSession.checklist))
        )
        for session in upcoming:
            _add_checklist(session, [item])
    db.session.commit()
    return item


def update_template_item(
    actor: Any, item: ChecklistTemplateItem, *, version_id: int | None, **values: Any
) -> ChecklistTemplateItem:
    """Change a template step. Sessions keep the items already generated from it."""
    require(actor, Action.ROUNDTABLE_EDIT, item)
    item.check_version(version_id)
    merged = {k: values.get(k, getattr(item, k)) for k in TEMPLATE_FIELDS}
    merged["title"] = merged["title"].strip()
    merged["description"] = merged["description"] or ""
    merged["position"] = merged["position"] or 0
    _validate_template(merged, item.id)
    changes = apply_changes(item, merged)
    if changes:
        record(actor, AuditVerb.UPDATE, item, changes)
    db.session.commit()
    return item


# ---------------------------------------------------------------------------------------------------- checklist

CHECKLIST_WORKFLOW = Workflow(
    state_field="status",
    transitions={
        "done": Transition("done", frozenset({ItemStatus.OPEN}), ItemStatus.DONE, Action.CHECKLIST_UPDATE),
        "not_applicable": Transition(
            "not_applicable", frozenset({ItemStatus.OPEN}), ItemStatus.NOT_APPLICABLE, Action.CHECKLIST_UPDATE
        ),
        "reopen": Transition(
            "reopen", frozenset({ItemStatus.DONE, ItemStatus.NOT_APPLICABLE}), ItemStatus.OPEN, Action.CHECKLIST_UPDATE
        ),
    },
)


#: what an evidence document may be: its extension, and how its content must begin
EVIDENCE_TYPES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (b"PK\x03\x04", "application/vnd.oasis.opendocument.text"),
    "ods": (b"PK\x03\x04", "application/vnd.oasis.opendocument.spreadsheet"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}


@dataclass(frozen=True)
class Upload:
    """A file as the web layer received it: its name as the user's computer called it, and its bytes."""

    filename: str
    data: bytes


def upload_folder(area: str) -> Path:
    """Where an area's uploads live: outside the web root, under UPLOAD_FOLDER."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_upload(upload: Upload, types: dict[str, tuple[bytes, str]], field: str) -> str:
    """The cleaned file name, or ValidationFailed: too big, empty, or not the type its name claims."""
    limit_mb = current_app.config.get("MAX_UPLOAD_MB", 20)
    name = secure_filename(upload.filename or "")[:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not upload.data:
        raise ValidationFailed({field: _("The file is empty.")})
    if len(upload.data) > limit_mb * 1024 * 1024:
        raise ValidationFailed({field: _("The file is larger than %(mb)s MB.", mb=limit_mb)})
    if extension not in types:
        allowed = ", ".join(f".{e}" for e in types)
        raise ValidationFailed({field: _("Upload a file of one of these types: %(types)s.", types=allowed)})
    if not upload.data.startswith(types[extension][0]):
        raise ValidationFailed({field: _("The file's content is not what its name says (.%(ext)s).", ext=extension)})
    return name


def save_upload(upload: Upload, area: str, types: dict[str, tuple[bytes, str]], field: str) -> tuple[str, str, Path]:
    """Check and store an upload under a random name; returns (original name, key, path)."""
    name = check_upload(upload, types, field)
    key = secrets.token_hex(16)
    path = upload_folder(area) / key
    path.write_bytes(upload.data)
    return name, key, path


def evidence_path(item: ChecklistItem) -> tuple[Path, str, str]:
    """Where an item's evidence document is stored, its original name and its content type."""
    if not item.evidence_file_key:
        raise NotFound()
    extension = item.evidence_file_name.rsplit(".", 1)[-1].lower()
    return upload_folder("checklist") / item.evidence_file_key, item.evidence_file_name, EVIDENCE_TYPES[extension][1]


def mark_done(
    actor: Any,
    item: ChecklistItem,
    *,
    version_id: int | None,
    evidence_url: str = "",
    evidence_note: str = "",
    evidence_file: Upload | None = None,
) -> ChecklistItem:
    """Tick an item done, with a link, a note or a document as evidence."""
    require(actor, Action.CHECKLIST_UPDATE, item)
    item.check_version(version_id)
    evidence_url, evidence_note = (evidence_url or "").strip(), (evidence_note or "").strip()
    if evidence_file is not None and not evidence_file.filename and not evidence_file.data:
        evidence_file = None
    if not evidence_url and not evidence_note and evidence_file is None:
        raise ValidationFailed({"evidence_note": _("Say what shows it is done: a link, a short note or a document.")})
    if evidence_url and not evidence_url.startswith(("https://", "http://")):
        raise ValidationFailed({"evidence_url": _("A link starts with https:// or http://.")})
    stored: Path | None = None
    if evidence_file is not None:
        name, key, stored = save_upload(evidence_file, "checklist", EVIDENCE_TYPES, "evidence_file")
        item.evidence_file_name, item.evidence_file_key, item.evidence_file_size = name, key, len(evidence_file.data)
    item.evidence_url, item.evidence_note = evidence_url, evidence_note
    item.done_at, item.done_by_id = utcnow(), getattr(actor, "id", None)
    comment = " ".join(filter(None, [evidence_url, evidence_note, item.evidence_file_name if stored else ""]))
    try:
        CHECKLIST_WORKFLOW.fire(actor, item, "done", comment=comment)
        db.session.commit()
    except Exception:
        if stored is not None:
            stored.unlink(missing_ok=True)  # nothing half-saved: no file without its record
        raise
    return item


def mark_not_applicable(actor: Any, item: ChecklistItem, *, version_id: int | None, reason: str) -> ChecklistItem:
    """Set an item aside for this session, saying why."""
    require(actor, Action.CHECKLIST_UPDATE, item)
    item.check_version(version_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": _("Say why this step does not apply to the session.")})
    item.na_reason = reason
    CHECKLIST_WORKFLOW.fire(actor, item, "not_applicable", comment=reason)
    db.session.commit()
    return item


def reopen(actor: Any, item: ChecklistItem, *, version_id: int | None) -> ChecklistItem:
    """Open an item again; its due date follows the session's current date."""
    require(actor, Action.CHECKLIST_UPDATE, item)
    item.check_version(version_id)
    CHECKLIST_WORKFLOW.fire(actor, item, "reopen")
    item.done_at = item.done_by_id = None
    item.na_reason = ""
    item.due_on = _due(item.session.session_date, item.due_offset_days)
    db.session.commit()
    return item


# ---------------------------------------------------------------------------------------------------- the board


@dataclass
class BoardColumn:
    key: str
    title: str
    due_offset_days: int


@dataclass(slots=True)
class BoardSession:
    """A session as its board row names it."""

    id: int
    reference: str
    code: str
    title: str


@dataclass(slots=True)
class BoardCell:
    """A checklist item as its board cell shows it, and its state on the board's day."""

    id: int
    title: str
    owner_role: OwnerRole
    due_on: date | None
    state: CellState


@dataclass
class BoardRow:
    session: BoardSession
    cells: dict[str, BoardCell]
    percent_done: int
    next_deadline: date | None
    overdue: int


@dataclass
class Board:
    cycle: ForumCycle
    day: date
    columns: list[BoardColumn]
    rows: list[BoardRow]
    #: the numbers of the cycle's roundtables, for the filter
    roundtables: list[int] = field(default_factory=list)


BOARD_SORTS = ("session", "next_deadline", "percent_done", "overdue")


def _column_key(template_item_id: int | None, title: str) -> str:
    return f"t{template_item_id}" if template_item_id else f"x{title}"


class _BoardStatements(NamedTuple):
    roundtables: sa.Select
    sessions: sa.Select
    items: sa.Select


@built_once
def _board_statements(one_roundtable: bool) -> _BoardStatements:
    """The board's three statements: the cycle's roundtable numbers, its sessions (of one roundtable), and the
    items of the sessions whose ids are `ids`."""
    cycle_id = sa.bindparam("cycle_id", type_=sa.Integer)
    in_scope = [Roundtable.cycle_id == cycle_id]
    if one_roundtable:
        in_scope.append(Roundtable.number == sa.bindparam("roundtable", type_=sa.Integer))
    return _BoardStatements(
        roundtables=sa.select(Roundtable.number).where(Roundtable.cycle_id == cycle_id).order_by(Roundtable.number),
        sessions=sa.select(RoundtableSession.id, Roundtable.number, RoundtableSession.number, RoundtableSession.title)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .where(*in_scope)
        .order_by(Roundtable.number, RoundtableSession.number),
        items=sa.select(
            ChecklistItem.session_id,
            ChecklistItem.id,
            ChecklistItem.template_item_id,
            ChecklistItem.title,
            ChecklistItem.owner_role,
            ChecklistItem.due_offset_days,
            ChecklistItem.due_on,
            ChecklistItem.status,
        )
        # the sessions' own items by their index: joined from the items, every cycle's were read
        .where(among(ChecklistItem.session_id, name="ids"))
        .order_by(ChecklistItem.session_id, ChecklistItem.position, ChecklistItem.id),
    )


def board(
    actor: Any,
    cycle: ForumCycle,
    *,
    roundtable: int | None = None,
    owner: OwnerRole | None = None,
    state: CellState | None = None,
    sort: str = "session",
) -> Board:
    """The preparation board of a cycle: sessions × checklist items, read as plain columns in three queries (a
    board of two hundred cells would otherwise load two hundred ORM objects and the sessions' roles)."""
    require(actor, Action.BOARD_VIEW, cycle)
    day = today()
    statements = _board_statements(roundtable is not None)
    in_scope = {"cycle_id": cycle.id, "roundtable": roundtable}
    roundtables = list(db.session.scalars(statements.roundtables, in_scope))
    sessions = db.session.execute(statements.sessions, in_scope).all()
    checklists: dict[int, list[tuple]] = {session_id: [] for session_id, *_ in sessions}
    for session_id, *item in db.session.execute(statements.items, {"ids": list(checklists)}):
        checklists[session_id].append(item)
    columns: dict[str, BoardColumn] = {}
    rows: list[BoardRow] = []
    for session_id, roundtable_number, number, title in sessions:
        cells: dict[str, BoardCell] = {}
        applicable = done = overdue = 0
        upcoming: list[date] = []
        for item_id, template_item_id, item_title, owner_role, offset, due_on, status in checklists[session_id]:
            if status != ItemStatus.NOT_APPLICABLE:
                applicable += 1
                done += status == ItemStatus.DONE
                if status == ItemStatus.OPEN and due_on:
                    if due_on < day:
                        overdue += 1
                    else:
                        upcoming.append(due_on)
            cell_state_on_day = cell_state(status, due_on, day)
            if (owner is not None and owner_role != owner) or (state is not None and cell_state_on_day != state):
                continue
            key = _column_key(template_item_id, item_title)
            if key not in columns:
                columns[key] = BoardColumn(key, item_title, offset)
            cells[key] = BoardCell(item_id, item_title, owner_role, due_on, cell_state_on_day)
        if (owner or state) and not cells:
            continue
        rows.append(
            BoardRow(
                session=BoardSession(
                    session_id,
                    session_reference(cycle.year, roundtable_number, number),
                    session_code(roundtable_number, number),
                    title,
                ),
                cells=cells,
                percent_done=round(100 * done / applicable) if applicable else 100,
                next_deadline=min(upcoming) if upcoming else None,
                overdue=overdue,
            )
        )
    far = date.max
    if sort == "next_deadline":
        rows.sort(key=lambda r: r.next_deadline or far)
    elif sort == "percent_done":
        rows.sort(key=lambda r: r.percent_done)
    elif sort == "overdue":
        rows.sort(key=lambda r: -r.overdue)
    ordered = sorted(columns.values(), key=lambda c: (c.due_offset_days, c.title))
    return Board(cycle=cycle, day=day, columns=ordered, rows=rows, roundtables=roundtables)


TEAM_MATRIX_HEADER = ["session", "session title", "roundtable", "party", "party kind", "role", "note"]


def team_matrix_rows(roundtables: list[Roundtable]) -> list[list[Any]]:
    """The public team matrix of a cycle (as cycle_roundtables loads it): per session its co-chairs and other
    roles, then the members of its team; roundtable-wide roles under the roundtable. Requests not (yet) accepted
    are the preparers' business and stay out."""
    lines: list[list[Any]] = []
    for roundtable in roundtables:
        rt = roundtable.reference
        for role in roundtable.roles:  # in their order of position
            if role.session_id is None:
                lines.append(["", "", rt, str(role.holder), _holder_kind(role), role.kind.value, role.note])
        for session in roundtable.sessions:
            where = [session.reference, session.title, rt]
            for role in roundtable.roles:
                if role.session_id == session.id:
                    lines.append([*where, str(role.holder), _holder_kind(role), role.kind.value, role.note])
            for member in session.team:
                if member.status == TeamStatus.ACCEPTED:
                    lines.append([*where, str(member.member), member.kind.value, "team_member", member.note])
    return lines


def _holder_kind(role: SessionRole) -> str:
    if role.country_id is not None:
        return "government"
    return "organisation" if role.organisation_id is not None else "person"


def board_export_rows(result: Board) -> tuple[list[str], list[list[Any]]]:
    """One line per item shown on the board, for CSV and XLSX."""
    from forum.roundtables.models import CELL_STATE_LABELS

    header = [
        _("Session"),
        _("Session title"),
        _("Session date"),
        _("Item"),
        _("Owner"),
        _("Owner (who)"),
        _("Due"),
        _("State"),
        _("Done on"),
        _("Evidence link"),
        _("Evidence note"),
        _("Reason not applicable"),
    ]
    shown = [(row, cell) for row in result.rows for column in result.columns if (cell := row.cells.get(column.key))]
    # what the board does not show: the evidence, the session's date, who the owners are (its roles and team)
    items = {
        item.id: item
        for item in db.session.scalars(
            sa.select(ChecklistItem)
            .where(ChecklistItem.id.in_([cell.id for _row, cell in shown]))
            .options(joinedload(ChecklistItem.session).options(*_session_options()))
        )
    }
    lines = []
    for row, cell in shown:
        item = items[cell.id]
        lines.append(
            [
                row.session.reference,
                row.session.title,
                item.session.session_date,
                item.title,
                str(OWNER_ROLE_LABELS[item.owner_role]),
                owner_names(item),
                item.due_on,
                str(CELL_STATE_LABELS[cell.state]),
                item.done_at.date() if item.done_at else None,
                item.evidence_url,
                item.evidence_note,
                item.na_reason,
            ]
        )
    return header, lines
