"""Structure services: cycles, bodies and dated memberships, and the questions asked of them.

"Who sat on the Steering Group on 9 November 2010?" and "what roles did Morocco hold?" are answered from the
one memberships table; the Troika is computed from the neighbouring cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.dates import today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.models import DatePrecision
from forum.core.pagination import Page, paginate
from forum.core.permissions import Action, require
from forum.core.statements import built_once
from forum.directory.models import Country, Organisation, Person
from forum.extensions import db
from forum.structure.models import (
    Body,
    BodyKind,
    CycleStatus,
    ForumCycle,
    MemberKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    Track,
)

# ---------------------------------------------------------------------------------------------------- cycles

CYCLE_FIELDS = [
    "year",
    "chair_country_id",
    "theme",
    "summit_city",
    "meeting_number",
    "starts_on",
    "ends_on",
    "summit_starts_on",
    "summit_ends_on",
    "status",
    "is_fictional",
    "notes",
]


@dataclass(frozen=True)
class Troika:
    """Past, present and next chair, computed from the cycles before and after this one."""

    previous: ForumCycle | None
    current: ForumCycle
    next: ForumCycle | None



def _validate_cycle(values: dict[str, Any], cycle_id: int | None) -> None:
    errors: dict[str, str] = {}
    if db.session.get(Country, values["chair_country_id"]) is None:
        errors["chair_country_id"] = _("Choose the chairing government from the list.")
    if values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The chair-year cannot end before it starts.")
    summit_start, summit_end = values.get("summit_starts_on"), values.get("summit_ends_on")
    if (summit_start is None) != (summit_end is None):
        errors["summit_ends_on"] = _("Give both summit dates, or neither for a year without a summit.")
    elif summit_start and summit_end < summit_start:
        errors["summit_ends_on"] = _("The summit cannot end before it starts.")
    clash = db.session.scalar(
        sa.select(ForumCycle).options(joinedload(ForumCycle.chair_country)).where(ForumCycle.year == values["year"])
    )
    if clash is not None and clash.id != cycle_id:
        errors["year"] = _(
            "%(year)s already has a chair: %(country)s. A year has one chair.",
            year=values["year"],
            country=clash.chair_country.name,
        )
    if errors:
        raise ValidationFailed(errors)


def create_cycle(actor: Any, **values: Any) -> ForumCycle:
    """Open a chair-year: one chairing government per year."""
    require(actor, Action.CYCLE_EDIT)
    values = {k: values.get(k) for k in CYCLE_FIELDS}
    values["status"] = values["status"] or CycleStatus.COMMITTED
    values["is_fictional"] = bool(values["is_fictional"])
    values["notes"] = values["notes"] or ""
    _validate_cycle(values, None)
    cycle = ForumCycle(**values)
    db.session.add(cycle)
    record(actor, AuditVerb.CREATE, cycle, snapshot(cycle, CYCLE_FIELDS))
    db.session.commit()
    return cycle


def update_cycle(actor: Any, cycle: ForumCycle, *, version_id: int, **values: Any) -> ForumCycle:
    """Change a chair-year; a stale form is refused."""
    require(actor, Action.CYCLE_EDIT, cycle)
    cycle.check_version(version_id)
    merged = {k: values.get(k, getattr(cycle, k)) for k in CYCLE_FIELDS}
    merged["notes"] = merged["notes"] or ""
    _validate_cycle(merged, cycle.id)
    changes = apply_changes(cycle, merged)
    if changes:
        record(actor, AuditVerb.UPDATE, cycle, changes)
    db.session.commit()
    return cycle


def cycles_overview() -> list[ForumCycle]:
    return list(
        db.session.scalars(
            sa.select(ForumCycle).options(joinedload(ForumCycle.chair_country)).order_by(ForumCycle.year)
        )
    )


def cycle_by_year(year: int) -> ForumCycle | None:
    return db.session.scalar(_cycle_by_year(), {"year": year})


@built_once
def _cycle_by_year() -> sa.Select:
    return (
        sa.select(ForumCycle)
        .options(joinedload(ForumCycle.chair_country))
        .where(ForumCycle.year == sa.bindparam("year", type_=sa.Integer))
    )


def cycle_or_404(year: int) -> ForumCycle:
    """The cycle of a year, or NotFound: for every page and endpoint that takes a year from the address."""
    cycle = cycle_by_year(year)
    if cycle is None:
        raise NotFound()
    return cycle


def troika_of(cycle: ForumCycle, cycles: list[ForumCycle] | None = None) -> Troika:
    """The chairs of the nearest cycles before and after, found among `cycles` when the page has read them all,
    else read in one query."""
    if cycles is None:
        before = sa.select(sa.func.max(ForumCycle.year)).where(ForumCycle.year < cycle.year).scalar_subquery()
        after = sa.select(sa.func.min(ForumCycle.year)).where(ForumCycle.year > cycle.year).scalar_subquery()
        cycles = list(
            db.session.scalars(
                sa.select(ForumCycle)
                .options(joinedload(ForumCycle.chair_country))
                .where(sa.or_(ForumCycle.year == before, ForumCycle.year == after))
            )
        )
    previous = max((c for c in cycles if c.year < cycle.year), key=lambda c: c.year, default=None)
    following = min((c for c in cycles if c.year > cycle.year), key=lambda c: c.year, default=None)
    return Troika(previous=previous, current=cycle, next=following)


def current_cycle(day: date, cycles: list[ForumCycle] | None = None) -> ForumCycle | None:
    """The cycle whose chair-year contains `day`, the real one before a fictional one (among `cycles` when the
    page has read them all)."""
    running = [c for c in (cycles if cycles is not None else cycles_overview()) if c.starts_on <= day <= c.ends_on]
    return min(running, key=lambda c: (c.is_fictional, c.year), default=None)


# ---------------------------------------------------------------------------------------------------- bodies

BODY_FIELDS = ["name", "acronym", "kind", "track", "cycle_id", "description", "established_on", "dissolved_on"]


def _validate_body(values: dict[str, Any], body_id: int | None) -> None:
    errors: dict[str, str] = {}
    if values.get("cycle_id") is not None and db.session.get(ForumCycle, values["cycle_id"]) is None:
        errors["cycle_id"] = _("Choose a cycle from the list.")
    start, end = values.get("established_on"), values.get("dissolved_on")
    if start and end and end < start:
        errors["dissolved_on"] = _("A body cannot be dissolved before it is established.")
    clash = db.session.scalar(
        sa.select(Body.id).where(
            sa.func.lower(Body.name) == values["name"].lower(), Body.track == values["track"], Body.id != (body_id or 0)
        )
    )
    if clash:
        errors["name"] = _("A body with this name already exists in this track.")
    if errors:
        raise ValidationFailed(errors)


def create_body(actor: Any, **values: Any) -> Body:
    """Add a body: standing, or tied to one cycle."""
    require(actor, Action.BODY_EDIT)
    values = {k: values.get(k) for k in BODY_FIELDS}
    values["track"] = values["track"] or Track.GOVERNMENT
    values["description"] = values["description"] or ""
    values["acronym"] = values["acronym"] or None
    _validate_body(values, None)
    body = Body(**values)
    db.session.add(body)
    record(actor, AuditVerb.CREATE, body, snapshot(body, BODY_FIELDS))
    db.session.commit()
    return body


def update_body(actor: Any, body: Body, *, version_id: int, **values: Any) -> Body:
    """Change a body's details; a stale form is refused."""
    require(actor, Action.BODY_EDIT, body)
    body.check_version(version_id)
    merged = {k: values.get(k, getattr(body, k)) for k in BODY_FIELDS}
    merged["description"] = merged["description"] or ""
    merged["acronym"] = merged["acronym"] or None
    _validate_body(merged, body.id)
    changes = apply_changes(body, merged)
    if changes:
        record(actor, AuditVerb.UPDATE, body, changes)
    db.session.commit()
    return body


