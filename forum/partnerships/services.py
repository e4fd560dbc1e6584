"""Platform for Partnerships services: drafting, submission, screening, review, decision and publication.

Governments propose; the Support Unit screens and routes but never selects; the reviewing body (a working group,
the Steering Group or the Chair-in-Office) decides; the decision stays internal until the Support Unit publishes
it, and only then are the proposing governments' focal points told.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pycountry
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.core import cache
from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.dates import today, utcnow
from forum.core.errors import InvalidTransition, NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.i18n import lazy_gettext as _l
from forum.core.outbox import queue_mail
from forum.core.pagination import Page, page_of, paginate
from forum.core.permissions import SYSTEM, Action, principal_of, require
from forum.core.statements import among, built_once
from forum.core.themes import THEMES
from forum.core.workflow import Transition, Workflow
from forum.directory.models import Country, Organisation, User
from forum.extensions import db
from forum.partnerships import rules
from forum.partnerships.models import (
    DECISION_LABELS,
    EDITABLE_STATES,
    OFFER_KIND_LABELS,
    PARTNER_ROLE_LABELS,
    STAGE_LABELS,
    DecisionOutcome,
    EventKind,
    OfferKind,
    OfferState,
    PartnerRole,
    PartnershipProject,
    ProgressReport,
    ProjectAttachment,
    ProjectEvent,
    ProjectOffer,
    ProjectPartner,
    ProjectProposer,
    ProjectStage,
    ProjectState,
    ProjectTheme,
    Recommendation,
    project_reference,
)
from forum.roundtables.services import EVIDENCE_TYPES, Upload, save_upload, upload_folder
from forum.search.services import matching_ids, terms_of
from forum.structure.models import Body, BodyKind, MemberKind, Membership, MembershipRole

S = ProjectState

PROJECT_WORKFLOW = Workflow(
    state_field="state",
    transitions={
        "submit": Transition(
            "submit", frozenset(EDITABLE_STATES), S.SUBMITTED, Action.PFP_PROJECT_SUBMIT, _l("submit")
        ),
        "screen": Transition(
            "screen", frozenset({S.SUBMITTED}), S.IN_SCREENING, Action.PFP_SCREEN, _l("start screening")
        ),
        "return": Transition(
            "return",
            frozenset({S.SUBMITTED, S.IN_SCREENING}),
            S.RETURNED,
            Action.PFP_SCREEN,
            _l("return to the proposers"),
        ),
        "route": Transition(
            "route",
            frozenset({S.SUBMITTED, S.IN_SCREENING}),
            S.UNDER_REVIEW,
            Action.PFP_SCREEN,
            _l("route to a reviewing body"),
        ),
        "decide": Transition("decide", frozenset({S.UNDER_REVIEW}), S.DECIDED, Action.PFP_DECIDE, _l("decide")),
        "publish_accepted": Transition(
            "publish_accepted", frozenset({S.DECIDED}), S.ACCEPTED, Action.PFP_PUBLISH, _l("publish")
        ),
        "publish_changes_requested": Transition(
            "publish_changes_requested", frozenset({S.DECIDED}), S.CHANGES_REQUESTED, Action.PFP_PUBLISH, _l("publish")
        ),
        "publish_declined": Transition(
            "publish_declined", frozenset({S.DECIDED}), S.DECLINED, Action.PFP_PUBLISH, _l("publish")
        ),
    },
)

#: the bodies a project may be routed to (seeds/002 L779: the working groups, the Steering Group, the CiO)
REVIEWING_KINDS = (BodyKind.WORKING_GROUP, BodyKind.STEERING_GROUP, BodyKind.CHAIR_OFFICE)

DRAFT_FIELDS = [
    "title",
    "summary",
    "objectives",
    "outcomes_followed",
    "stage",
    "starts_on",
    "ends_on",
    "needs_partners",
    "needs_expertise",
    "needs_funding",
    "funding_amount",
    "funding_currency",
    "offers",
    "contact_name",
    "contact_email",
    "source",
]
#: an indicative amount above this is a typing error, not a project (the PfP funds nothing anyway)
MAX_FUNDING_AMOUNT = 10_000_000_000
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CATALOGUE_PER_PAGE = 20


def _event(
    actor: Any,
    project: PartnershipProject,
    kind: EventKind,
    *,
    state_from: ProjectState | None = None,
    state_to: ProjectState | None = None,
    text: str = "",
    internal: bool = False,
    recommendation: Recommendation | None = None,
) -> ProjectEvent:
    event = ProjectEvent(
        project_id=project.id,
        actor_id=getattr(actor, "id", None),
        actor_label=_actor_label(actor),
        kind=kind,
        state_from=state_from,
        state_to=state_to,
        text=text,
        is_internal=internal,
        recommendation=recommendation,
    )
    db.session.add(event)
    return event


def _actor_label(actor: Any) -> str:
    if actor is SYSTEM or actor is None:
        return "system"
    person = getattr(actor, "person", None)
    return person.name if person is not None else str(actor)


def _fire(actor: Any, project: PartnershipProject, name: str, *, text: str = "", internal: bool = False) -> None:
    before = project.state
    if actor is not SYSTEM and not rules.may_view(principal_of(actor), project):
        raise NotFound()  # whoever may not see the project may not learn it exists by acting on it
    PROJECT_WORKFLOW.fire(actor, project, name, comment=text)
    _event(
        actor, project, EventKind.TRANSITION, state_from=before, state_to=project.state, text=text, internal=internal
    )


# ---------------------------------------------------------------------------------------------------- drafting


def _amount_errors(amount: int | None, currency: str | None, amount_field: str, currency_field: str) -> dict:
    """An indicative amount: above zero, not absurd, in a real ISO 4217 currency."""
    errors: dict[str, str] = {}
    if amount is not None and not 0 < amount <= MAX_FUNDING_AMOUNT:
        errors[amount_field] = _("Give an indicative amount above zero and below ten billion.")
    if currency and pycountry.currencies.get(alpha_3=currency.upper()) is None:
        errors[currency_field] = _("Unknown currency code %(code)s; use ISO 4217, e.g. USD, EUR, CHF.", code=currency)
    if amount is not None and not currency:
        errors[currency_field] = _("Say in which currency the amount is.")
    return errors


def _validate_values(values: dict[str, Any], theme_codes: list[str], co_proposer_ids: list[int], lead_id: int) -> None:
    """What is wrong even in a draft: values that cannot be right whatever else is filled in."""
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("A draft needs at least a title.")
    errors |= _amount_errors(
        values.get("funding_amount"), values.get("funding_currency"), "funding_amount", "funding_currency"
    )
    if values.get("starts_on") and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The project cannot end before it starts.")
    email = values.get("contact_email")
    if email and not EMAIL.match(email):
        errors["contact_email"] = _("This is not an e-mail address.")
    unknown = [c for c in theme_codes if c not in THEMES]
    if unknown:
        errors["themes"] = _("Unknown theme: %(codes)s.", codes=", ".join(unknown))
    if co_proposer_ids:
        found = set(db.session.scalars(sa.select(Country.id).where(Country.id.in_(co_proposer_ids))))
        if found != set(co_proposer_ids):
            errors["co_proposer_ids"] = _("A co-proposer must be a government in the directory.")
        elif lead_id in found:
            errors["co_proposer_ids"] = _("Your own government is already the lead proposer.")
    if errors:
        raise ValidationFailed(errors)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: values.get(k) for k in DRAFT_FIELDS if k in values}
    for key, value in cleaned.items():
        if isinstance(value, str):
            cleaned[key] = value.strip()
    if cleaned.get("funding_currency"):
        cleaned["funding_currency"] = cleaned["funding_currency"].upper()
    else:
        cleaned["funding_currency"] = None
    return cleaned


def create_project(
    actor: Any,
    *,
    lead_country_id: int,
    theme_codes: list[str] | None = None,
    co_proposer_ids: list[int] | None = None,
    cycle_id: int | None = None,
    **values: Any,
) -> PartnershipProject:
    """A focal point starts a draft for its own government; co-proposers are asked to confirm."""
    lead = db.session.get(Country, lead_country_id)
    if lead is None:
        raise ValidationFailed({"lead_country_id": _("Unknown government.")})
    require(actor, Action.PFP_PROJECT_CREATE, lead)
    theme_codes, co_proposer_ids = list(dict.fromkeys(theme_codes or [])), list(dict.fromkeys(co_proposer_ids or []))
    values = _clean(values)
    _validate_values(values, theme_codes, co_proposer_ids, lead.id)
    project = PartnershipProject(
        lead_country_id=lead.id, cycle_id=cycle_id, created_by_id=getattr(actor, "id", None), **values
    )
    project.proposers.append(ProjectProposer(country_id=lead.id, is_lead=True, confirmed_at=utcnow()))
    project.proposers.extend(ProjectProposer(country_id=cid) for cid in co_proposer_ids)
    project.themes.extend(ProjectTheme(code=code) for code in theme_codes)
    db.session.add(project)
    db.session.flush()
    record(actor, AuditVerb.CREATE, project, snapshot(project, ["title", "lead_country_id", "state"]))
    _event(actor, project, EventKind.CREATED, state_to=project.state)
    db.session.commit()
    return project


def update_project(
    actor: Any,
    project: PartnershipProject,
    *,
    version_id: int | None,
    theme_codes: list[str] | None = None,
    co_proposer_ids: list[int] | None = None,
    **values: Any,
) -> PartnershipProject:
    """Save the draft as it stands; completeness is checked on submission, not here."""
    require(actor, Action.PFP_PROJECT_EDIT, project, hide=not rules.may_view(principal_of(actor), project))
    project.check_version(version_id)
    theme_codes, co_proposer_ids = list(dict.fromkeys(theme_codes or [])), list(dict.fromkeys(co_proposer_ids or []))
    values = _clean(values)
    _validate_values(values, theme_codes, co_proposer_ids, project.lead_country_id)
    changes = apply_changes(project, values)
    if sorted(theme_codes) != sorted(project.theme_codes):
        changes["themes"] = [project.theme_codes, sorted(theme_codes)]
        keep = set(theme_codes)
        project.themes[:] = [t for t in project.themes if t.code in keep]
        present = set(project.theme_codes)
        project.themes.extend(ProjectTheme(code=c) for c in theme_codes if c not in present)
    wanted = set(co_proposer_ids)
    current = {p.country_id for p in project.proposers if not p.is_lead}
    if wanted != current:
        changes["co_proposers"] = [sorted(current), sorted(wanted)]
        project.proposers[:] = [p for p in project.proposers if p.is_lead or p.country_id in wanted]
        project.proposers.extend(ProjectProposer(country_id=cid) for cid in co_proposer_ids if cid not in current)
    if changes:
        record(actor, AuditVerb.UPDATE, project, changes)
    db.session.commit()
    return project


def confirm_co_proposal(actor: Any, project: PartnershipProject) -> list[str]:
    """A co-proposing government's focal point confirms that its government proposes the project too."""
    require(actor, Action.PFP_PROJECT_CONFIRM, project, hide=not rules.may_view(principal_of(actor), project))
    focal = principal_of(actor).focal_country_ids
    confirmed = []
    for proposer in project.proposers:
        if proposer.confirmed_at is None and (actor is SYSTEM or proposer.country_id in focal):
            proposer.confirmed_at = utcnow()
            confirmed.append(proposer.country.name)
    record(actor, AuditVerb.UPDATE, project, {"confirmed_by": [None, confirmed]})
    _event(actor, project, EventKind.CONFIRMED, text=", ".join(confirmed))
    db.session.commit()
    return confirmed


