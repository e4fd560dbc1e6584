"""Read-only views across the Platform for Partnerships: a government's matching page and the Support Unit's
dashboard. Every query is bounded (a LIMIT or a GROUP BY over a fixed taxonomy), so both pages cost the same
number of queries at 20 projects and at 2,000."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from forum.core.dates import today, utcnow
from forum.core.i18n import lazy_gettext as _l
from forum.core.permissions import Action, principal_of, require
from forum.core.themes import THEMES
from forum.directory.models import Country, Organisation
from forum.extensions import db
from forum.partnerships.models import (
    OfferState,
    PartnershipProject,
    ProjectOffer,
    ProjectPartner,
    ProjectProposer,
    ProjectStage,
    ProjectState,
    ProjectTheme,
)
from forum.partnerships.services import REPORT_DUE_WINDOW_DAYS, Party, _tokens, own_governments

#: how many of each list the matching page shows, and how many candidates it compares
MATCHES_SHOWN = 10
MATCH_CANDIDATES = 500
#: shared words count for less than a shared theme, and only up to a point
WORDS_COUNTED = 5


def _published():
    return sa.and_(PartnershipProject.state == ProjectState.ACCEPTED, PartnershipProject.published_at.is_not(None))


def _published_ids():
    return sa.select(PartnershipProject.id).where(_published())


# ---------------------------------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class ProjectMatch:
    project: PartnershipProject
    score: int
    themes: list[str]
    words: list[str]


@dataclass(frozen=True)
class PartyMatch:
    party: Party
    score: int
    themes: list[str]
    words: list[str]


@dataclass
class Matching:
    governments: list[Country]
    our_projects: int
    themes: list[str]
    projects: list[ProjectMatch] = field(default_factory=list)
    partners: list[PartyMatch] = field(default_factory=list)


def _words(*texts: str) -> frozenset[str]:
    return _tokens(" ".join(t for t in texts if t))


def _score(shared_themes: set[str], shared_words: set[str]) -> int:
    return 2 * len(shared_themes) + min(len(shared_words), WORDS_COUNTED)


def matching(actor: Any) -> Matching:
    """For a focal point's governments: published projects that need what they offer, and governments and
    organisations that offer what their own projects need, ranked by shared themes first, then shared words."""
    require(actor, Action.PFP_MATCH_VIEW)
    focal = principal_of(actor).focal_country_ids
    ours = list(
        db.session.scalars(
            sa.select(PartnershipProject)
            .options(selectinload(PartnershipProject.themes))
            .where(
                PartnershipProject.id.in_(
                    sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id.in_(focal))
                ),
                PartnershipProject.state != ProjectState.DECLINED,
            )
            .order_by(PartnershipProject.id.desc())
            .limit(100)
        )
    )
    our_themes = {code for p in ours for code in p.theme_codes}
    offered_by_us = db.session.scalars(
        sa.select(ProjectOffer.what)
        .where(ProjectOffer.country_id.in_(focal))
        .order_by(ProjectOffer.id.desc())
        .limit(100)
    ).all()
    our_offers = _words(*(p.offers for p in ours), *offered_by_us)
    our_needs = _words(*(f"{p.needs_partners} {p.needs_expertise} {p.needs_funding}" for p in ours))
    result = Matching(
        governments=own_governments(actor),
        our_projects=len(ours),
        themes=[str(THEMES[c]) for c in sorted(our_themes, key=lambda c: int(c[1:]))],
    )
    result.projects = _projects_needing(focal, our_themes, our_offers)
    result.partners = _partners_offering(focal, our_themes, our_needs)
    return result


def _projects_needing(focal: frozenset[int], our_themes: set[str], our_offers: frozenset[str]) -> list[ProjectMatch]:
    not_ours = PartnershipProject.id.not_in(
        sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id.in_(focal))
    )
    newest = (
        sa.select(PartnershipProject.id)
        .where(_published(), not_ours)
        .order_by(PartnershipProject.published_at.desc(), PartnershipProject.id.desc())
        .limit(MATCH_CANDIDATES)
        .subquery()
    )
    needs: dict[int, str] = {}
    themes: dict[int, set[str]] = {}
    for project_id, text, code in db.session.execute(
        sa.select(
            PartnershipProject.id,
            sa.func.substr(PartnershipProject.needs_partners + " " + PartnershipProject.needs_expertise, 1, 2000),
            ProjectTheme.code,
        )
        .join(newest, newest.c.id == PartnershipProject.id)
        .outerjoin(ProjectTheme, ProjectTheme.project_id == PartnershipProject.id)
    ):
        needs[project_id] = text or ""
        if code:
            themes.setdefault(project_id, set()).add(code)
    scored = []
    for project_id, text in needs.items():
        shared_themes = themes.get(project_id, set()) & our_themes
        shared_words = set(_words(text) & our_offers)
        score = _score(shared_themes, shared_words)
        if score:
            scored.append((score, project_id, shared_themes, shared_words))
    if not scored:
        return []
    scored.sort(key=lambda s: (-s[0], -s[1]))
    top = scored[:MATCHES_SHOWN]
    loaded = {
        p.id: p
        for p in db.session.scalars(
            sa.select(PartnershipProject)
            .options(selectinload(PartnershipProject.proposers).joinedload(ProjectProposer.country))
            .where(PartnershipProject.id.in_([t[1] for t in top]))
        )
    }
    return [
        ProjectMatch(loaded[pid], score, [str(THEMES[c]) for c in sorted(st)], sorted(sw)) for score, pid, st, sw in top
    ]


def _no_organisation() -> sa.Label:
    """The organisation column of a government's row in a UNION with organisations' rows: typed, as PostgreSQL
    needs it to be."""
    return sa.cast(sa.null(), sa.Integer).label("organisation_id")


def _partners_offering(focal: frozenset[int], our_themes: set[str], our_needs: frozenset[str]) -> list[PartyMatch]:
    """Governments and organisations in published projects on our themes, and what they say they offer (their
    projects' offers and the offers they made), against what our projects need."""
    themed = sa.select(ProjectTheme.project_id, ProjectTheme.code).where(
        ProjectTheme.code.in_(our_themes or {""}), ProjectTheme.project_id.in_(_published_ids())
    )
    themed = themed.subquery()
    party_themes: dict[tuple[int | None, int | None], set[str]] = {}
    proposing = (
        sa.select(ProjectProposer.country_id, _no_organisation(), themed.c.code)
        .join(themed, themed.c.project_id == ProjectProposer.project_id)
        .where(ProjectProposer.country_id.not_in(focal))
    )
    partnering = (
        sa.select(ProjectPartner.country_id, ProjectPartner.organisation_id, themed.c.code)
        .join(themed, themed.c.project_id == ProjectPartner.project_id)
        .where(sa.or_(ProjectPartner.country_id.is_(None), ProjectPartner.country_id.not_in(focal)))
    )
    for country_id, organisation_id, code in db.session.execute(
        sa.union(proposing, partnering).limit(MATCH_CANDIDATES)
    ):
        party_themes.setdefault((country_id, organisation_id), set()).add(code)
    party_words: dict[tuple[int | None, int | None], set[str]] = {}
    offered = (
        sa.select(ProjectOffer.country_id, ProjectOffer.organisation_id, ProjectOffer.what.label("text"))
        .where(ProjectOffer.state != OfferState.DECLINED)
        .where(sa.or_(ProjectOffer.country_id.is_(None), ProjectOffer.country_id.not_in(focal)))
        .order_by(ProjectOffer.id.desc())
        .limit(MATCH_CANDIDATES)
        .subquery()
    )
    project_offers = (
        sa.select(ProjectProposer.country_id, _no_organisation(), PartnershipProject.offers)
        .join(PartnershipProject, PartnershipProject.id == ProjectProposer.project_id)
        .where(_published(), PartnershipProject.offers != "", ProjectProposer.country_id.not_in(focal))
        .order_by(PartnershipProject.id.desc())
        .limit(MATCH_CANDIDATES)
        .subquery()
    )
    for country_id, organisation_id, text in db.session.execute(
        sa.union_all(sa.select(offered), sa.select(project_offers))
    ):
        party_words.setdefault((country_id, organisation_id), set()).update(_words(text) & our_needs)
    scored = []
    for key in set(party_themes) | set(party_words):
        shared_themes, shared_words = party_themes.get(key, set()), party_words.get(key, set())
        score = _score(shared_themes, shared_words)
        if score:
            scored.append((score, key, shared_themes, shared_words))
    scored.sort(key=lambda s: (-s[0], s[1][0] or 0, s[1][1] or 0))
    top = scored[:MATCHES_SHOWN]
    country_ids, organisation_ids = [k[0] for _, k, _, _ in top if k[0]], [k[1] for _, k, _, _ in top if k[1]]
    countries = dict(db.session.execute(sa.select(Country.id, Country.name).where(Country.id.in_(country_ids))).all())
    organisations = {}
    if organisation_ids:
        organisations = dict(
            db.session.execute(
                sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
            ).all()
        )
    return [
        PartyMatch(
            Party(cid, oid, countries.get(cid, "") if cid else organisations.get(oid, "")),
            score,
            [str(THEMES[c]) for c in sorted(st)],
            sorted(sw),
        )
        for score, (cid, oid), st, sw in top
    ]


# ---------------------------------------------------------------------------------------------------- dashboard

AGE_BUCKETS = [(7, _l("up to a week")), (30, _l("8 to 30 days")), (90, _l("31 to 90 days")), (None, _l("over 90 days"))]


@dataclass
class Dashboard:
    by_state: list[tuple[ProjectState, int]]
    by_stage: list[tuple[ProjectStage | None, int]]
    by_theme: list[tuple[str, int]]
    #: "screening" / "review" -> counts per AGE_BUCKETS entry
    ageing: dict[str, list[int]]
    late: list[PartnershipProject]
    due: list[PartnershipProject]
    late_total: int
    due_total: int
    pending_offers: int


def _ageing(since: Any, states: tuple[ProjectState, ...]) -> list[int]:
    """How many projects in these states have waited how long since `since`, counted in one query."""
    now = utcnow()
    bounds = [now - timedelta(days=days) if days is not None else None for days, _label in AGE_BUCKETS]
    columns = []
    newer = None
    for bound in bounds:
        condition = since >= bound if bound is not None else sa.true()
        if newer is not None:
            condition = sa.and_(condition, since < newer)
        columns.append(sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0))
        newer = bound
    row = db.session.execute(sa.select(*columns).where(PartnershipProject.state.in_(states), since.is_not(None))).one()
    return [int(v) for v in row]