def bodies_overview() -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body)
            .options(joinedload(Body.cycle).joinedload(ForumCycle.chair_country))
            .order_by(Body.track, Body.kind, Body.name)
        )
    )


def body_of_kind(kind: BodyKind, cycle_id: int | None = None) -> Body | None:
    stmt = sa.select(Body).where(Body.kind == kind).order_by(Body.id).limit(1)
    if cycle_id is not None:
        stmt = stmt.where(Body.cycle_id == cycle_id)
    return db.session.scalar(stmt)


# ------------------------------------------------------------------------------------------------ memberships

MEMBERSHIP_FIELDS = [
    "member_kind",
    "country_id",
    "organisation_id",
    "person_id",
    "on_behalf_of_country_id",
    "role",
    "starts_on",
    "starts_precision",
    "ends_on",
    "ends_precision",
    "status",
    "replaces_id",
    "note",
    "source",
]

_MEMBER_FIELD = {
    MemberKind.GOVERNMENT: ("country_id", Country),
    MemberKind.ORGANISATION: ("organisation_id", Organisation),
    MemberKind.PERSON: ("person_id", Person),
}


def _normalise_membership(values: dict[str, Any]) -> dict[str, Any]:
    """Keep only the member field that matches the kind, so the one-member CHECK always holds."""
    kind = MemberKind(values["member_kind"])
    keep, _model = _MEMBER_FIELD[kind]
    for field, _m in _MEMBER_FIELD.values():
        if field != keep:
            values[field] = None
    if kind != MemberKind.PERSON:
        values["on_behalf_of_country_id"] = None
    values["role"] = values.get("role") or MembershipRole.MEMBER
    values["status"] = values.get("status") or MembershipStatus.ACTIVE
    values["starts_precision"] = values.get("starts_precision") or DatePrecision.DAY
    values["ends_precision"] = values.get("ends_precision") or DatePrecision.DAY
    values["note"] = values.get("note") or ""
    values["source"] = values.get("source") or ""
    return values