def add_partner(
    actor: Any,
    project: PartnershipProject,
    *,
    role: PartnerRole,
    country_id: int | None = None,
    organisation_id: int | None = None,
) -> ProjectPartner:
    """A government or organisation already on board, with its role."""
    require(actor, Action.PFP_PROJECT_EDIT, project, hide=not rules.may_view(principal_of(actor), project))
    if (country_id is None) == (organisation_id is None):
        raise ValidationFailed({"": _("Choose either a government or an organisation.")})
    if country_id is not None and db.session.get(Country, country_id) is None:
        raise ValidationFailed({"country_id": _("Unknown government.")})
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise ValidationFailed({"organisation_id": _("Unknown organisation.")})
    if any(
        p.country_id == country_id and p.organisation_id == organisation_id and p.role == role for p in project.partners
    ):
        raise ValidationFailed({"": _("This partner is already listed with this role.")})
    partner = ProjectPartner(country_id=country_id, organisation_id=organisation_id, role=role)
    project.partners.append(partner)
    db.session.flush()
    record(actor, AuditVerb.UPDATE, project, {"partner_added": [None, f"{partner.name} ({role.value})"]})
    db.session.commit()
    return partner


def remove_partner(actor: Any, project: PartnershipProject, partner_id: int) -> None:
    require(actor, Action.PFP_PROJECT_EDIT, project, hide=not rules.may_view(principal_of(actor), project))
    partner = next((p for p in project.partners if p.id == partner_id), None)
    if partner is None:
        raise NotFound()
    record(actor, AuditVerb.UPDATE, project, {"partner_removed": [f"{partner.name} ({partner.role.value})", None]})
    project.partners.remove(partner)
    db.session.commit()


# ---------------------------------------------------------------------------------------------------- submission