REPORTS_LISTED = 50


def _reports_late_and_due() -> tuple[list[PartnershipProject], list[PartnershipProject], int, int]:
    """Projects whose report is late, and those whose report falls due within the window: the first of each
    (two queries for both lists) and how many there are (one)."""
    day = today()
    due_on = PartnershipProject.next_report_due_on
    owing = sa.and_(_published(), due_on.is_not(None), due_on <= day + timedelta(days=REPORT_DUE_WINDOW_DAYS))
    late_total, due_total = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((due_on < day, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((due_on >= day, 1), else_=0)), 0),
        ).where(owing)
    ).one()
    ranked = (
        sa.select(
            PartnershipProject.id,
            sa.func.row_number()
            .over(partition_by=due_on < day, order_by=(due_on, PartnershipProject.id))
            .label("rank"),
        )
        .where(owing)
        .subquery()
    )
    rows = list(
        db.session.scalars(
            sa.select(PartnershipProject)
            .join(ranked, ranked.c.id == PartnershipProject.id)
            .where(ranked.c.rank <= REPORTS_LISTED)
            .options(selectinload(PartnershipProject.proposers).joinedload(ProjectProposer.country))
            .order_by(due_on, PartnershipProject.id)
        )
    )
    late = [p for p in rows if p.next_report_due_on < day]
    return late, [p for p in rows if p.next_report_due_on >= day], int(late_total), int(due_total)


