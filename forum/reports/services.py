"""The report of a cycle: sections contributed by the areas, rendered to HTML and then to PDF by WeasyPrint.

An area adds its part of the report by appending a Section to SECTIONS (a title, a template, and a function
that loads what the template needs for one cycle, in a bounded number of queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.orm import joinedload

from forum.core.dates import today
from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.extensions import db
from forum.meetings import services as meetings
from forum.outcomes import services as outcomes
from forum.outcomes.models import Outcome
from forum.papers.models import DocumentState, SessionDocument
from forum.partnerships import services as partnerships
from forum.partnerships.models import PartnershipProject
from forum.roundtables import services as roundtables
from forum.roundtables.models import RoundtableSession, TeamStatus
from forum.structure import services as structure
from forum.structure.models import ForumCycle

#: the reports are public documents: each area is asked for what an anonymous reader may see
PUBLIC = None


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    template: str
    load: Callable[[ForumCycle], dict[str, Any]]


def _the_cycle(cycle: ForumCycle) -> dict[str, Any]:
    return {"troika": structure.troika_of(cycle), "holders": structure.office_holders(cycle)}


def _the_bodies(cycle: ForumCycle) -> dict[str, Any]:
    day = cycle.summit_starts_on or cycle.ends_on
    bodies = [b for b in structure.bodies_overview() if b.cycle_id in (None, cycle.id)]
    members = structure.members_of_bodies_on(bodies, day)
    return {"day": day, "bodies": [(b, members.get(b.id, [])) for b in bodies if members.get(b.id)]}


def _the_programme(cycle: ForumCycle) -> dict[str, Any]:
    return {"days": meetings.programme(cycle)}


def _published_papers(session_ids: list[int]) -> dict[int, list[SessionDocument]]:
    papers: dict[int, list[SessionDocument]] = {}
    for paper in db.session.scalars(
        sa.select(SessionDocument)
        .where(SessionDocument.session_id.in_(session_ids), SessionDocument.state == DocumentState.PUBLISHED)
        .options(joinedload(SessionDocument.author_country), joinedload(SessionDocument.author_person))
        .order_by(sa.func.coalesce(SessionDocument.translation_of_id, SessionDocument.id), SessionDocument.id)
    ):
        papers.setdefault(paper.session_id, []).append(paper)
    return papers


def _by_session(items: list[Outcome]) -> dict[int, list[Outcome]]:
    grouped: dict[int, list[Outcome]] = {}
    for outcome in items:
        if outcome.session_id is not None:
            grouped.setdefault(outcome.session_id, []).append(outcome)
    return grouped


def _session_parts(session: RoundtableSession, roles: list, papers: dict, outcome_map: dict) -> dict[str, Any]:
    """What the report prints of one session: its roles, its team, its published papers and outcomes."""
    return {
        "session": session,
        "roles": [r for r in roles if r.session_id == session.id],
        "team": [m for m in session.team if m.status == TeamStatus.ACCEPTED],
        "papers": papers.get(session.id, []),
        "outcomes": outcome_map.get(session.id, []),
    }


def _the_roundtables(cycle: ForumCycle) -> dict[str, Any]:
    rts = roundtables.cycle_roundtables(cycle)
    session_ids = [s.id for rt in rts for s in rt.sessions]
    papers = _published_papers(session_ids)
    outcome_map = _by_session(outcomes.cycle_outcome_list(PUBLIC, cycle))
    return {
        "roundtables": [
            (rt, [r for r in rt.roles if r.session_id is None],
             [_session_parts(s, rt.roles, papers, outcome_map) for s in rt.sessions])
            for rt in rts
        ]
    }


def _the_follow_up(cycle: ForumCycle) -> dict[str, Any]:
    filters = outcomes.FollowUpFilters(cycle_id=cycle.id)
    return {
        "summary": outcomes.review_summary(PUBLIC, filters),
        "actions": outcomes.follow_up_rows(PUBLIC, filters),
        "today": today(),
    }


def _the_partnerships(cycle: ForumCycle) -> dict[str, Any]:
    stmt = partnerships.catalogue_statement(partnerships.CatalogueFilters()).options(*partnerships.catalogue_options())
    return {"projects": list(db.session.scalars(stmt.where(PartnershipProject.cycle_id == cycle.id)).unique())}


SECTIONS: list[Section] = [
    Section("cycle", _l("The cycle"), "reports/_cycle.html", _the_cycle),
    Section("bodies", _l("The bodies and their members"), "reports/_bodies.html", _the_bodies),
    Section("programme", _l("The programme of the summit"), "reports/_programme.html", _the_programme),
    Section("roundtables", _l("Roundtables and sessions"), "reports/_roundtables.html", _the_roundtables),
    Section("follow-up", _l("Outcomes and their follow-up"), "reports/_follow_up.html", _the_follow_up),
    Section("partnerships", _l("Platform for Partnerships"), "reports/_partnerships.html", _the_partnerships),
]
FOLLOW_UP = next(section for section in SECTIONS if section.key == "follow-up")


def _document(cycle: ForumCycle, title: str, subtitle: str, sections: list[tuple[Section, dict]]) -> str:
    return render_template("reports/cycle.html", cycle=cycle, title=title, subtitle=subtitle, sections=sections)


def cycle_report_html(cycle: ForumCycle) -> str:
    return _document(
        cycle,
        _("GFMD %(year)s — report of proceedings", year=cycle.year),
        _("Report of proceedings of the %(year)s cycle, chaired by %(country)s", year=cycle.year,
          country=cycle.chair_country.name),
        [(section, section.load(cycle)) for section in SECTIONS],
    )


def follow_up_report_html(cycle: ForumCycle) -> str:
    return _document(
        cycle,
        _("GFMD %(year)s — follow-up report", year=cycle.year),
        _("The follow-up of the outcomes of the %(year)s cycle, as of %(day)s", year=cycle.year,
          day=today().isoformat()),
        [(FOLLOW_UP, FOLLOW_UP.load(cycle))],
    )


def session_brief_html(session: RoundtableSession) -> str:
    """One session's brief: its roles, team, papers and outcomes with their follow-up. `session` comes from
    session_by_reference, which loads its roles and team."""
    cycle = session.roundtable.cycle
    listed = outcomes.session_outcomes(PUBLIC, session, with_addressees=True)
    parts = _session_parts(session, session.roles, _published_papers([session.id]), _by_session(listed))
    brief = Section(
        "session",
        session.title,
        "reports/_session_brief.html",
        lambda _cycle: {**parts, "rollups": outcomes.outcome_rollups(listed)},
    )
    return _document(
        cycle,
        _("%(ref)s — session brief", ref=session.reference),
        _("Roundtable %(rt)s, session %(code)s: %(title)s", rt=session.roundtable.number, code=session.code,
          title=session.title),
        [(brief, brief.load(cycle))],
    )


STATIC_PREFIX = "file:///static/"


def _static_file(url: str) -> Path:
    """The static file a report URL names; anything else (the network, other files) is refused."""
    static = Path(current_app.static_folder).resolve()
    if not url.startswith(STATIC_PREFIX):
        raise ValueError(f"the report may not fetch {url}")
    path = (static / url.removeprefix(STATIC_PREFIX).split("?")[0]).resolve()
    if static not in path.parents or not path.is_file():
        raise ValueError(f"the report may not fetch {url}")
    return path


def render_document(html: str):
    """The laid-out report (WeasyPrint's Document); its stylesheet and images come from the static folder only."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_file(url)
            content_type = "text/css" if path.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyFetcher()).render()


def render_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()