def completeness_errors(project: PartnershipProject) -> dict[str, str]:
    """What a submission needs, field by field, in words a focal point can act on."""
    errors: dict[str, str] = {}
    required_text = {
        "summary": _("Describe the project in a summary."),
        "objectives": _("Say what the project sets out to achieve."),
        "contact_name": _("Name a contact person."),
        "contact_email": _("Give the contact person's e-mail address."),
    }
    for attribute, message in required_text.items():
        if not (getattr(project, attribute) or "").strip():
            errors[attribute] = message
    if len(project.summary or "") < 50 and "summary" not in errors:
        errors["summary"] = _("The summary is too short to screen (at least 50 characters).")
    if project.stage is None:
        errors["stage"] = _("Choose the project's stage.")
    if not project.themes:
        errors["themes"] = _("Choose at least one theme.")
    if project.starts_on is None:
        errors["starts_on"] = _("Give the project's time frame (at least when it starts).")
    if not (project.needs_partners or project.needs_expertise or project.needs_funding or project.offers):
        errors["needs_partners"] = _("Say what the project needs (partners, expertise, funding) or what it offers.")
    if project.needs_funding and project.funding_amount is None:
        errors["funding_amount"] = _("Give an indicative amount for the funding sought.")
    pending = [p.country.name for p in project.proposers if not p.is_confirmed]
    if pending:
        errors["co_proposer_ids"] = _(
            "Waiting for these co-proposers to confirm: %(names)s.", names=", ".join(sorted(pending))
        )
    return errors


def submit_project(actor: Any, project: PartnershipProject) -> PartnershipProject:
    """The proposers hand the project to the Support Unit's screening queue."""
    require(actor, Action.PFP_PROJECT_SUBMIT, project, hide=not rules.may_view(principal_of(actor), project))
    errors = completeness_errors(project)
    if errors:
        raise ValidationFailed(errors)
    _fire(actor, project, "submit")
    project.submitted_at = utcnow()
    # a resubmission starts a fresh review: the earlier decision stays in the history only
    project.reviewing_body_id = None
    project.routed_at = None
    project.decision = None
    project.decision_note = ""
    project.decision_record = ""
    project.decided_at = None
    project.decided_by_id = None
    project.published_at = None
    project.next_report_due_on = None
    db.session.commit()
    return project


# ---------------------------------------------------------------------------------------------------- screening


def start_screening(actor: Any, project: PartnershipProject) -> PartnershipProject:
    _fire(actor, project, "screen", internal=True)
    db.session.commit()
    return project


def return_project(actor: Any, project: PartnershipProject, *, comment: str) -> PartnershipProject:
    """Back to the proposers with the Support Unit's comments (which they see)."""
    if not (comment or "").strip():
        raise ValidationFailed({"comment": _("Tell the proposers what to complete or change.")})
    _fire(actor, project, "return", text=comment.strip())
    db.session.commit()
    return project


def reviewing_bodies() -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body)
            .where(Body.kind.in_(REVIEWING_KINDS), Body.dissolved_on.is_(None))
            .order_by(Body.kind, Body.name)
        )
    )


def route_project(actor: Any, project: PartnershipProject, *, body_id: int, note: str = "") -> PartnershipProject:
    """The Support Unit sends the project to the body that will decide on it."""
    require(actor, Action.PFP_SCREEN, project, hide=not rules.may_view(principal_of(actor), project))
    body = db.session.get(Body, body_id)
    if body is None or body.kind not in REVIEWING_KINDS:
        raise ValidationFailed({"body_id": _("Route to a working group, the Steering Group or the Chair-in-Office.")})
    project.reviewing_body_id = body.id
    project.routed_at = utcnow()
    _fire(actor, project, "route", text=note.strip() or _("Routed to %(body)s.", body=body.name), internal=True)
    db.session.commit()
    return project


@dataclass(frozen=True)
class SimilarProject:
    id: int
    title: str
    state: ProjectState
    score: float


_WORD = re.compile(r"[^\W\d_]{3,}|\d{2,}", re.UNICODE)
STOP_WORDS = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "into",
        "that",
        "this",
        "their",
        "they",
        "them",
        "its",
        "are",
        "was",
        "were",
        "will",
        "has",
        "have",
        "been",
        "not",
        "but",
        "all",
        "any",
        "our",
        "your",
        "more",
        "other",
        "through",
        "between",
        "project",
        "projects",
        "migrant",
        "migrants",
        "migration",
    ]
)
#: candidates compared per check; the newest first, so the check stays fast however large the platform grows
SIMILARITY_CANDIDATES = 5000
SIMILARITY_THRESHOLD = 0.2


def _tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_projects(project: PartnershipProject, limit: int = 5) -> list[SimilarProject]:
    """Existing projects whose title and summary share many words with this one (token-set Jaccard).

    One query fetches the candidates' titles and the start of their summaries; the comparison runs in Python.
    """
    title, body = _tokens(project.title), _tokens(f"{project.title} {project.summary}")
    rows = db.session.execute(
        sa.select(
            PartnershipProject.id,
            PartnershipProject.title,
            PartnershipProject.state,
            sa.func.substr(PartnershipProject.summary, 1, 1500),
        )
        .where(PartnershipProject.id != project.id, PartnershipProject.state != ProjectState.DRAFT)
        .order_by(PartnershipProject.id.desc())
        .limit(SIMILARITY_CANDIDATES)
    ).all()
    found = []
    for row_id, row_title, row_state, row_summary in rows:
        other_title = _tokens(row_title)
        score = max(_jaccard(title, other_title), _jaccard(body, other_title | _tokens(row_summary)))
        if score >= SIMILARITY_THRESHOLD:
            found.append(SimilarProject(row_id, row_title, row_state, round(score, 2)))
    found.sort(key=lambda s: (-s.score, s.id))
    return found[:limit]


# ---------------------------------------------------------------------------------------------------- review


def comment_on_review(
    actor: Any, project: PartnershipProject, *, text: str, recommendation: Recommendation | None = None
) -> ProjectEvent:
    """A member of the reviewing body comments and, if they wish, recommends."""
    require(actor, Action.PFP_REVIEW_COMMENT, project, hide=not rules.may_view(principal_of(actor), project))
    if not (text or "").strip():
        raise ValidationFailed({"text": _("Write a comment.")})
    event = _event(actor, project, EventKind.COMMENT, text=text.strip(), internal=True, recommendation=recommendation)
    record(
        actor,
        AuditVerb.UPDATE,
        project,
        {"review_comment": [None, recommendation.value if recommendation else "comment"]},
    )
    db.session.commit()
    return event