def _validate_membership(body_id: int, values: dict[str, Any], membership_id: int | None) -> None:
    errors: dict[str, str] = {}
    kind = values["member_kind"]
    field, model = _MEMBER_FIELD[kind]
    member_id = values.get(field)
    if member_id is None or db.session.get(model, member_id) is None:
        errors[field] = _("Choose the member from the list.")
    if (
        values.get("on_behalf_of_country_id") is not None
        and db.session.get(Country, values["on_behalf_of_country_id"]) is None
    ):
        errors["on_behalf_of_country_id"] = _("Choose a country from the list.")
    starts, ends = values["starts_on"], values.get("ends_on")
    if ends is not None and ends < starts:
        errors["ends_on"] = _("A membership cannot end before it starts.")
    if values["status"] == MembershipStatus.ACTIVE and ends is not None and ends < today():
        errors["status"] = _("A membership that has ended cannot be active: say how it ended.")
    if values.get("replaces_id") is not None:
        replaced = db.session.get(Membership, values["replaces_id"])
        if replaced is None or replaced.body_id != body_id or replaced.id == membership_id:
            errors["replaces_id"] = _("The replaced membership must be another membership of the same body.")
    if not errors and member_id is not None:
        overlap = sa.select(Membership.id).where(
            Membership.body_id == body_id,
            Membership.member_kind == kind,
            getattr(Membership, field) == member_id,
            Membership.role == values["role"],
            Membership.id != (membership_id or 0),
            sa.or_(Membership.ends_on.is_(None), Membership.ends_on >= starts),
        )
        if ends is not None:
            overlap = overlap.where(Membership.starts_on <= ends)
        if db.session.scalar(overlap.limit(1)):
            errors["starts_on"] = _(
                "This member already holds this role in this body for part of these dates. "
                "End or edit the existing membership instead."
            )
    if errors:
        raise ValidationFailed(errors)


def create_membership(actor: Any, *, body_id: int, **values: Any) -> Membership:
    """Record that a government, organisation or person holds a role in a body from a date (to a date)."""
    body = db.session.get(Body, body_id)
    if body is None:
        raise ValidationFailed({"body_id": _("Choose a body from the list.")})
    require(actor, Action.MEMBERSHIP_EDIT, body)
    membership = add_membership(actor, body, **values)
    db.session.commit()
    return membership


def add_membership(actor: Any, body: Body, **values: Any) -> Membership:
    """The work of create_membership without the commit, for services that add memberships as one step of more."""
    values = _normalise_membership({k: values.get(k) for k in MEMBERSHIP_FIELDS})
    _validate_membership(body.id, values, None)
    membership = Membership(body_id=body.id, **values)
    db.session.add(membership)
    record(actor, AuditVerb.CREATE, membership, snapshot(membership, MEMBERSHIP_FIELDS))
    return membership


def update_membership(actor: Any, membership: Membership, *, version_id: int, **values: Any) -> Membership:
    """Change a membership's role, dates or status; a stale form is refused."""
    require(actor, Action.MEMBERSHIP_EDIT, membership.body)
    membership.check_version(version_id)
    merged = _normalise_membership({k: values.get(k, getattr(membership, k)) for k in MEMBERSHIP_FIELDS})
    _validate_membership(membership.body_id, merged, membership.id)
    changes = apply_changes(membership, merged)
    if changes:
        record(actor, AuditVerb.UPDATE, membership, changes)
    db.session.commit()
    return membership


def _membership_query() -> sa.Select:
    # The replaced memberships come in a second query: one statement with nine joins cost PostgreSQL more to
    # plan than to run.
    replaces = selectinload(Membership.replaces)
    return sa.select(Membership).options(
        joinedload(Membership.country),
        joinedload(Membership.organisation),
        joinedload(Membership.person),
        joinedload(Membership.on_behalf_of),
        replaces.joinedload(Membership.country),
        replaces.joinedload(Membership.person),
        replaces.joinedload(Membership.organisation),
    )