def dashboard(actor: Any) -> Dashboard:
    """The Support Unit's view of the platform: counts per state, stage and theme, how long submissions have
    waited in screening and review, and which progress reports are late or due."""
    require(actor, Action.PFP_SCREEN)
    by_state = dict(
        db.session.execute(
            sa.select(PartnershipProject.state, sa.func.count()).group_by(PartnershipProject.state)
        ).all()
    )
    by_stage = dict(
        db.session.execute(
            sa.select(PartnershipProject.stage, sa.func.count()).where(_published()).group_by(PartnershipProject.stage)
        ).all()
    )
    by_theme = dict(
        db.session.execute(
            sa.select(ProjectTheme.code, sa.func.count())
            .where(ProjectTheme.project_id.in_(_published_ids()))
            .group_by(ProjectTheme.code)
        ).all()
    )
    late, due, late_total, due_total = _reports_late_and_due()
    return Dashboard(
        by_state=[(s, by_state.get(s, 0)) for s in ProjectState],
        by_stage=[(s, by_stage[s]) for s in [*ProjectStage, None] if by_stage.get(s)],
        by_theme=[(code, by_theme.get(code, 0)) for code in THEMES],
        ageing={
            "screening": _ageing(PartnershipProject.submitted_at, (ProjectState.SUBMITTED, ProjectState.IN_SCREENING)),
            "review": _ageing(PartnershipProject.routed_at, (ProjectState.UNDER_REVIEW, ProjectState.DECIDED)),
        },
        late=late,
        due=due,
        late_total=late_total,
        due_total=due_total,
        pending_offers=db.session.scalar(
            sa.select(sa.func.count(ProjectOffer.id)).where(ProjectOffer.state == OfferState.PENDING)
        )
        or 0,
    )