def decide_project(
    actor: Any,
    project: PartnershipProject,
    *,
    outcome: DecisionOutcome,
    note: str = "",
    decision_record: str = "",
    report_every_months: int | None = None,
) -> PartnershipProject:
    """The reviewing body decides: its chair, or the Support Unit recording where and when the body decided.

    The decision is internal until the Support Unit publishes it.
    """
    require(actor, Action.PFP_DECIDE, project, hide=not rules.may_view(principal_of(actor), project))
    p = principal_of(actor)
    is_chair = actor is SYSTEM or rules.chairs_body(p, project.reviewing_body_id)
    errors: dict[str, str] = {}
    if not is_chair and not (decision_record or "").strip():
        errors["decision_record"] = _(
            "The Support Unit does not decide: record where and when %(body)s took this decision.",
            body=project.reviewing_body.name,
        )
    if outcome == DecisionOutcome.ACCEPTED:
        if report_every_months is None or not 1 <= report_every_months <= 36:
            errors["report_every_months"] = _("Set how often (1 to 36 months) the project reports on its progress.")
    else:
        report_every_months = None
    if outcome != DecisionOutcome.ACCEPTED and not (note or "").strip():
        errors["note"] = _("Explain the decision to the proposers.")
    if errors:
        raise ValidationFailed(errors)
    project.decision = outcome
    project.decision_note = (note or "").strip()
    project.decision_record = (decision_record or "").strip() if not is_chair else ""
    project.report_every_months = report_every_months
    project.decided_at = utcnow()
    project.decided_by_id = getattr(actor, "id", None)
    text = str(DECISION_LABELS[outcome])
    if project.decision_record:
        text += " — " + _(
            "recorded for %(body)s: %(where)s", body=project.reviewing_body.name, where=project.decision_record
        )
    _fire(actor, project, "decide", text=text, internal=True)
    db.session.commit()
    return project


def publish_decision(actor: Any, project: PartnershipProject) -> PartnershipProject:
    """The Support Unit announces the body's decision; the proposing governments' focal points are told now."""
    if project.decision is None:
        require(actor, Action.PFP_PUBLISH, project, hide=not rules.may_view(principal_of(actor), project))
        raise InvalidTransition(_("There is no decision to publish yet."))
    _fire(actor, project, f"publish_{project.decision.value}", text=project.decision_note)
    project.published_at = utcnow()
    if project.decision == DecisionOutcome.ACCEPTED and project.report_every_months:
        project.next_report_due_on = add_months(today(), project.report_every_months)
    for email in _focal_point_emails(project.proposer_country_ids):
        queue_mail(
            email,
            "pfp_decision_published",
            project=project,
            outcome=DECISION_LABELS[project.decision],
            body=project.reviewing_body,
        )
    db.session.commit()
    return project


def _organisation_emails(organisation_id: int | None) -> list[str]:
    """Accounts acting for this organisation."""
    if organisation_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(User.email)
            .where(User.acts_for_organisation_id == organisation_id, User.is_active.is_(True))
            .order_by(User.email)
        )
    )


def _focal_point_emails(country_ids: frozenset[int]) -> list[str]:
    """Accounts of the people who are focal point today for one of these governments."""
    if not country_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User.email)
            .join(Membership, Membership.person_id == User.person_id)
            .where(
                Membership.member_kind == MemberKind.PERSON,
                Membership.role == MembershipRole.FOCAL_POINT,
                Membership.on_behalf_of_country_id.in_(country_ids),
                Membership.active_on(today()),
                User.is_active.is_(True),
            )
            .distinct()
            .order_by(User.email)
        )
    )


# ---------------------------------------------------------------------------------------------------- reading


def _detail_options():
    """What a project's page shows: what the catalogue loads, and its review body, cycle, reports and files."""
    return (
        *catalogue_options(),
        joinedload(PartnershipProject.reviewing_body),
        joinedload(PartnershipProject.cycle),
        selectinload(PartnershipProject.reports),
        selectinload(PartnershipProject.attachments),
    )


@built_once
def _project_detail() -> sa.Select:
    return (
        sa.select(PartnershipProject)
        .options(*_detail_options())
        .where(PartnershipProject.id == sa.bindparam("project_id", type_=sa.Integer))
    )


def project_detail(actor: Any, project_id: int) -> PartnershipProject:
    """One project with what its page shows; 404 where the actor may not know it exists (another's draft)."""
    project = db.session.scalar(_project_detail(), {"project_id": project_id})
    if project is None:
        raise NotFound()
    require(actor, Action.PFP_PROJECT_VIEW, project, hide=True)
    return project


def history(actor: Any, project: PartnershipProject) -> list[ProjectEvent]:
    """The project's steps; internal ones (screening, review, an unpublished decision) only for who may see them."""
    stmt = sa.select(ProjectEvent).where(ProjectEvent.project_id == project.id).order_by(ProjectEvent.id)
    p = principal_of(actor)
    if actor is not SYSTEM and not rules.may_see_review(p, project):
        stmt = stmt.where(ProjectEvent.is_internal.is_(False))
        if not rules.is_proposer(p, project):
            return []
    return list(db.session.scalars(stmt))


def shown_state(actor: Any, project: PartnershipProject) -> ProjectState:
    """The state as this actor may know it: to anyone who may not see the review, a decided project is still
    under review until the decision is published."""
    if project.state == ProjectState.DECIDED and not rules.may_see_review(principal_of(actor), project):
        return ProjectState.UNDER_REVIEW
    return project.state


@dataclass(frozen=True)
class CatalogueFilters:
    theme: str | None = None
    stage: ProjectStage | None = None
    country_id: int | None = None
    organisation_id: int | None = None
    need: str | None = None
    q: str = ""

    def as_args(self) -> dict[str, Any]:
        """The query-string arguments that select the same projects (for links to the exports)."""
        args = {
            "theme": self.theme,
            "stage": self.stage.value if self.stage else None,
            "country": self.country_id,
            "organisation": self.organisation_id,
            "need": self.need,
            "q": self.q or None,
        }
        return {k: v for k, v in args.items() if v is not None}


NEEDS = {"partners": _l("Partners"), "expertise": _l("Expertise"), "funding": _l("Funding")}


def catalogue_options():
    return (
        joinedload(PartnershipProject.lead_country),
        # a project has a few proposers and themes: joined to its row they cost no query of their own
        joinedload(PartnershipProject.proposers).joinedload(ProjectProposer.country),
        joinedload(PartnershipProject.themes),
        selectinload(PartnershipProject.partners).joinedload(ProjectPartner.country),
        selectinload(PartnershipProject.partners).joinedload(ProjectPartner.organisation),
    )


def catalogue_statement(filters: CatalogueFilters) -> sa.Select:
    """Published, accepted projects, filtered and searched, newest first: the catalogue's pages and its exports."""
    stmt = (
        sa.select(PartnershipProject)
        .where(PartnershipProject.state == ProjectState.ACCEPTED, PartnershipProject.published_at.is_not(None))
        .order_by(PartnershipProject.published_at.desc(), PartnershipProject.id.desc())
    )
    if filters.theme:
        stmt = stmt.where(
            PartnershipProject.id.in_(sa.select(ProjectTheme.project_id).where(ProjectTheme.code == filters.theme))
        )
    if filters.stage:
        stmt = stmt.where(PartnershipProject.stage == filters.stage)
    if filters.country_id:
        stmt = stmt.where(
            sa.or_(
                PartnershipProject.id.in_(
                    sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id == filters.country_id)
                ),
                PartnershipProject.id.in_(
                    sa.select(ProjectPartner.project_id).where(ProjectPartner.country_id == filters.country_id)
                ),
            )
        )
    if filters.organisation_id:
        stmt = stmt.where(
            PartnershipProject.id.in_(
                sa.select(ProjectPartner.project_id).where(ProjectPartner.organisation_id == filters.organisation_id)
            )
        )
    if filters.need == "partners":
        stmt = stmt.where(PartnershipProject.needs_partners != "")
    elif filters.need == "expertise":
        stmt = stmt.where(PartnershipProject.needs_expertise != "")
    elif filters.need == "funding":
        stmt = stmt.where(
            sa.or_(PartnershipProject.needs_funding != "", PartnershipProject.funding_amount.is_not(None))
        )
    terms = terms_of(filters.q)
    if terms:
        # the search index (full text on PostgreSQL, FTS5 on SQLite), as the search box reads it: every word
        # must appear in the project's title or text
        stmt = stmt.where(PartnershipProject.id.in_(matching_ids("projects", terms)))
    return stmt


