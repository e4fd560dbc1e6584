"""The searchable kinds of record, registered in the order their groups appear on the results page.

To add a kind, write one SearchSource beside these (or in the area's own module, imported from here) and pass
it to register(); forum.search.registry says what each part means.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for

from forum.core.i18n import lazy_gettext as _l
from forum.core.permissions import Principal
from forum.directory.models import Country, Organisation, Person
from forum.outcomes.models import Outcome
from forum.outcomes.services import may_see_internal
from forum.papers.models import DocumentState, DocumentVersion, SessionDocument
from forum.partnerships.models import PartnershipProject
from forum.partnerships.rules import visible_clause
from forum.roundtables.models import Roundtable, RoundtableSession
from forum.roundtables.services import sessions_taking_part
from forum.search.models import SearchEntry
from forum.search.registry import SearchSource, register
from forum.structure.models import ForumCycle


def _text(*columns) -> Any:
    """Columns joined by spaces in SQL (`||` on both databases), NULLs read as empty."""
    joined = sa.func.coalesce(columns[0], "")
    for column in columns[1:]:
        joined = joined + " " + sa.func.coalesce(column, "")
    return joined


def _only(stmt: sa.Select, id_column, ids: list[int] | None) -> sa.Select:
    return stmt if ids is None else stmt.where(id_column.in_(ids))


# ------------------------------------------------------------------------------------------- roundtable sessions

_SESSION_REF = (
    sa.cast(ForumCycle.year, sa.String)
    + "-RT"
    + sa.cast(Roundtable.number, sa.String)
    + "."
    + sa.cast(RoundtableSession.number, sa.String)
)


def _session_entries(ids: list[int] | None) -> sa.Select:
    stmt = (
        sa.select(
            RoundtableSession.id.label("object_id"),
            RoundtableSession.title.label("title"),
            _text(_SESSION_REF, Roundtable.title, RoundtableSession.guiding_questions).label("body"),
            _SESSION_REF.label("ref"),
            _text(_SESSION_REF, Roundtable.title).label("context"),
        )
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .join(ForumCycle, ForumCycle.id == Roundtable.cycle_id)
    )
    return _only(stmt, RoundtableSession.id, ids)


def _sessions_of_roundtable(roundtable: Roundtable) -> sa.Select:
    return sa.select(RoundtableSession.id).where(RoundtableSession.roundtable_id == roundtable.id)


def _sessions_of_cycle(cycle: ForumCycle) -> sa.Select:
    return (
        sa.select(RoundtableSession.id)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .where(Roundtable.cycle_id == cycle.id)
    )


SESSIONS = register(
    SearchSource(
        kind="sessions",
        label=_l("Roundtable sessions"),
        model=RoundtableSession,
        entries=_session_entries,
        url=lambda hit: url_for("roundtables.session_detail", ref=hit.ref),
        watches={
            RoundtableSession: lambda s: s.id,
            Roundtable: _sessions_of_roundtable,
            ForumCycle: _sessions_of_cycle,
        },
    )
)


# ------------------------------------------------------------------------------------------------------ outcomes

def _outcome_entries(ids: list[int] | None) -> sa.Select:
    stmt = sa.select(
        Outcome.id.label("object_id"),
        Outcome.title.label("title"),
        _text(Outcome.reference, Outcome.text, RoundtableSession.title).label("body"),
        Outcome.reference.label("ref"),
        _text(Outcome.reference, RoundtableSession.title).label("context"),
    ).outerjoin(RoundtableSession, RoundtableSession.id == Outcome.session_id)
    return _only(stmt, Outcome.id, ids)


def _outcomes_visible(p: Principal) -> Any:
    """Published outcomes for everyone; drafts for those who record and review them (as on the outcome pages)."""
    if may_see_internal(p):
        return SearchEntry.object_id.in_(sa.select(Outcome.id))
    return SearchEntry.object_id.in_(sa.select(Outcome.id).where(Outcome.published_at.is_not(None)))


def _outcomes_of_session(session: RoundtableSession) -> sa.Select:
    return sa.select(Outcome.id).where(Outcome.session_id == session.id)


OUTCOMES = register(
    SearchSource(
        kind="outcomes",
        label=_l("Outcomes"),
        model=Outcome,
        entries=_outcome_entries,
        url=lambda hit: url_for("outcomes.outcome_detail", reference=hit.ref),
        watches={Outcome: lambda o: o.id, RoundtableSession: _outcomes_of_session},
        visible=_outcomes_visible,
    )
)


# ------------------------------------------------------------------------------------------------------- papers

_LATEST_TEXT = (
    sa.select(DocumentVersion.text)
    .where(DocumentVersion.document_id == SessionDocument.id)
    .order_by(DocumentVersion.number.desc())
    .limit(1)
    .correlate(SessionDocument)
    .scalar_subquery()
)


def _paper_entries(ids: list[int] | None) -> sa.Select:
    stmt = (
        sa.select(
            SessionDocument.id.label("object_id"),
            SessionDocument.title.label("title"),
            sa.func.coalesce(_LATEST_TEXT, "").label("body"),
            sa.literal("").label("ref"),
            _text(_SESSION_REF, RoundtableSession.title).label("context"),
        )
        .join(RoundtableSession, RoundtableSession.id == SessionDocument.session_id)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .join(ForumCycle, ForumCycle.id == Roundtable.cycle_id)
    )
    return _only(stmt, SessionDocument.id, ids)


def _papers_visible(p: Principal) -> Any:
    """Published papers for everyone; an unpublished one for those who may see its session's preparation (the
    PAPER_VIEW rule for a paper not yet published: the Support Unit, and whoever takes part in the session)."""
    published = SearchEntry.object_id.in_(
        sa.select(SessionDocument.id).where(SessionDocument.state == DocumentState.PUBLISHED)
    )
    if not p.is_authenticated:
        return published
    unpublished = sa.select(SessionDocument.id).where(SessionDocument.state != DocumentState.PUBLISHED)
    if not p.is_support_unit:
        unpublished = unpublished.where(SessionDocument.session_id.in_(sessions_taking_part(p)))
    return sa.or_(published, SearchEntry.object_id.in_(unpublished))


def _papers_of_session(session: RoundtableSession) -> sa.Select:
    return sa.select(SessionDocument.id).where(SessionDocument.session_id == session.id)


PAPERS = register(
    SearchSource(
        kind="papers",
        label=_l("Papers"),
        model=SessionDocument,
        entries=_paper_entries,
        url=lambda hit: url_for("papers.document_detail", document_id=hit.object_id),
        watches={
            SessionDocument: lambda d: d.id,
            DocumentVersion: lambda v: v.document_id,
            RoundtableSession: _papers_of_session,
        },
        visible=_papers_visible,
    )
)


# ------------------------------------------------------------------------------------------- PfP projects

def _project_entries(ids: list[int] | None) -> sa.Select:
    p = PartnershipProject
    stmt = sa.select(
        p.id.label("object_id"),
        p.title.label("title"),
        _text(
            p.summary, p.objectives, p.outcomes_followed, p.needs_partners, p.needs_expertise, p.needs_funding,
            p.offers, p.source, Country.name,
        ).label("body"),
        sa.literal("").label("ref"),
        Country.name.label("context"),
    ).join(Country, Country.id == p.lead_country_id)
    return _only(stmt, p.id, ids)


def _projects_visible(p: Principal) -> Any:
    """The same rule as the catalogue and the project page (forum.partnerships.rules), as SQL."""
    allowed = sa.select(PartnershipProject.id).where(visible_clause(p))
    return SearchEntry.object_id.in_(allowed)


PROJECTS = register(
    SearchSource(
        kind="projects",
        label=_l("Partnership projects"),
        model=PartnershipProject,
        entries=_project_entries,
        url=lambda hit: url_for("partnerships.project_detail", project_id=hit.object_id),
        watches={PartnershipProject: lambda p: p.id},
        visible=_projects_visible,
    )
)


# ------------------------------------------------------------------------------------------- organisations

def _organisation_entries(ids: list[int] | None) -> sa.Select:
    o = Organisation
    stmt = sa.select(
        o.id.label("object_id"),
        o.name.label("title"),
        _text(o.acronym, o.aliases, Country.name).label("body"),
        sa.literal("").label("ref"),
        sa.func.coalesce(o.acronym, "").label("context"),
    ).outerjoin(Country, Country.id == o.country_id)
    return _only(stmt, o.id, ids)


ORGANISATIONS = register(
    SearchSource(
        kind="organisations",
        label=_l("Organisations"),
        model=Organisation,
        entries=_organisation_entries,
        url=lambda hit: url_for("directory.organisation_detail", organisation_id=hit.object_id),
        watches={Organisation: lambda o: o.id},
    )
)


# ------------------------------------------------------------------------------------------------------- people

def _person_entries(ids: list[int] | None) -> sa.Select:
    """Name, title, aliases and organisation; never the e-mail address, which no public page shows."""
    stmt = sa.select(
        Person.id.label("object_id"),
        Person.name.label("title"),
        _text(Person.honorific, Person.title, Person.aliases, Organisation.name).label("body"),
        sa.literal("").label("ref"),
        _text(Person.title).label("context"),
    ).outerjoin(Organisation, Organisation.id == Person.organisation_id)
    return _only(stmt, Person.id, ids)


PEOPLE = register(
    SearchSource(
        kind="people",
        label=_l("People"),
        model=Person,
        entries=_person_entries,
        url=lambda hit: url_for("directory.person_detail", person_id=hit.object_id),
        watches={Person: lambda p: p.id},
    )
)