def members_on(body: Body, day: date) -> list[Membership]:
    """The memberships of a body that count on a given day, chairs first."""
    rows = db.session.scalars(_members_on(), {"body_id": body.id, "day": day})
    return sorted(rows.unique(), key=_membership_sort_key)


@built_once
def _members_on() -> sa.Select:
    return _membership_query().where(
        Membership.body_id == sa.bindparam("body_id", type_=sa.Integer),
        Membership.active_on(sa.bindparam("day", type_=sa.Date)),
    )


def _history_query(body: Body) -> sa.Select:
    return _history_of(body.id)


@built_once
def _history_of(body_id: int) -> sa.Select:
    return _membership_query().where(Membership.body_id == body_id).order_by(Membership.starts_on, Membership.id)


def body_history(body: Body) -> list[Membership]:
    """Every membership a body has had, in the order they began: joins, withdrawals, replacements."""
    return list(db.session.scalars(_history_query(body)).unique())


def body_history_page(body: Body, page: int) -> Page:
    """One page of the body's history, for bodies whose history runs over many years."""
    return paginate(_history_query(body), page, 25)


def replaced_by(memberships: list[Membership]) -> dict[int, Membership]:
    """For each membership in the list that was replaced, the one that took it over (from the same list)."""
    return {m.replaces_id: m for m in memberships if m.replaces_id is not None}


ROLE_ORDER = list(MembershipRole)


def _membership_sort_key(m: Membership) -> tuple:
    return (ROLE_ORDER.index(m.role) if m.role != MembershipRole.MEMBER else 99, str(m.member))


def roles_of(member_kind: MemberKind, member_id: int) -> list[Membership]:
    """Every membership a government, organisation or person has held, newest first, eager-loaded.

    For a government this includes the roles its people held on its behalf (a focal point, a plenary reporter).
    """
    return list(db.session.scalars(_roles_of(member_kind), {"member_id": member_id}).unique())


@built_once
def _roles_of(member_kind: MemberKind) -> sa.Select:
    member_id = sa.bindparam("member_id", type_=sa.Integer)
    stmt = _membership_query().options(joinedload(Membership.body).joinedload(Body.cycle))
    if member_kind == MemberKind.GOVERNMENT:
        stmt = stmt.where(sa.or_(Membership.country_id == member_id, Membership.on_behalf_of_country_id == member_id))
    elif member_kind == MemberKind.ORGANISATION:
        stmt = stmt.where(Membership.organisation_id == member_id)
    else:
        stmt = stmt.where(Membership.person_id == member_id)
    return stmt.order_by(Membership.starts_on.desc(), Membership.id)


def office_holders(cycle: ForumCycle) -> list[Membership]:
    """The people who held the cycle's offices (Chair-in-Office, Executive Director…), in order of taking office."""
    return list(
        db.session.scalars(
            _membership_query()
            .options(joinedload(Membership.body))
            .join(Body, Body.id == Membership.body_id)
            .where(Body.cycle_id == cycle.id, Body.kind == BodyKind.CHAIR_OFFICE)
            .where(Membership.role.in_([MembershipRole.CHAIR_IN_OFFICE, MembershipRole.EXECUTIVE_DIRECTOR]))
            .order_by(Membership.role, Membership.starts_on)
        ).unique()
    )


def cycle_bodies(cycle: ForumCycle) -> list[Body]:
    return list(db.session.scalars(sa.select(Body).where(Body.cycle_id == cycle.id).order_by(Body.kind, Body.name)))


def body_with_cycle(body_id: int) -> Body:
    body = db.session.scalar(_body_with_cycle(), {"body_id": body_id})
    if body is None:
        raise NotFound()
    return body


@built_once
def _body_with_cycle() -> sa.Select:
    return (
        sa.select(Body)
        .options(joinedload(Body.cycle).joinedload(ForumCycle.chair_country))
        .where(Body.id == sa.bindparam("body_id", type_=sa.Integer))
    )


def members_of_bodies_on(bodies: list[Body], day: date) -> dict[int, list[Membership]]:
    """The members of several bodies on one day, in one query: {body id: memberships, chairs first}."""
    rows = db.session.scalars(
        _membership_query().where(Membership.body_id.in_([b.id for b in bodies]), Membership.active_on(day))
    ).unique()
    found: dict[int, list[Membership]] = {}
    for membership in rows:
        found.setdefault(membership.body_id, []).append(membership)
    return {body_id: sorted(members, key=_membership_sort_key) for body_id, members in found.items()}