def catalogue(filters: CatalogueFilters, page: int = 1) -> Page:
    """The catalogue a page at a time, as projects with their proposers, themes and partners (the API's)."""
    return paginate(catalogue_statement(filters).options(*catalogue_options()), page, CATALOGUE_PER_PAGE)


class ProposerName(NamedTuple):
    name: str
    is_confirmed: bool


class ThemeTag(NamedTuple):
    code: str


class PartnerName(NamedTuple):
    name: str
    role: PartnerRole


@dataclass(slots=True)
class CatalogueCard:
    """A project as its card in the catalogue shows it, read as plain columns: a page of twenty cards costs a
    fraction of the projects, proposers, themes and partners as ORM objects."""

    id: int
    title: str
    summary: str
    stage: ProjectStage | None
    proposers: list[ProposerName] = field(default_factory=list)
    themes: list[ThemeTag] = field(default_factory=list)
    partners: list[PartnerName] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return project_reference(self.id)


def _catalogue_cards(ids: list[int]) -> list[CatalogueCard]:
    """The cards of these projects, in this order, in two queries: the projects, then their proposers, themes and
    partners in one union (a row each: what it is, its project, its name, a detail, its place in the list)."""
    cards = {project_id: CatalogueCard(project_id, "", "", None) for project_id in ids}
    if not cards:
        return []
    projects, related = _card_statements()
    for project_id, *shown in db.session.execute(projects, {"ids": ids}):
        cards[project_id].title, cards[project_id].summary, cards[project_id].stage = shown
    # proposers and partners in the order they were added, themes by code
    for kind, project_id, name, detail, _position in db.session.execute(related, {"ids": ids}):
        card = cards[project_id]
        if kind == "proposer":
            card.proposers.append(ProposerName(name, detail == "confirmed"))
        elif kind == "theme":
            card.themes.append(ThemeTag(name))
        else:
            card.partners.append(PartnerName(name, PartnerRole(detail)))
    return list(cards.values())


@built_once
def _card_statements() -> tuple[sa.Select, sa.CompoundSelect]:
    """The projects whose ids are the `ids` parameter, then their proposers, themes and partners in one union."""
    projects = sa.select(
        PartnershipProject.id, PartnershipProject.title, PartnershipProject.summary, PartnershipProject.stage
    ).where(among(PartnershipProject.id, name="ids"))
    confirmed = sa.case((ProjectProposer.confirmed_at.is_(None), ""), else_="confirmed")
    related = sa.union_all(
        sa.select(
            sa.literal("proposer").label("kind"),
            ProjectProposer.project_id.label("project_id"),
            Country.name.label("name"),
            confirmed.label("detail"),
            ProjectProposer.id.label("position"),
        )
        .join(Country, Country.id == ProjectProposer.country_id)
        .where(among(ProjectProposer.project_id, name="ids")),
        sa.select(sa.literal("theme"), ProjectTheme.project_id, ProjectTheme.code, sa.literal(""), sa.literal(0)).where(
            among(ProjectTheme.project_id, name="ids")
        ),
        sa.select(
            sa.literal("partner"),
            ProjectPartner.project_id,
            sa.func.coalesce(Country.name, Organisation.name),
            sa.cast(ProjectPartner.role, sa.String),
            ProjectPartner.id,
        )
        .outerjoin(Country, Country.id == ProjectPartner.country_id)
        .outerjoin(Organisation, Organisation.id == ProjectPartner.organisation_id)
        .where(among(ProjectPartner.project_id, name="ids")),
    )
    return projects, related.order_by("position", "name")


@dataclass
class CatalogueView:
    """What the catalogue page shows: a page of cards, and the choices of its government and organisation
    filters among the projects the other filters select."""

    page: Page
    countries: list[tuple[int, str]]
    organisations: list[tuple[int, str]]


def catalogue_view(filters: CatalogueFilters, page: int = 1) -> CatalogueView:
    """The catalogue page: the same for every reader (published projects only), so it is kept while the data is
    unchanged (forum.core.cache)."""
    return cache.cached("partnerships.catalogue", (filters, page, today()), lambda: _catalogue_view(filters, page))


def _catalogue_view(filters: CatalogueFilters, page: int) -> CatalogueView:
    """The filters (the full-text match above all) are applied once: the matching ids, in the catalogue's order,
    give the count, the page and, unless a facet's own filter is set, the facet."""
    matched = list(db.session.scalars(_matched_ids(filters)))
    shown = page_of(matched, page, CATALOGUE_PER_PAGE)
    shown.items = _catalogue_cards(shown.items)
    countries, organisations = _facets(filters, matched)
    return CatalogueView(page=shown, countries=countries, organisations=organisations)


@built_once
def _matched_ids(filters: CatalogueFilters) -> sa.Select:
    return catalogue_statement(filters).with_only_columns(PartnershipProject.id)


CATALOGUE_EXPORT_HEADER = (
    "id",
    "title",
    "lead government",
    "proposing governments",
    "themes",
    "stage",
    "starts on",
    "ends on",
    "needs partners",
    "needs expertise",
    "needs funding",
    "funding amount",
    "currency",
    "offers",
    "partners",
    "published on",
)


def catalogue_export_rows(filters: CatalogueFilters) -> list[tuple]:
    """Every project the filters select (not one page), one row each, in the catalogue's order."""
    projects = db.session.scalars(catalogue_statement(filters).options(*catalogue_options())).unique()
    return [
        (
            p.id,
            p.title,
            p.lead_country.name,
            "; ".join(proposer.country.name for proposer in p.proposers),
            "; ".join(sorted(t.code for t in p.themes)),
            str(STAGE_LABELS[p.stage]) if p.stage else "",
            p.starts_on,
            p.ends_on,
            p.needs_partners,
            p.needs_expertise,
            p.needs_funding,
            p.funding_amount,
            p.funding_currency or "",
            p.offers,
            "; ".join(f"{partner.name} ({PARTNER_ROLE_LABELS[partner.role]})" for partner in p.partners),
            p.published_at.date() if p.published_at else None,
        )
        for p in projects
    ]


def _facet(filters: CatalogueFilters, **left_out: None) -> sa.Select:
    """The ids of the projects the filters select, but for the filter a facet lists (a government, an
    organisation): its list offers what would narrow the results further, never a choice that finds nothing."""
    return catalogue_statement(replace(filters, **left_out)).with_only_columns(PartnershipProject.id).order_by(None)


def _facets(filters: CatalogueFilters, matched: list[int]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """In one query, (id, name) of the governments that propose or partner in the matched projects and (id,
    acronym or name) of the organisations that partner in them, each with the one chosen. A facet whose own filter
    is set lists what the other filters match: it offers what would narrow the results further, never a choice
    that finds nothing."""
    listed: dict[str, list[tuple[int, str]]] = {"country": [], "organisation": []}
    for facet, facet_id, label, _sort in db.session.execute(_facets_statement(filters), {"matched": matched}):
        listed[facet].append((facet_id, label))
    return listed["country"], listed["organisation"]


@built_once
def _facets_statement(filters: CatalogueFilters) -> sa.CompoundSelect:
    countries_among = _facet(filters, country_id=None) if filters.country_id else None
    organisations_among = _facet(filters, organisation_id=None) if filters.organisation_id else None
    countries = sa.union(
        sa.select(ProjectProposer.country_id).where(_within(ProjectProposer.project_id, countries_among)),
        sa.select(ProjectPartner.country_id).where(
            _within(ProjectPartner.project_id, countries_among), ProjectPartner.country_id.is_not(None)
        ),
    )
    organisations = sa.select(ProjectPartner.organisation_id).where(
        _within(ProjectPartner.project_id, organisations_among), ProjectPartner.organisation_id.is_not(None)
    )
    chosen_country = Country.id == filters.country_id if filters.country_id else sa.false()
    chosen_organisation = Organisation.id == filters.organisation_id if filters.organisation_id else sa.false()
    return sa.union_all(
        sa.select(
            sa.literal("country").label("facet"),
            Country.id.label("id"),
            Country.name.label("label"),
            Country.name.label("sort"),
        ).where(sa.or_(Country.id.in_(countries), chosen_country)),
        sa.select(
            sa.literal("organisation"),
            Organisation.id,
            sa.func.coalesce(sa.func.nullif(Organisation.acronym, ""), Organisation.name),
            Organisation.name,
        ).where(sa.or_(Organisation.id.in_(organisations), chosen_organisation)),
    ).order_by("facet", "sort")


def _within(column, ids: sa.Select | None) -> sa.ColumnElement[bool]:
    """Projects `ids` selects, or (None) the matched projects, the `matched` parameter."""
    return column.in_(ids) if ids is not None else among(column, name="matched")


def _list_options():
    return (
        joinedload(PartnershipProject.lead_country),
        joinedload(PartnershipProject.reviewing_body),
        selectinload(PartnershipProject.proposers).joinedload(ProjectProposer.country),
    )


def our_projects(actor: Any) -> list[PartnershipProject]:
    """Every project the actor's governments propose, in any state (decisions shown only once published)."""
    focal = principal_of(actor).focal_country_ids
    if not focal:
        return []
    return list(
        db.session.scalars(
            sa.select(PartnershipProject)
            .options(*_list_options())
            .where(
                PartnershipProject.id.in_(
                    sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id.in_(focal))
                )
            )
            .order_by(PartnershipProject.updated_at.desc(), PartnershipProject.id.desc())
            .limit(200)
        )
    )


def review_queue(actor: Any) -> list[PartnershipProject]:
    """Projects before the actor's bodies, not proposed by the actor's own governments."""
    p = principal_of(actor)
    if not p.body_ids:
        return []
    stmt = (
        sa.select(PartnershipProject)
        .options(*_list_options())
        .where(
            PartnershipProject.state.in_([ProjectState.UNDER_REVIEW, ProjectState.DECIDED]),
            PartnershipProject.reviewing_body_id.in_(p.body_ids),
        )
        .order_by(PartnershipProject.routed_at, PartnershipProject.id)
        .limit(200)
    )
    if p.focal_country_ids:
        stmt = stmt.where(
            PartnershipProject.id.not_in(
                sa.select(ProjectProposer.project_id).where(ProjectProposer.country_id.in_(p.focal_country_ids))
            )
        )
    return list(db.session.scalars(stmt))


SCREENING_STATES = (ProjectState.SUBMITTED, ProjectState.IN_SCREENING, ProjectState.UNDER_REVIEW, ProjectState.DECIDED)


def screening_queue(actor: Any, page: int = 1) -> Page:
    """The Support Unit's queue: to screen, under review, decided and waiting to be published; oldest first."""
    require(actor, Action.PFP_SCREEN)
    stmt = (
        sa.select(PartnershipProject)
        .options(*_list_options())
        .where(PartnershipProject.state.in_(SCREENING_STATES))
        .order_by(PartnershipProject.state, PartnershipProject.submitted_at, PartnershipProject.id)
    )
    return paginate(stmt, page, 50)


def age_in_days(project: PartnershipProject) -> int | None:
    since = project.routed_at if project.state in rules.REVIEW_STATES else project.submitted_at
    if since is None:
        return None
    return (utcnow() - since).days


def country_choices() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in db.session.scalars(sa.select(Country).order_by(Country.name))]


def organisation_choices() -> list[tuple[int, str]]:
    return [
        (o.id, f"{o.name} ({o.acronym})" if o.acronym else o.name)
        for o in db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
    ]


def own_governments(actor: Any) -> list[Country]:
    focal = principal_of(actor).focal_country_ids
    if not focal:
        return []
    return list(db.session.scalars(sa.select(Country).where(Country.id.in_(focal)).order_by(Country.name)))


# ---------------------------------------------------------------------------------------------------- offers

OFFER_TEXT_MAX = 3000


@dataclass(frozen=True)
class Party:
    """A government or an organisation, as one value a form can carry: "country:12" or "organisation:5"."""

    country_id: int | None
    organisation_id: int | None
    name: str

    @property
    def key(self) -> str:
        return f"country:{self.country_id}" if self.country_id else f"organisation:{self.organisation_id}"


def offer_parties(actor: Any) -> list[Party]:
    """Who the actor may offer for: a focal point its governments, an organisation's account its organisation;
    the Support Unit records offers for any government or organisation."""
    p = principal_of(actor)
    if actor is SYSTEM or p.is_support_unit:
        everyone = sa.union_all(
            sa.select(Country.id, sa.cast(sa.null(), sa.Integer), Country.name, sa.literal(0).label("order")),
            sa.select(sa.cast(sa.null(), sa.Integer), Organisation.id, Organisation.name, sa.literal(1)),
        )
        return [
            Party(cid, oid, name) for cid, oid, name, _order in db.session.execute(everyone.order_by("order", "name"))
        ]
    parties = [Party(c.id, None, c.name) for c in own_governments(actor)]
    organisation = getattr(actor, "acts_for_organisation", None) if p.is_authenticated else None
    if organisation is not None:
        parties.append(Party(None, organisation.id, organisation.name))
    return parties


def _party(actor: Any, key: str) -> Party:
    party = next((pa for pa in offer_parties(actor) if pa.key == key), None)
    if party is None:
        raise ValidationFailed({"party": _("Offer only for your own government or organisation.")})
    return party


def make_offer(
    actor: Any,
    project: PartnershipProject,
    *,
    party: str,
    kind: OfferKind,
    role: PartnerRole,
    what: str,
    terms: str = "",
    amount: int | None = None,
    currency: str = "",
) -> ProjectOffer:
    """A government or an organisation says it is interested in a published project, or offers support: what,
    on what terms. The proposing governments' focal points are told and answer on the project's page."""
    require(actor, Action.PFP_OFFER_MAKE, project, hide=not rules.may_view(principal_of(actor), project))
    if not project.is_published:
        raise ValidationFailed({"": _("Offers are made on projects published in the catalogue.")})
    chosen = _party(actor, party)
    what, terms, currency = (what or "").strip(), (terms or "").strip(), (currency or "").strip().upper()
    errors: dict[str, str] = {}
    if chosen.country_id in project.proposer_country_ids:
        errors["party"] = _("A proposing government cannot offer support to its own project.")
    elif db.session.scalar(
        sa.select(ProjectOffer.id).where(
            ProjectOffer.project_id == project.id,
            ProjectOffer.state == OfferState.PENDING,
            ProjectOffer.country_id == chosen.country_id
            if chosen.country_id
            else ProjectOffer.organisation_id == chosen.organisation_id,
        )
    ):
        errors["party"] = _("%(party)s already has an offer waiting for the proposers' answer.", party=chosen.name)
    if not what:
        errors["what"] = _("Say what you offer or what interests you in the project.")
    elif len(what) > OFFER_TEXT_MAX or len(terms) > OFFER_TEXT_MAX:
        errors["what"] = _("Keep the offer and its terms under %(n)s characters each.", n=OFFER_TEXT_MAX)
    errors |= _amount_errors(amount, currency, "amount", "currency")
    if errors:
        raise ValidationFailed(errors)
    offer = ProjectOffer(
        project_id=project.id,
        country_id=chosen.country_id,
        organisation_id=chosen.organisation_id,
        kind=kind,
        role=role,
        what=what,
        terms=terms,
        amount=amount,
        currency=currency or None,
        made_by_id=getattr(actor, "id", None),
    )
    db.session.add(offer)
    db.session.flush()
    record(actor, AuditVerb.CREATE, offer, snapshot(offer, ["project_id", "kind", "role", "amount", "currency"]))
    # the history (which the reviewing body also reads) names the party; what it offers stays on the offer
    _event(actor, project, EventKind.OFFER, text=f"{chosen.name}, {OFFER_KIND_LABELS[kind]}")
    for email in _focal_point_emails(project.proposer_country_ids):
        queue_mail(email, "pfp_offer_made", project=project, offer=offer, party=chosen.name)
    db.session.commit()
    return offer


def offer_for(actor: Any, offer_id: int) -> ProjectOffer:
    """One offer, for whoever may see its project; 404 otherwise."""
    offer = db.session.scalar(
        sa.select(ProjectOffer)
        .options(
            joinedload(ProjectOffer.project).options(*_detail_options()),
            joinedload(ProjectOffer.country),
            joinedload(ProjectOffer.organisation),
        )
        .where(ProjectOffer.id == offer_id)
    )
    if offer is None or not rules.may_view(principal_of(actor), offer.project):
        raise NotFound()
    return offer


def reply_to_offer(
    actor: Any, offer: ProjectOffer, *, accept: bool, role: PartnerRole | None = None, reply: str = ""
) -> ProjectOffer:
    """The proposers accept an offer (the party becomes a partner, with the role they give it) or decline it,
    saying why; the offering party is told either way."""
    require(actor, Action.PFP_OFFER_DECIDE, offer)
    reply = (reply or "").strip()
    if offer.state != OfferState.PENDING:
        raise InvalidTransition(_("This offer was already answered."))
    if not accept and not reply:
        raise ValidationFailed({"reply": _("Tell the offering party why you decline.")})
    if len(reply) > OFFER_TEXT_MAX:
        raise ValidationFailed({"reply": _("Keep the answer under %(n)s characters.", n=OFFER_TEXT_MAX)})
    project = offer.project
    before = offer.state
    offer.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
    offer.reply, offer.decided_at, offer.decided_by_id = reply, utcnow(), getattr(actor, "id", None)
    if accept:
        role = role or offer.role
        partner = next(
            (
                pa
                for pa in project.partners
                if pa.country_id == offer.country_id and pa.organisation_id == offer.organisation_id and pa.role == role
            ),
            None,
        )
        if partner is None:
            partner = ProjectPartner(country_id=offer.country_id, organisation_id=offer.organisation_id, role=role)
            project.partners.append(partner)
            db.session.flush()
        offer.partner_id = partner.id
    record(actor, AuditVerb.TRANSITION, offer, {"state": [before.value, offer.state.value]}, note=reply)
    if accept:
        record(actor, AuditVerb.UPDATE, project, {"partner_added": [None, f"{offer.party_name} ({role.value})"]})
    text = (
        _("%(party)s accepted as %(role)s", party=offer.party_name, role=role.value.replace("_", " "))
        if accept
        else _("offer of %(party)s declined", party=offer.party_name)
    )
    _event(actor, project, EventKind.OFFER_REPLY, text=f"{text}{': ' + reply if reply else ''}")
    recipients = (
        _focal_point_emails(frozenset({offer.country_id}))
        if offer.country_id
        else _organisation_emails(offer.organisation_id)
    )
    made_by = db.session.get(User, offer.made_by_id) if offer.made_by_id else None
    if made_by is not None and made_by.is_active and made_by.email not in recipients:
        recipients.append(made_by.email)
    for email in recipients:
        queue_mail(email, "pfp_offer_answered", project=project, offer=offer)
    db.session.commit()
    return offer


def offers_for(actor: Any, project: PartnershipProject) -> list[ProjectOffer]:
    """The offers the actor may see: all of them for the proposers and the Support Unit, one's own otherwise."""
    p = principal_of(actor)
    stmt = (
        sa.select(ProjectOffer)
        .options(joinedload(ProjectOffer.country), joinedload(ProjectOffer.organisation))
        .where(ProjectOffer.project_id == project.id)
        .order_by(ProjectOffer.id.desc())
        .limit(200)
    )
    if actor is SYSTEM or p.is_support_unit or rules.is_proposer(p, project):
        return list(db.session.scalars(stmt))
    own = [ProjectOffer.country_id.in_(p.focal_country_ids)] if p.focal_country_ids else []
    organisation_id = getattr(actor, "acts_for_organisation_id", None) if p.is_authenticated else None
    if organisation_id:
        own.append(ProjectOffer.organisation_id == organisation_id)
    if not own:
        return []
    return list(db.session.scalars(stmt.where(sa.or_(*own))))


# ---------------------------------------------------------------------------------------------------- reports

#: a report is "due" this many days before its date; after the date it is late
REPORT_DUE_WINDOW_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day so many months later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_status(project: PartnershipProject) -> str | None:
    """ "late", "due" (within the window before its date), "scheduled", or None (no report expected)."""
    due = project.next_report_due_on
    if due is None or not project.is_published:
        return None
    if due < today():
        return "late"
    return "due" if (due - today()).days <= REPORT_DUE_WINDOW_DAYS else "scheduled"


def submit_report(
    actor: Any,
    project: PartnershipProject,
    *,
    period_start: date | None,
    period_end: date | None,
    progress: str,
    stage_after: ProjectStage | None = None,
    results: str = "",
    next_steps: str = "",
    is_final: bool = False,
) -> ProgressReport:
    """The proposers report on an accepted project; the next report falls due one interval after this one's
    due date (a final report ends the schedule). A change of stage is applied to the project."""
    require(actor, Action.PFP_REPORT_SUBMIT, project, hide=not rules.may_view(principal_of(actor), project))
    if not project.is_published:
        raise ValidationFailed({"": _("Progress reports start once the project is accepted and published.")})
    progress, results, next_steps = (progress or "").strip(), (results or "").strip(), (next_steps or "").strip()
    errors: dict[str, str] = {}
    if period_start is None:
        errors["period_start"] = _("Give the first day of the period the report covers.")
    if period_end is None:
        errors["period_end"] = _("Give the last day of the period the report covers.")
    elif period_start is not None and period_end < period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif period_end > today():
        errors["period_end"] = _("A report covers a period that has ended, not the future.")
    if not progress:
        errors["progress"] = _("Say what progress the project made in the period.")
    if errors:
        raise ValidationFailed(errors)
    report = ProgressReport(
        project_id=project.id,
        period_start=period_start,
        period_end=period_end,
        progress=progress,
        stage_before=project.stage,
        stage_after=stage_after if stage_after != project.stage else None,
        results=results,
        next_steps=next_steps,
        is_final=is_final,
        due_on=project.next_report_due_on,
        submitted_by_id=getattr(actor, "id", None),
    )
    db.session.add(report)
    changes: dict[str, list] = {"report": [None, f"{period_start.isoformat()}..{period_end.isoformat()}"]}
    if report.stage_after is not None:
        changes["stage"] = [project.stage.value if project.stage else None, report.stage_after.value]
        project.stage = report.stage_after
    due_before = project.next_report_due_on
    if is_final:
        project.next_report_due_on = None
    elif project.report_every_months:
        project.next_report_due_on = add_months(due_before or today(), project.report_every_months)
    changes["next_report_due_on"] = [
        due_before.isoformat() if due_before else None,
        project.next_report_due_on.isoformat() if project.next_report_due_on else None,
    ]
    db.session.flush()
    record(actor, AuditVerb.UPDATE, project, changes)
    text = _("progress report for %(start)s to %(end)s", start=period_start.isoformat(), end=period_end.isoformat())
    if report.stage_after is not None:
        text += " — " + _("stage now %(stage)s", stage=STAGE_LABELS[report.stage_after])
    if is_final:
        text += " — " + _("final report")
    _event(actor, project, EventKind.REPORT, text=text)
    db.session.commit()
    return report


# ---------------------------------------------------------------------------------------------------- attachments

#: what a project document may be (the checklist evidence's types: PDF, office documents, images)
ATTACHMENT_TYPES = EVIDENCE_TYPES
ATTACHMENTS_PER_PROJECT = 20


def add_attachment(
    actor: Any, project: PartnershipProject, *, upload: Upload, description: str = ""
) -> ProjectAttachment:
    """A document for the project (concept note, budget outline, report annex), checked and stored the way
    checklist evidence is; visible to whoever may see the project."""
    require(actor, Action.PFP_ATTACHMENT_ADD, project, hide=not rules.may_view(principal_of(actor), project))
    description = (description or "").strip()
    if len(description) > 300:
        raise ValidationFailed({"description": _("Keep the description under 300 characters.")})
    held = db.session.scalar(
        sa.select(sa.func.count(ProjectAttachment.id)).where(
            ProjectAttachment.project_id == project.id, ProjectAttachment.removed_at.is_(None)
        )
    )
    if held >= ATTACHMENTS_PER_PROJECT:
        raise ValidationFailed({"file": _("A project holds at most %(n)s documents.", n=ATTACHMENTS_PER_PROJECT)})
    name, key, stored = save_upload(upload, "partnerships", ATTACHMENT_TYPES, "file")
    attachment = ProjectAttachment(
        project_id=project.id,
        file_name=name,
        file_key=key,
        file_size=len(upload.data),
        description=description,
        uploaded_by_id=getattr(actor, "id", None),
    )
    try:
        db.session.add(attachment)
        db.session.flush()
        record(actor, AuditVerb.CREATE, attachment, snapshot(attachment, ["project_id", "file_name", "file_size"]))
        _event(actor, project, EventKind.ATTACHMENT, text=_("document attached: %(name)s", name=name))
        db.session.commit()
    except Exception:
        stored.unlink(missing_ok=True)  # nothing half-saved: no file without its record
        raise
    return attachment


def attachment_for(actor: Any, attachment_id: int) -> ProjectAttachment:
    attachment = db.session.scalar(
        sa.select(ProjectAttachment)
        .options(joinedload(ProjectAttachment.project).selectinload(PartnershipProject.proposers))
        .where(ProjectAttachment.id == attachment_id, ProjectAttachment.removed_at.is_(None))
    )
    if attachment is None or not rules.may_view(principal_of(actor), attachment.project):
        raise NotFound()
    return attachment


def attachment_file(actor: Any, attachment_id: int) -> tuple[Path, str, str]:
    """Where a document is stored, its original name and its content type; 404 to whoever may not see it."""
    attachment = attachment_for(actor, attachment_id)
    extension = attachment.file_name.rsplit(".", 1)[-1].lower()
    return upload_folder("partnerships") / attachment.file_key, attachment.file_name, ATTACHMENT_TYPES[extension][1]


def remove_attachment(actor: Any, attachment: ProjectAttachment) -> None:
    """The proposers take a document off the project's page; the file is kept for the record."""
    project = attachment.project
    require(actor, Action.PFP_ATTACHMENT_ADD, project)
    attachment.removed_at, attachment.removed_by_id = utcnow(), getattr(actor, "id", None)
    record(actor, AuditVerb.DELETE, attachment, {"file_name": [attachment.file_name, None]})
    _event(actor, project, EventKind.ATTACHMENT, text=_("document removed: %(name)s", name=attachment.file_name))
    db.session.commit()
