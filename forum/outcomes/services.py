"""Outcomes and their follow-up: recording, publishing and correcting outcomes; actions and their append-only
progress reports; carrying open actions over to the next cycle; the Chair's review and its update requests;
and the one set of queries behind the review page, the public follow-up list and its exports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from forum.core.audit import AuditVerb, apply_changes, record, snapshot
from forum.core.dates import period_end, today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.models import DatePrecision, utcnow
from forum.core.pagination import Page, page_of
from forum.core.permissions import Action, can, principal_of, require
from forum.core.statements import among, built_once
from forum.core.themes import THEMES
from forum.directory.models import Country, Organisation, organisation_label
from forum.extensions import db
from forum.outcomes.models import (
    CLOSED_STATUSES,
    FOLLOW_UP_STATUS_LABELS,
    NAMED_ADDRESSEES,
    ORIGINAL_LANGUAGE,
    AddresseeKind,
    ChairReview,
    CommitmentStrength,
    FollowUpAction,
    FollowUpCoOwner,
    FollowUpStatus,
    FollowUpUpdate,
    Outcome,
    OutcomeAddressee,
    OutcomeKind,
    OutcomeLink,
    OutcomeRevision,
    OutcomeTheme,
    OutcomeTranslation,
    SessionStatement,
    StatementKind,
    UpdateRequest,
    is_overdue,
)
from forum.partnerships.models import PartnershipProject
from forum.roundtables.models import Roundtable, RoundtableSession, session_reference
from forum.roundtables.services import EVIDENCE_TYPES, Upload, save_upload, upload_folder
from forum.structure.models import Body, ForumCycle

SERIES = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
URL = re.compile(r"^https?://[^\s<>\"']+$")
#: latest sensible due date: "by the 2030 Agenda" is fine, a typo of 20300 is not
LATEST_DUE = date(2100, 12, 31)
EARLIEST_DUE = date(2000, 1, 1)
#: how long the owners have to answer a Chair's request for an update when the review names no date
REQUEST_DAYS = 14


# ------------------------------------------------------------------------------------------------ visibility


def may_see_internal(actor: Any, action: FollowUpAction | None = None) -> bool:
    """The Support Unit and the Chair team see every outcome and note; owners see their own actions' notes."""
    if can(actor, Action.FOLLOW_UP_REVIEW_VIEW):
        return True
    return action is not None and can(actor, Action.FOLLOW_UP_REPORT, action)


def _visible(stmt: sa.Select, actor: Any) -> sa.Select:
    """Unpublished outcomes only for those who record and review them."""
    if may_see_internal(actor):
        return stmt
    return stmt.where(Outcome.published_at.is_not(None))


def owned_by(country_ids: set[int] | frozenset[int]):
    """A WHERE clause: actions these governments own or co-own. The ids come from the two indexes in a union:
    as `owner IN … OR id IN …` PostgreSQL expected a third of all actions and scanned them all."""
    return FollowUpAction.id.in_(_owned_ids(country_ids))


def _owned_ids(country_ids: set[int] | frozenset[int]) -> sa.CompoundSelect:
    """The ids (column `id`) of the actions these governments own or co-own."""
    return sa.union(
        sa.select(FollowUpAction.id).where(FollowUpAction.owner_country_id.in_(country_ids)),
        sa.select(FollowUpCoOwner.action_id).where(FollowUpCoOwner.country_id.in_(country_ids)),
    )


def _outcome_options():
    return (
        joinedload(Outcome.cycle).joinedload(ForumCycle.chair_country),
        joinedload(Outcome.session).joinedload(RoundtableSession.roundtable).joinedload(Roundtable.cycle),
        selectinload(Outcome.addressees).options(
            joinedload(OutcomeAddressee.country),
            joinedload(OutcomeAddressee.body),
            joinedload(OutcomeAddressee.organisation),
        ),
        selectinload(Outcome.themes),
    )


def _action_options():
    return (
        joinedload(FollowUpAction.owner_country),
        joinedload(FollowUpAction.owner_organisation),
        selectinload(FollowUpAction.co_owners).options(
            joinedload(FollowUpCoOwner.country), joinedload(FollowUpCoOwner.organisation)
        ),
    )


def outcome_by_reference(actor: Any, reference: str) -> Outcome:
    """An outcome's page: the outcome, its revisions, links and actions, in a fixed number of queries."""
    outcome = db.session.scalar(
        _visible(sa.select(Outcome).where(Outcome.reference == (reference or "")[:40]), actor).options(
            *_outcome_options(),
            selectinload(Outcome.revisions).joinedload(OutcomeRevision.created_by),
            selectinload(Outcome.translations),
            selectinload(Outcome.links).options(
                joinedload(OutcomeLink.earlier_outcome),
                joinedload(OutcomeLink.session).joinedload(RoundtableSession.roundtable).joinedload(Roundtable.cycle),
                joinedload(OutcomeLink.project),
                joinedload(OutcomeLink.meeting),
            ),
            selectinload(Outcome.actions).options(*_action_options(), joinedload(FollowUpAction.cycle)),
        )
    )
    if outcome is None:
        raise NotFound()
    return outcome


def continued_by(actor: Any, outcome: Outcome) -> list[Outcome]:
    """Later outcomes that say they continue this one."""
    stmt = (
        sa.select(Outcome)
        .join(OutcomeLink, OutcomeLink.outcome_id == Outcome.id)
        .where(OutcomeLink.earlier_outcome_id == outcome.id)
        .order_by(Outcome.reference)
    )
    return list(db.session.scalars(_visible(stmt, actor)))


def session_outcomes(actor: Any, session: RoundtableSession, *, with_addressees: bool = False) -> list[Outcome]:
    """A session's outcomes the actor may see; with their addressees and themes for those who print them (the
    reports), alone for the session page and the API's session, which show neither."""
    statement = _session_outcomes(may_see_internal(actor), with_addressees)
    return list(db.session.scalars(statement, {"session_id": session.id}).unique())


@built_once
def _session_outcomes(internal: bool, with_addressees: bool) -> sa.Select:
    stmt = (
        sa.select(Outcome)
        .where(Outcome.session_id == sa.bindparam("session_id", type_=sa.Integer))
        .order_by(Outcome.number)
        .options(*(_outcome_options() if with_addressees else ()))
    )
    return stmt if internal else stmt.where(Outcome.published_at.is_not(None))


def session_statements(session: RoundtableSession) -> list[SessionStatement]:
    return list(db.session.scalars(_session_statements(), {"session_id": session.id}))


@built_once
def _session_statements() -> sa.Select:
    return (
        sa.select(SessionStatement)
        .where(SessionStatement.session_id == sa.bindparam("session_id", type_=sa.Integer))
        .order_by(SessionStatement.kind, SessionStatement.id)
    )


def action_for(actor: Any, action_id: int) -> FollowUpAction:
    """An action's page; hidden (404) while its outcome is unpublished and the actor may not see drafts."""
    action = db.session.scalar(
        sa.select(FollowUpAction)
        .where(FollowUpAction.id == action_id)
        .options(
            *_action_options(),
            joinedload(FollowUpAction.cycle),
            joinedload(FollowUpAction.outcome).options(*_outcome_options()),
            joinedload(FollowUpAction.carried_from).joinedload(FollowUpAction.cycle),
        )
    )
    if action is None or not (action.outcome.is_published or may_see_internal(actor, action)):
        raise NotFound()
    return action


def timeline(actor: Any, action: FollowUpAction) -> list[FollowUpUpdate]:
    """The action's reports, newest first, through the actions it was carried over from; internal notes only
    for those who may see them."""
    chain = [action.id]
    origin = action.carried_from_id
    while origin is not None and len(chain) < 50:
        chain.append(origin)
        origin = db.session.scalar(sa.select(FollowUpAction.carried_from_id).where(FollowUpAction.id == origin))
    stmt = (
        sa.select(FollowUpUpdate)
        .where(FollowUpUpdate.action_id.in_(chain))
        .options(joinedload(FollowUpUpdate.reported_by), joinedload(FollowUpUpdate.on_behalf_of))
        .order_by(FollowUpUpdate.created_at.desc(), FollowUpUpdate.id.desc())
    )
    if not may_see_internal(actor, action):
        stmt = stmt.where(FollowUpUpdate.is_public.is_(True))
    return list(db.session.scalars(stmt))


def next_number(session: RoundtableSession | None, cycle: ForumCycle, series: str = "") -> int:
    stmt = sa.select(sa.func.max(Outcome.number))
    stmt = (
        stmt.where(Outcome.session_id == session.id)
        if session
        else stmt.where(Outcome.cycle_id == cycle.id, Outcome.series == series)
    )
    return (db.session.scalar(stmt) or 0) + 1


# ------------------------------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class AddresseeInput:
    kind: AddresseeKind
    party_id: int | None = None


def _validate_outcome(values: dict[str, Any], addressees: list[AddresseeInput], theme_codes: list[str]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the outcome a short title.")
    if not (values.get("text") or "").strip():
        errors["text"] = _("Write the outcome's text.")
    if not isinstance(values.get("kind"), OutcomeKind):
        errors["kind"] = _("Choose what kind of outcome this is.")
    if not isinstance(values.get("strength"), CommitmentStrength):
        errors["strength"] = _("Choose how firm the commitment is.")
    if not addressees:
        errors["addressees"] = _("Say to whom the outcome is addressed.")
    for addressee in addressees:
        column = NAMED_ADDRESSEES.get(addressee.kind)
        if column is None:
            continue
        model = {"country_id": Country, "body_id": Body, "organisation_id": Organisation}[column]
        if addressee.party_id is None or db.session.get(model, addressee.party_id) is None:
            errors["addressees"] = _("A named addressee must be a government, body or organisation in the directory.")
    unknown = [c for c in theme_codes if c not in THEMES]
    if unknown:
        errors["themes"] = _("Unknown theme: %(codes)s.", codes=", ".join(unknown))
    if errors:
        raise ValidationFailed(errors)


def _set_addressees(outcome: Outcome, addressees: list[AddresseeInput]) -> None:
    wanted = []
    for a in dict.fromkeys(addressees):
        column = NAMED_ADDRESSEES.get(a.kind)
        wanted.append(OutcomeAddressee(kind=a.kind, **({column: a.party_id} if column else {})))
    keys = {(a.kind, a.country_id, a.body_id, a.organisation_id) for a in wanted}
    current = {(a.kind, a.country_id, a.body_id, a.organisation_id): a for a in outcome.addressees}
    outcome.addressees[:] = [a for k, a in current.items() if k in keys]
    outcome.addressees.extend(a for a in wanted if (a.kind, a.country_id, a.body_id, a.organisation_id) not in current)


def _set_themes(outcome: Outcome, theme_codes: list[str]) -> None:
    keep = set(theme_codes)
    outcome.themes[:] = [t for t in outcome.themes if t.code in keep]
    present = {t.code for t in outcome.themes}
    outcome.themes.extend(OutcomeTheme(code=c) for c in theme_codes if c not in present)


def record_outcome(
    actor: Any,
    *,
    cycle: ForumCycle,
    session: RoundtableSession | None,
    series: str = "",
    number: int | None,
    title: str,
    text: str,
    kind: OutcomeKind | None,
    strength: CommitmentStrength | None,
    addressees: list[AddresseeInput],
    theme_codes: list[str],
    source: str = "",
) -> Outcome:
    """The Support Unit records an outcome under its number within the session (or the cycle's series)."""
    require(actor, Action.OUTCOME_EDIT)
    series = "" if session else (series or "").strip().upper()
    if session is None and not SERIES.match(series):
        raise ValidationFailed({"series": _("Give the series a short code in capitals, such as HLD.")})
    theme_codes = list(dict.fromkeys(theme_codes))
    values = {"title": title.strip(), "text": text.strip(), "kind": kind, "strength": strength}
    _validate_outcome(values, addressees, theme_codes)
    number = number or next_number(session, cycle, series)
    if not 1 <= number <= 999:
        raise ValidationFailed({"number": _("Number the outcome from 1 to 999.")})
    scope = f"RT{session.code}" if session else series
    reference = f"{cycle.year}-{scope}-{number}"
    if db.session.scalar(sa.select(Outcome.id).where(Outcome.reference == reference)) is not None:
        raise ValidationFailed({"number": _("%(ref)s already exists; choose another number.", ref=reference)})
    outcome = Outcome(
        reference=reference,
        cycle_id=cycle.id,
        session_id=session.id if session else None,
        series=series,
        number=number,
        source=(source or "").strip()[:300],
        **values,
    )
    _set_addressees(outcome, addressees)
    _set_themes(outcome, theme_codes)
    db.session.add(outcome)
    db.session.flush()
    record(actor, AuditVerb.CREATE, outcome, snapshot(outcome, ["reference", "title", "kind", "strength"]))
    db.session.commit()
    return outcome


def update_outcome(
    actor: Any,
    outcome: Outcome,
    *,
    version_id: int | None,
    title: str,
    text: str,
    kind: OutcomeKind | None,
    strength: CommitmentStrength | None,
    addressees: list[AddresseeInput],
    theme_codes: list[str],
    reason: str = "",
) -> Outcome:
    """Change an outcome. Once published its text is frozen: a different text becomes a new revision, which
    needs a reason; the published original stays as revision 1."""
    require(actor, Action.OUTCOME_EDIT)
    outcome.check_version(version_id)
    theme_codes = list(dict.fromkeys(theme_codes))
    values = {"title": title.strip(), "text": text.strip(), "kind": kind, "strength": strength}
    _validate_outcome(values, addressees, theme_codes)
    reason = (reason or "").strip()
    text_changed = values["text"] != outcome.text
    if outcome.is_published and text_changed and not reason:
        raise ValidationFailed({"reason": _("The text is published: say why it is corrected.")})
    changes = apply_changes(outcome, values)
    before_themes = sorted(t.code for t in outcome.themes)
    _set_themes(outcome, theme_codes)
    if before_themes != sorted(theme_codes):
        changes["themes"] = [before_themes, sorted(theme_codes)]
    before_addressees = sorted(str(a) for a in outcome.addressees)
    _set_addressees(outcome, addressees)
    db.session.flush()
    after_addressees = sorted(str(a) for a in outcome.addressees)
    if before_addressees != after_addressees:
        changes["addressees"] = [before_addressees, after_addressees]
    if outcome.is_published and text_changed:
        number = (
            db.session.scalar(
                sa.select(sa.func.max(OutcomeRevision.number)).where(OutcomeRevision.outcome_id == outcome.id)
            )
            or 0
        ) + 1
        db.session.add(
            OutcomeRevision(
                outcome_id=outcome.id,
                number=number,
                text=outcome.text,
                reason=reason[:500],
                created_by_id=getattr(actor, "id", None),
            )
        )
    if changes:
        record(actor, AuditVerb.UPDATE, outcome, changes, note=reason)
    db.session.commit()
    return outcome


def publish_session_outcomes(actor: Any, session: RoundtableSession, *, at: datetime | None = None) -> int:
    """Publish the session's report of outcomes: every unpublished outcome becomes public and its text frozen
    (revision 1 keeps it as published). Returns how many were published."""
    return _publish(actor, sa.select(Outcome).where(Outcome.session_id == session.id), at)


def publish_series_outcomes(actor: Any, cycle: ForumCycle, series: str, *, at: datetime | None = None) -> int:
    """The same for a cycle's outcomes outside the sessions (a series such as HLD)."""
    return _publish(actor, sa.select(Outcome).where(Outcome.cycle_id == cycle.id, Outcome.series == series), at)


def _publish(actor: Any, stmt: sa.Select, at: datetime | None) -> int:
    """`at` backdates the publication when history is loaded (the demo data); pages never pass it."""
    require(actor, Action.OUTCOME_EDIT)
    drafts = list(db.session.scalars(stmt.where(Outcome.published_at.is_(None)).order_by(Outcome.number)))
    if not drafts:
        raise ValidationFailed({"": _("There is no unpublished outcome here.")})
    moment = at or utcnow()
    for outcome in drafts:
        outcome.published_at = moment
        db.session.add(
            OutcomeRevision(
                outcome_id=outcome.id,
                number=1,
                text=outcome.text,
                created_at=moment,
                created_by_id=getattr(actor, "id", None),
            )
        )
        record(actor, AuditVerb.TRANSITION, outcome, {"published_at": [None, moment.isoformat()]})
    db.session.commit()
    return len(drafts)


def add_statement(
    actor: Any, session: RoundtableSession, *, kind: StatementKind | None, text: str, source: str = ""
) -> SessionStatement:
    """A finding, suggestion or minority view: part of the session's record, not an outcome."""
    require(actor, Action.OUTCOME_EDIT)
    text = (text or "").strip()
    if not isinstance(kind, StatementKind):
        raise ValidationFailed({"kind": _("Choose finding, suggestion or minority view.")})
    if not text:
        raise ValidationFailed({"text": _("Write what the session found, suggested or disagreed on.")})
    statement = SessionStatement(session_id=session.id, kind=kind, text=text, source=(source or "").strip()[:300])
    db.session.add(statement)
    db.session.flush()
    record(actor, AuditVerb.CREATE, statement, snapshot(statement, ["session_id", "kind"]))
    db.session.commit()
    return statement


def add_link(
    actor: Any,
    outcome: Outcome,
    *,
    earlier_reference: str = "",
    session_reference: str = "",
    project_id: int | None = None,
    meeting_id: int | None = None,
    note: str = "",
) -> OutcomeLink:
    """Link an outcome to what it continues (an earlier outcome) or leads to (a later session, a PfP project,
    a working group's meeting). Exactly one target."""
    require(actor, Action.OUTCOME_EDIT)
    given = [
        bool((earlier_reference or "").strip()),
        bool((session_reference or "").strip()),
        bool(project_id),
        bool(meeting_id),
    ]
    if sum(given) != 1:
        raise ValidationFailed({"": _("Name exactly one thing to link to.")})
    link = OutcomeLink(outcome_id=outcome.id, note=(note or "").strip()[:500])
    if given[0]:
        earlier = db.session.scalar(sa.select(Outcome).where(Outcome.reference == earlier_reference.strip()[:40]))
        if earlier is None:
            raise ValidationFailed({"earlier_reference": _("No outcome has this reference.")})
        if earlier.id == outcome.id:
            raise ValidationFailed({"earlier_reference": _("An outcome cannot continue itself.")})
        link.earlier_outcome_id = earlier.id
    elif given[1]:
        from forum.roundtables.services import session_by_reference

        try:
            link.session_id = session_by_reference(session_reference.strip()[:40]).id
        except NotFound:
            raise ValidationFailed({"session_reference": _("No session has this reference.")}) from None
    elif given[2]:
        if db.session.get(PartnershipProject, project_id) is None:
            raise ValidationFailed({"project_id": _("No partnership project has this number.")})
        link.project_id = project_id
    else:
        from forum.meetings.models import Meeting

        if db.session.get(Meeting, meeting_id) is None:
            raise ValidationFailed({"meeting_id": _("No meeting has this number.")})
        link.meeting_id = meeting_id
    db.session.add(link)
    db.session.flush()
    record(actor, AuditVerb.CREATE, outcome, {"link": [None, link.id]}, note=link.note)
    db.session.commit()
    return link


# --------------------------------------------------------------------------------------------- translations


def translation_languages() -> dict[str, str]:
    """The languages an outcome can be translated into: the interface's, but the original's."""
    from forum import LANGUAGE_NAMES, LANGUAGES

    return {code: LANGUAGE_NAMES[code] for code in LANGUAGES if code != ORIGINAL_LANGUAGE}


def save_translation(actor: Any, outcome: Outcome, *, language: str, title: str, text: str) -> OutcomeTranslation:
    """Add the outcome's title and text in a language, or replace the one there is (a translation is improved,
    not revised: the original is the record)."""
    require(actor, Action.OUTCOME_EDIT)
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if language not in translation_languages():
        errors["language"] = _("Choose one of the languages in the list.")
    if not title or len(title) > 200:
        errors["title"] = _("Give the translated title, at most 200 characters.")
    if not text or len(text) > 5000:
        errors["text"] = _("Give the translated text, at most 5,000 characters.")
    if errors:
        raise ValidationFailed(errors)
    translation = db.session.scalar(
        sa.select(OutcomeTranslation).where(
            OutcomeTranslation.outcome_id == outcome.id, OutcomeTranslation.language == language
        )
    )
    verb = AuditVerb.UPDATE if translation else AuditVerb.CREATE
    if translation is None:
        translation = OutcomeTranslation(
            outcome_id=outcome.id, language=language, created_by_id=getattr(actor, "id", None)
        )
        db.session.add(translation)
    translation.title, translation.text = title, text
    db.session.flush()
    record(actor, verb, outcome, {f"translation:{language}": [None, title]})
    db.session.commit()
    return translation


@dataclass(frozen=True)
class ReaderText:
    """What a reader of `locale` is shown of an outcome: a translation into it, or the original."""

    title: str
    text: str
    translation: OutcomeTranslation | None
    #: the reader reads another language and the outcome has no translation into it
    original_only: bool


def reader_text(outcome: Outcome, locale: str) -> ReaderText:
    """Needs `outcome.translations` loaded (outcome_by_reference loads them)."""
    translation = next((t for t in outcome.translations if t.language == locale), None)
    if translation is not None:
        return ReaderText(translation.title, translation.text, translation, original_only=False)
    return ReaderText(outcome.title, outcome.text, None, original_only=locale != ORIGINAL_LANGUAGE)


# ------------------------------------------------------------------------------------------ follow-up actions


@dataclass(frozen=True)
class PartyInput:
    """A government (country id) or an organisation (organisation id): exactly one."""

    country_id: int | None = None
    organisation_id: int | None = None


def _check_party(party: PartyInput, field_name: str) -> None:
    if (party.country_id is None) == (party.organisation_id is None):
        raise ValidationFailed({field_name: _("Choose one government or one organisation.")})
    model, ident = (Country, party.country_id) if party.country_id else (Organisation, party.organisation_id)
    if db.session.get(model, ident) is None:
        raise ValidationFailed({field_name: _("Choose a government or organisation from the directory.")})


def _check_due(due_on: date | None) -> None:
    if due_on is not None and not EARLIEST_DUE <= due_on <= LATEST_DUE:
        raise ValidationFailed({"due_on": _("Give a due date between 2000 and 2100.")})


def add_action(
    actor: Any,
    outcome: Outcome,
    *,
    description: str,
    owner: PartyInput,
    co_owners: list[PartyInput],
    due_on: date | None,
    due_precision: DatePrecision = DatePrecision.DAY,
    indicator: str = "",
    target: str = "",
    cycle: ForumCycle | None = None,
) -> FollowUpAction:
    """A follow-up action under an outcome, in the outcome's cycle unless another is named."""
    require(actor, Action.OUTCOME_EDIT)
    description = (description or "").strip()
    if not description:
        raise ValidationFailed({"description": _("Say what will be done.")})
    _check_party(owner, "owner")
    for co_owner in co_owners:
        _check_party(co_owner, "co_owners")
    if owner in co_owners:
        raise ValidationFailed({"co_owners": _("The owner is not also a co-owner.")})
    _check_due(due_on)
    due_precision = due_precision or DatePrecision.DAY
    action = FollowUpAction(
        outcome_id=outcome.id,
        cycle_id=(cycle or outcome.cycle).id,
        description=description,
        owner_country_id=owner.country_id,
        owner_organisation_id=owner.organisation_id,
        # stored as the last day of the period it names, so "overdue" is one comparison everywhere
        due_on=period_end(due_on, due_precision) if due_on else None,
        due_precision=due_precision,
        indicator=(indicator or "").strip()[:300],
        target=(target or "").strip()[:300],
    )
    action.co_owners.extend(
        FollowUpCoOwner(country_id=c.country_id, organisation_id=c.organisation_id) for c in dict.fromkeys(co_owners)
    )
    db.session.add(action)
    db.session.flush()
    record(actor, AuditVerb.CREATE, action, snapshot(action, ["outcome_id", "owner_country_id", "due_on"]))
    db.session.commit()
    return action


def report_progress(
    actor: Any,
    action: FollowUpAction,
    *,
    status: FollowUpStatus | None,
    progress: int | None,
    note: str = "",
    is_public: bool = True,
    evidence_url: str = "",
    evidence_file: Upload | None = None,
    on_behalf_of_country_id: int | None = None,
    at: datetime | None = None,
) -> FollowUpUpdate:
    """An owner's focal point (or the Support Unit on its behalf) adds a status update. Updates are only ever
    added; the action's current status is the latest one's. Answers any open request for an update. `at`
    backdates the report when history is loaded (the demo data); pages never pass it."""
    require(actor, Action.FOLLOW_UP_REPORT, action)
    errors: dict[str, str] = {}
    if not isinstance(status, FollowUpStatus) or status == FollowUpStatus.CARRIED_OVER:
        errors["status"] = _("Choose a status (carrying over is done by the Support Unit at hand-over).")
    if progress is None or not 0 <= progress <= 100:
        errors["progress"] = _("Give the progress as a percentage from 0 to 100.")
    evidence_url = (evidence_url or "").strip()
    if evidence_url and (len(evidence_url) > 500 or not URL.match(evidence_url)):
        errors["evidence_url"] = _("A link starts with http:// or https://.")
    if not action.is_open:
        errors[""] = _(
            "This action is closed (%(status)s); nothing more is reported on it.", status=action.status.value
        )
    if errors:
        raise ValidationFailed(errors)
    if status == FollowUpStatus.DONE:
        progress = 100
    elif status == FollowUpStatus.NOT_STARTED:
        progress = 0
    focal = principal_of(actor).focal_country_ids & action.country_ids
    behalf = on_behalf_of_country_id if on_behalf_of_country_id in action.country_ids else None
    update = FollowUpUpdate(
        action_id=action.id,
        status=status,
        progress=progress,
        note=(note or "").strip(),
        is_public=bool(is_public),
        evidence_url=evidence_url,
        reported_by_id=getattr(actor, "id", None),
        on_behalf_of_country_id=behalf or (min(focal) if focal else action.owner_country_id),
        created_at=at,
    )
    if evidence_file is not None and (evidence_file.filename or evidence_file.data):
        name, key, _path = save_upload(evidence_file, "follow-up", EVIDENCE_TYPES, "evidence_file")
        update.evidence_file_name, update.evidence_file_key = name, key
        update.evidence_file_size = len(evidence_file.data)
    _append(actor, action, update)
    db.session.commit()
    return update


def _append(actor: Any, action: FollowUpAction, update: FollowUpUpdate) -> None:
    """Add the update and make it the action's current state; the one place that writes either."""
    update.created_at = update.created_at or utcnow()
    db.session.add(update)
    before = action.status
    action.status, action.progress, action.last_update_at = update.status, update.progress, update.created_at
    db.session.flush()
    record(
        actor,
        AuditVerb.CREATE,
        update,
        {"status": [before.value, update.status.value], "progress": [None, update.progress]},
    )
    for request in db.session.scalars(
        sa.select(UpdateRequest).where(UpdateRequest.action_id == action.id, UpdateRequest.answered_at.is_(None))
    ):
        request.answered_at, request.answered_by_update_id = update.created_at, update.id


def evidence_path(actor: Any, action_id: int, update_id: int) -> tuple[Path, str, str]:
    action = action_for(actor, action_id)
    update = db.session.get(FollowUpUpdate, update_id)
    if update is None or update.action_id != action.id or not update.evidence_file_key:
        raise NotFound()
    if not update.is_public and not may_see_internal(actor, action):
        raise NotFound()
    extension = update.evidence_file_name.rsplit(".", 1)[-1].lower()
    return (
        upload_folder("follow-up") / update.evidence_file_key,
        update.evidence_file_name,
        EVIDENCE_TYPES[extension][1],
    )


# ------------------------------------------------------------------------------------------------ hand-over


def next_cycle(cycle: ForumCycle) -> ForumCycle | None:
    return db.session.scalar(
        sa.select(ForumCycle).where(ForumCycle.year > cycle.year).order_by(ForumCycle.year).limit(1)
    )


def open_actions(cycle: ForumCycle) -> list[FollowUpAction]:
    """What the Support Unit reviews at hand-over: the cycle's actions still open, overdue first."""
    return list(
        db.session.scalars(
            sa.select(FollowUpAction)
            .where(FollowUpAction.cycle_id == cycle.id, FollowUpAction.status.not_in(CLOSED_STATUSES))
            .options(*_action_options(), joinedload(FollowUpAction.outcome))
            .order_by(FollowUpAction.due_on.is_(None), FollowUpAction.due_on, FollowUpAction.id)
        )
    )


def carry_over(actor: Any, cycle: ForumCycle, action_ids: list[int], *, note: str = "") -> list[FollowUpAction]:
    """In one step, carry the chosen open actions over to the next cycle: each gets a final "carried over"
    update here and a new action there that links to it and shows its history."""
    require(actor, Action.OUTCOME_EDIT)
    target = next_cycle(cycle)
    if target is None:
        raise ValidationFailed({"": _("There is no next cycle to carry actions over to yet.")})
    chosen = set(action_ids)
    if not chosen:
        raise ValidationFailed({"action_ids": _("Choose at least one open action to carry over.")})
    actions = [a for a in open_actions(cycle) if a.id in chosen]
    if len(actions) != len(chosen):
        raise ValidationFailed({"action_ids": _("Only this cycle's open actions can be carried over.")})
    note = (note or "").strip() or _("Carried over to %(year)s.", year=target.year)
    carried = []
    for action in actions:
        successor = FollowUpAction(
            outcome_id=action.outcome_id,
            cycle_id=target.id,
            description=action.description,
            owner_country_id=action.owner_country_id,
            owner_organisation_id=action.owner_organisation_id,
            due_on=action.due_on,
            due_precision=action.due_precision,
            indicator=action.indicator,
            target=action.target,
            carried_from_id=action.id,
            status=action.status,
            progress=action.progress,
            last_update_at=action.last_update_at,
        )
        successor.co_owners.extend(
            FollowUpCoOwner(country_id=c.country_id, organisation_id=c.organisation_id) for c in action.co_owners
        )
        db.session.add(successor)
        _append(
            actor,
            action,
            FollowUpUpdate(
                action_id=action.id,
                status=FollowUpStatus.CARRIED_OVER,
                progress=action.progress,
                note=note,
                reported_by_id=getattr(actor, "id", None),
            ),
        )
        db.session.flush()
        record(
            actor, AuditVerb.CREATE, successor, {"carried_from_id": [None, action.id], "cycle_id": [None, target.id]}
        )
        carried.append(successor)
    db.session.commit()
    return carried


# ------------------------------------------------------------------------------------------- Chair's review


def record_review(
    actor: Any,
    cycle: ForumCycle,
    *,
    outcome: Outcome | None,
    comment: str,
    requests_update: bool,
    update_due_on: date | None = None,
) -> ChairReview:
    """The Chair team reviews an outcome or the whole cycle; a request for an update goes to the owners of every
    open action under it, into their tasks (and, through the reminder rules, their mail)."""
    require(actor, Action.FOLLOW_UP_REVIEW)
    comment = (comment or "").strip()
    if outcome is not None:
        outcome = outcome_in_cycle(cycle, outcome.id)
    if not comment and not requests_update:
        raise ValidationFailed({"comment": _("Write a comment or ask the owners for an update.")})
    if update_due_on is not None and not today() <= update_due_on <= today() + timedelta(days=365):
        raise ValidationFailed({"update_due_on": _("Ask for the update by a date within the coming year.")})
    open_stmt = sa.select(FollowUpAction).where(
        FollowUpAction.cycle_id == cycle.id, FollowUpAction.status.not_in(CLOSED_STATUSES)
    )
    if outcome is not None:
        open_stmt = open_stmt.where(FollowUpAction.outcome_id == outcome.id)
    targets = list(db.session.scalars(open_stmt)) if requests_update else []
    if requests_update and not targets:
        raise ValidationFailed({"requests_update": _("No open action to ask an update on.")})
    review = ChairReview(
        cycle_id=cycle.id,
        outcome_id=outcome.id if outcome else None,
        reviewed_on=today(),
        reviewer_id=getattr(actor, "id", None),
        comment=comment,
        requests_update=requests_update,
        update_due_on=(update_due_on or today() + timedelta(days=REQUEST_DAYS)) if requests_update else None,
    )
    review.requests.extend(UpdateRequest(action_id=a.id) for a in targets)
    db.session.add(review)
    db.session.flush()
    record(actor, AuditVerb.CREATE, review, snapshot(review, ["cycle_id", "outcome_id", "requests_update"]))
    db.session.commit()
    return review


def reviews_of(cycle: ForumCycle | None, outcome: Outcome | None = None, limit: int = 20) -> list[ChairReview]:
    return list(db.session.scalars(_reviews(cycle.id if cycle else None, outcome.id if outcome else None, limit)))


@built_once
def _reviews(cycle_id: int | None, outcome_id: int | None, limit: int) -> sa.Select:
    stmt = (
        sa.select(ChairReview)
        .options(joinedload(ChairReview.reviewer), joinedload(ChairReview.outcome), joinedload(ChairReview.cycle))
        .order_by(ChairReview.created_at.desc(), ChairReview.id.desc())
        .limit(limit)
    )
    if outcome_id is not None:
        return stmt.where(ChairReview.outcome_id == outcome_id)
    if cycle_id is not None:
        return stmt.where(ChairReview.cycle_id == cycle_id)
    return stmt


class OpenRequest(NamedTuple):
    """A Chair's request for an update, as the owners' list shows it."""

    action_id: int
    outcome_reference: str
    description: str
    due_on: date | None
    comment: str


def open_requests_for(country_ids: set[int] | frozenset[int]) -> list[OpenRequest]:
    """Unanswered requests for an update on open actions these governments own or co-own, in one query."""
    if not country_ids:
        return []
    return [OpenRequest(*row) for row in db.session.execute(_open_requests(frozenset(country_ids)))]


@built_once
def _open_requests(country_ids: frozenset[int]) -> sa.Select:
    """From the governments' actions (a few dozen) to their requests, not from every unanswered request of every
    government: PostgreSQL keeps the written join order (join_collapse_limit=1)."""
    owned = _owned_ids(country_ids).subquery("owned")
    return (
        sa.select(
            UpdateRequest.action_id,
            Outcome.reference,
            FollowUpAction.description,
            ChairReview.update_due_on,
            ChairReview.comment,
        )
        .select_from(owned)
        .join(FollowUpAction, FollowUpAction.id == owned.c.id)
        .join(UpdateRequest, UpdateRequest.action_id == FollowUpAction.id)
        .join(Outcome, Outcome.id == FollowUpAction.outcome_id)
        .join(ChairReview, ChairReview.id == UpdateRequest.review_id)
        .where(UpdateRequest.answered_at.is_(None), FollowUpAction.status.not_in(CLOSED_STATUSES))
        .order_by(UpdateRequest.id)
    )


# --------------------------------------------------------------------------- the review, the list, the exports


@dataclass(frozen=True)
class FollowUpFilters:
    """What the review page, the public follow-up list and the exports filter by; all of it in the URL."""

    cycle_id: int | None = None
    roundtable: int | None = None
    addressee: AddresseeKind | None = None
    owner_country_id: int | None = None
    theme: str | None = None
    status: FollowUpStatus | None = None

    def as_args(self) -> dict[str, Any]:
        args = {
            "roundtable": self.roundtable,
            "addressee": self.addressee.value if self.addressee else None,
            "owner": self.owner_country_id,
            "theme": self.theme,
            "status": self.status.value if self.status else None,
        }
        return {k: v for k, v in args.items() if v is not None}


def _filtered_actions(actor: Any, filters: FollowUpFilters) -> sa.Select:
    """The one query every view of follow-up status starts from: the actions, filtered, of outcomes the actor may
    see. Filtering by cycle uses ix_follow_up_actions_cycle_status_due. What concerns the outcome is asked of the
    action's outcome id (a semi-join), so a list filtered by cycle alone reads no outcome at all: joined, every
    outcome was scanned each time (PostgreSQL hashed them all to keep a cycle's few hundred actions)."""
    return _actions_filtered(may_see_internal(actor), filters)


@built_once
def _actions_filtered(internal: bool, filters: FollowUpFilters) -> sa.Select:
    stmt = sa.select(FollowUpAction)
    of_outcome = []
    if not internal:
        of_outcome.append(Outcome.published_at.is_not(None))
    if filters.roundtable is not None:
        of_outcome.append(
            Outcome.session_id.in_(
                sa.select(RoundtableSession.id)
                .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
                .where(Roundtable.number == filters.roundtable)
            )
        )
    if of_outcome:
        stmt = stmt.where(FollowUpAction.outcome_id.in_(sa.select(Outcome.id).where(*of_outcome)))
    if filters.cycle_id is not None:
        stmt = stmt.where(FollowUpAction.cycle_id == filters.cycle_id)
    if filters.status is not None:
        stmt = stmt.where(FollowUpAction.status == filters.status)
    if filters.addressee is not None:
        stmt = stmt.where(
            FollowUpAction.outcome_id.in_(
                sa.select(OutcomeAddressee.outcome_id).where(OutcomeAddressee.kind == filters.addressee)
            )
        )
    if filters.owner_country_id is not None:
        stmt = stmt.where(owned_by({filters.owner_country_id}))
    if filters.theme is not None:
        stmt = stmt.where(
            FollowUpAction.outcome_id.in_(sa.select(OutcomeTheme.outcome_id).where(OutcomeTheme.code == filters.theme))
        )
    return stmt


def _overdue_first(stmt: sa.Select, day: date) -> sa.Select:
    return stmt.order_by(
        sa.case((_overdue_clause(day), 0), else_=1),
        FollowUpAction.due_on.is_(None),
        FollowUpAction.due_on,
        FollowUpAction.id,
    )


@dataclass(slots=True)
class ActionRow:
    """An action as the follow-up lists, exports and reports show it, read as plain columns: a list of them costs
    a fraction of the ORM objects (an action, its outcome, cycle, owner and co-owners) it stands for."""

    id: int
    outcome_id: int
    outcome_reference: str
    outcome_title: str
    description: str
    cycle_year: int
    owner: str
    due_on: date | None
    due_precision: DatePrecision
    status: FollowUpStatus
    progress: int
    carried_from_id: int | None
    indicator: str
    target: str
    co_owner_names: list[str] = field(default_factory=list)

    def is_overdue(self, day: date) -> bool:
        return is_overdue(self.status, self.due_on, day)


#: the columns of an ActionRow, with the owner as its country's name or its organisation's name and acronym
_ROW_COLUMNS = (
    FollowUpAction.id,
    FollowUpAction.outcome_id,
    Outcome.reference,
    Outcome.title,
    FollowUpAction.description,
    ForumCycle.year,
    Country.name,
    Organisation.name,
    Organisation.acronym,
    FollowUpAction.due_on,
    FollowUpAction.due_precision,
    FollowUpAction.status,
    FollowUpAction.progress,
    FollowUpAction.carried_from_id,
    FollowUpAction.indicator,
    FollowUpAction.target,
)


def _ids(stmt: sa.Select) -> list[int]:
    return list(db.session.scalars(_ids_of(stmt)))


@built_once
def _ids_of(stmt: sa.Select) -> sa.Select:
    """The ids `stmt` selects: one statement for each statement built once."""
    return stmt.with_only_columns(FollowUpAction.id)


def action_rows(stmt: sa.Select) -> list[ActionRow]:
    """The actions `stmt` selects (filtered and ordered) as ActionRows."""
    return _rows_of(_ids(stmt))


def _action_page(stmt: sa.Select, page: int, per_page: int) -> Page:
    """One page of the actions `stmt` selects: the ids of them all (their number is the count), then the rows of
    the page's."""
    shown = page_of(_ids(stmt), page, per_page)
    shown.items = _rows_of(shown.items)
    return shown


def _rows_of(ids: list[int]) -> list[ActionRow]:
    """The ActionRows of these actions, in this order, in two queries: the rows, then their co-owners. Their joins
    (outcome, cycle, owner) are made for these actions only, whatever filter chose them (PostgreSQL, keeping joins
    in their written order, would otherwise join every action before filtering)."""
    if not ids:
        return []
    rows, co_owners = _row_statements()
    by_id: dict[int, ActionRow] = {}
    for row in db.session.execute(rows, {"ids": ids}):
        country, organisation, acronym = row[6:9]
        by_id[row[0]] = ActionRow(*row[:6], country or organisation_label(organisation, acronym), *row[9:])
    for action_id, country, organisation, acronym in db.session.execute(co_owners, {"ids": ids}):
        by_id[action_id].co_owner_names.append(country or organisation_label(organisation, acronym))
    return [by_id[action_id] for action_id in ids]


@built_once
def _row_statements() -> tuple[sa.Select, sa.Select]:
    """The rows of the actions whose ids are the `ids` parameter, and their co-owners."""
    return (
        sa.select(*_ROW_COLUMNS)
        .select_from(FollowUpAction)
        .join(Outcome, Outcome.id == FollowUpAction.outcome_id)
        .join(ForumCycle, ForumCycle.id == FollowUpAction.cycle_id)
        .outerjoin(Country, Country.id == FollowUpAction.owner_country_id)
        .outerjoin(Organisation, Organisation.id == FollowUpAction.owner_organisation_id)
        .where(among(FollowUpAction.id, name="ids")),
        sa.select(FollowUpCoOwner.action_id, Country.name, Organisation.name, Organisation.acronym)
        .outerjoin(Country, Country.id == FollowUpCoOwner.country_id)
        .outerjoin(Organisation, Organisation.id == FollowUpCoOwner.organisation_id)
        .where(among(FollowUpCoOwner.action_id, name="ids"))
        .order_by(FollowUpCoOwner.id),
    )


def review_rows_statement(actor: Any, filters: FollowUpFilters) -> sa.Select:
    """The review's main query: the filtered actions the actor may see, overdue first."""
    return _review_rows(may_see_internal(actor), filters, today())


@built_once
def _review_rows(internal: bool, filters: FollowUpFilters, day: date) -> sa.Select:
    return _overdue_first(_actions_filtered(internal, filters), day)


def follow_up_page(actor: Any, filters: FollowUpFilters, page: int = 1, per_page: int = 50) -> Page:
    """One page of actions, overdue first."""
    return _action_page(review_rows_statement(actor, filters), page, per_page)


def follow_up_rows(actor: Any, filters: FollowUpFilters) -> list[ActionRow]:
    """Every filtered action, for the exports and the printable report (bounded by one cycle or the filters)."""
    return action_rows(review_rows_statement(actor, filters))


def follow_up_actions(actor: Any, filters: FollowUpFilters) -> list[FollowUpAction]:
    """Every filtered action as ORM objects with their cycle, owners and co-owners, for the API."""
    stmt = review_rows_statement(actor, filters).options(*_action_options(), joinedload(FollowUpAction.cycle))
    return list(db.session.scalars(stmt).unique())


class Tally(dict):
    """Counts by key, 0 for a key never counted: a Counter without the cost of making one (a roll-up per owner)."""

    def __missing__(self, key: Any) -> int:
        return 0


@dataclass
class RollUp:
    """Counts of actions by status and the mean progress, for a roundtable, a session, an outcome or a cycle."""

    counts: Tally = field(default_factory=Tally)
    progress_sum: int = 0
    counted: int = 0

    def add(self, status: FollowUpStatus, number: int, progress_sum: int) -> None:
        """Count `number` actions in a status whose progress adds up to `progress_sum`."""
        self.counts[status] += number
        if status != FollowUpStatus.DROPPED:
            self.progress_sum += progress_sum
            self.counted += number

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def progress(self) -> int | None:
        """Mean progress of the actions, dropped ones left out; None when nothing is counted."""
        return round(self.progress_sum / self.counted) if self.counted else None


@dataclass
class ReviewSummary:
    overall: RollUp
    by_roundtable: dict[str, RollUp]
    by_owner: dict[str, RollUp]
    by_addressee: dict[AddresseeKind, RollUp]
    by_theme: dict[str, RollUp]
    overdue: int
    outcome_count: int
    series: list[tuple[str, int]]

    def status_chart(self) -> dict[str, Any]:
        """The stacked bar chart's data: one dataset per status, one bar per roundtable."""
        return {
            "labels": list(self.by_roundtable),
            "datasets": [
                {"key": s.value, "label": str(label), "data": [r.counts[s] for r in self.by_roundtable.values()]}
                for s, label in FOLLOW_UP_STATUS_LABELS.items()
            ],
        }

    def progress_chart(self) -> dict[str, Any]:
        return {"labels": [month for month, _ in self.series], "values": [value for _, value in self.series]}


#: how many owners the review lists, those with the most actions first
REVIEW_OWNERS = 15


def _overdue_clause(day: date):
    return sa.and_(
        FollowUpAction.status.not_in(CLOSED_STATUSES), FollowUpAction.due_on.is_not(None), FollowUpAction.due_on < day
    )


def _counted(status, progress) -> tuple:
    """The last columns of a roll-up's row, grouped by status: the status, the number of actions and the sum of
    their progress, so the database counts the rows and the page reads a few dozen sums."""
    return status, sa.func.count(), sa.func.coalesce(sa.func.sum(progress), 0)


def _rolled_up(status, progress, *keys) -> sa.Select:
    """Per group of `keys` and status: a row of the keys, then _counted."""
    return sa.select(*keys, *_counted(status, progress)).group_by(*keys, status)


def _collect(rows, key=lambda row: row[0]) -> dict[Any, RollUp]:
    """Rows ending with _counted's columns, as a RollUp per key."""
    groups: dict[Any, RollUp] = {}
    for row in rows:
        group = key(row)
        rollup = groups.get(group)
        if rollup is None:
            rollup = groups[group] = RollUp()
        rollup.add(*row[-3:])
    return groups


def review_summary(actor: Any, filters: FollowUpFilters) -> ReviewSummary:
    """The counts and charts of the review page, summed by the database in one query whatever the data size."""
    parts: dict[str, list] = {"scope": [], "owner": [], "addressee": [], "theme": [], "month": []}
    for row in db.session.execute(_summary_statement(may_see_internal(actor), filters, today())):
        parts[row.part].append(row)
    overall = RollUp()
    for row in parts["scope"]:
        overall.add(*row[-3:])
    by_rt = _collect(
        parts["scope"],
        key=lambda row: f"{row.year} RT{row.number}" if row.number is not None else f"{row.year} {row.label}",
    )
    by_owner = _collect(parts["owner"], key=lambda row: row.label)
    by_addressee = _collect(parts["addressee"], key=lambda row: AddresseeKind(row.label))
    by_theme = _collect(parts["theme"], key=lambda row: row.label)
    return ReviewSummary(
        overall=overall,
        by_roundtable=dict(sorted(by_rt.items())),
        by_owner=dict(sorted(by_owner.items(), key=lambda kv: (-kv[1].total, kv[0]))),
        by_addressee=dict(sorted(by_addressee.items(), key=lambda kv: kv[0].value)),
        by_theme=dict(sorted(by_theme.items(), key=lambda kv: int(kv[0][1:]) if kv[0][1:].isdigit() else 0)),
        overdue=sum(row.overdue for row in parts["scope"]),
        outcome_count=parts["scope"][0].outcomes if parts["scope"] else 0,
        # a month's row carries how much the latest reports moved in it as its progress sum
        series=_progress_series(sorted((row.number, row[-1]) for row in parts["month"]), overall.total),
    )


@built_once
def _summary_statement(internal: bool, filters: FollowUpFilters, day: date) -> sa.CompoundSelect:
    """The summary in one statement over the filtered actions (a common table expression, read once): a row per
    part (the scope of a roundtable or series, an owner, an addressee, a theme; a month of the progress chart) and
    status, as (part, label, year, number, overdue, outcomes) and then _counted's columns."""
    acts = (
        _actions_filtered(internal, filters)
        .with_only_columns(
            FollowUpAction.id,
            FollowUpAction.outcome_id,
            FollowUpAction.status,
            FollowUpAction.progress,
            FollowUpAction.owner_country_id,
            FollowUpAction.owner_organisation_id,
            sa.case((_overdue_clause(day), 1), else_=0).label("overdue"),
        )
        .cte("acts")
    )
    none, zero = sa.null(), sa.literal(0)
    outcome_count = sa.select(sa.func.count(sa.distinct(acts.c.outcome_id))).scalar_subquery()
    by_scope = (
        sa.select(
            sa.literal("scope").label("part"),
            Outcome.series.label("label"),
            ForumCycle.year.label("year"),
            Roundtable.number.label("number"),
            sa.func.sum(acts.c.overdue).label("overdue"),
            outcome_count.label("outcomes"),
            *_counted(acts.c.status, acts.c.progress),
        )
        .select_from(acts)
        .join(Outcome, Outcome.id == acts.c.outcome_id)
        .join(ForumCycle, ForumCycle.id == Outcome.cycle_id)
        .outerjoin(RoundtableSession, RoundtableSession.id == Outcome.session_id)
        .outerjoin(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .group_by(ForumCycle.year, Roundtable.number, Outcome.series, acts.c.status)
    )

    def rolled_up(part: str, label, source) -> sa.Select:
        return (
            sa.select(sa.literal(part), label, none, none, zero, zero, *_counted(source.c.status, source.c.progress))
            .select_from(source)
            .group_by(label, source.c.status)
        )

    # the owners with the most actions: the database ranks them and sums only theirs
    owned = (
        sa.select(acts.c.status, acts.c.progress, sa.func.coalesce(Country.name, Organisation.name).label("owner"))
        .select_from(acts)
        .outerjoin(Country, Country.id == acts.c.owner_country_id)
        .outerjoin(Organisation, Organisation.id == acts.c.owner_organisation_id)
        .subquery()
    )
    leading = (
        sa.select(owned.c.owner)
        .group_by(owned.c.owner)
        .order_by(sa.func.count().desc(), owned.c.owner)
        .limit(REVIEW_OWNERS)
    )
    # addressees and themes are both many per outcome: the actions are summed under each
    addressed = (
        sa.select(OutcomeAddressee.outcome_id, OutcomeAddressee.kind)
        .where(OutcomeAddressee.outcome_id.in_(sa.select(acts.c.outcome_id)))
        .distinct()
        .subquery()
    )
    by_addressee = (
        sa.select(acts.c.status, acts.c.progress, sa.cast(addressed.c.kind, sa.String).label("kind"))
        .join_from(acts, addressed, addressed.c.outcome_id == acts.c.outcome_id)
        .subquery()
    )
    by_theme = (
        sa.select(acts.c.status, acts.c.progress, OutcomeTheme.code)
        .join_from(acts, OutcomeTheme, OutcomeTheme.outcome_id == acts.c.outcome_id)
        .subquery()
    )
    month, change = _progress_changes(acts)
    return sa.union_all(
        by_scope,
        rolled_up("owner", owned.c.owner, owned).where(owned.c.owner.in_(leading)),
        rolled_up("addressee", by_addressee.c.kind, by_addressee),
        rolled_up("theme", by_theme.c.code, by_theme),
        sa.select(sa.literal("month"), none, none, month, zero, zero, none, zero, sa.func.sum(change)).group_by(month),
    )


def _progress_series(changes: list[tuple[int, int]], total: int) -> list[tuple[str, int]]:
    """Mean reported progress of the filtered actions at the end of each month in which something was reported:
    each action counts with its latest report up to then (actions not yet reported on count as 0). `changes` are
    (month as yyyymm, how much the latest reports moved in it), in order."""
    if not total:
        return []
    series, reported = [], 0
    for key, change in changes:
        reported += change
        series.append((f"{key // 100:04d}-{key % 100:02d}", round(reported / total)))
    return series[-36:]


def _progress_changes(acts) -> tuple[Any, Any]:
    """(month, change) columns of a subquery: per report of the actions `acts`, its month and how much it moved
    the latest reported progress: its progress less the action's previous report's (a carry-over note moves
    nothing and is not a previous report); the running sum of those changes is the sum of the latest reports."""
    carried = FollowUpUpdate.status == FollowUpStatus.CARRIED_OVER
    previous = sa.func.lag(FollowUpUpdate.progress).over(
        partition_by=(FollowUpUpdate.action_id, carried), order_by=(FollowUpUpdate.created_at, FollowUpUpdate.id)
    )
    month = sa.cast(
        sa.extract("year", FollowUpUpdate.created_at) * 100 + sa.extract("month", FollowUpUpdate.created_at), sa.Integer
    )
    changes = (
        sa.select(
            month.label("month"),
            sa.case((carried, 0), else_=FollowUpUpdate.progress - sa.func.coalesce(previous, 0)).label("change"),
        )
        .where(FollowUpUpdate.action_id.in_(sa.select(acts.c.id)))
        .subquery()
    )
    return changes.c.month, changes.c.change


def outcome_rollups(outcomes: list[Outcome]) -> dict[int, RollUp]:
    """Each outcome's roll-up from its actions, in one query."""
    ids = [o.id for o in outcomes]
    if not ids:
        return {}
    return _collect(
        db.session.execute(
            _rolled_up(FollowUpAction.status, FollowUpAction.progress, FollowUpAction.outcome_id).where(
                among(FollowUpAction.outcome_id, ids)
            )
        )
    )


# -------------------------------------------------------------------------------------------- our follow-up


OURS_PER_PAGE = 30


def our_follow_up(actor: Any, page: int = 1) -> Page:
    """Every action the actor's governments own or co-own, across cycles, a page at a time: open ones first, by
    due date."""
    require(actor, Action.FOLLOW_UP_OURS)
    return _action_page(_ours(principal_of(actor).focal_country_ids), page, OURS_PER_PAGE)


@built_once
def _ours(country_ids: frozenset[int]) -> sa.Select:
    return (
        sa.select(FollowUpAction)
        .where(owned_by(country_ids))
        .order_by(
            sa.case((FollowUpAction.status.in_(CLOSED_STATUSES), 1), else_=0),
            FollowUpAction.due_on.is_(None),
            FollowUpAction.due_on,
            FollowUpAction.id,
        )
    )


# ------------------------------------------------------------------------------------------------- choices


def country_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(sa.select(Country.id, Country.name).order_by(Country.name)).all())


def organisation_choices() -> list[tuple[int, str]]:
    return [
        (i, f"{n} ({a})" if a else n)
        for i, n, a in db.session.execute(
            sa.select(Organisation.id, Organisation.name, Organisation.acronym).order_by(Organisation.name)
        )
    ]


def body_choices() -> list[tuple[int, str]]:
    return list(db.session.execute(sa.select(Body.id, Body.name).order_by(Body.name)).all())


class FilterChoices(NamedTuple):
    roundtable_numbers: list[int]
    #: (id, name) of the governments that own actions
    owner_countries: list[tuple[int, str]]


def filter_choices(cycle: ForumCycle | None) -> FilterChoices:
    """What the follow-up filters offer (for the cycle, or across cycles), in one query: its roundtables' numbers
    and the governments that own actions."""
    choices = FilterChoices([], [])
    for kind, key, name in db.session.execute(_filter_choices(cycle.id if cycle else None)):
        if kind == "roundtable":
            choices.roundtable_numbers.append(key)
        else:
            choices.owner_countries.append((key, name))
    return choices


@built_once
def _filter_choices(cycle_id: int | None) -> sa.CompoundSelect:
    numbers = sa.select(Roundtable.number).distinct()
    owners = sa.select(FollowUpAction.owner_country_id)
    if cycle_id is not None:
        numbers = numbers.where(Roundtable.cycle_id == cycle_id)
        owners = owners.where(FollowUpAction.cycle_id == cycle_id)
    numbers = numbers.subquery()
    return sa.union_all(
        sa.select(sa.literal("roundtable").label("kind"), numbers.c.number.label("key"), sa.literal("").label("name")),
        sa.select(sa.literal("owner"), Country.id, Country.name).where(Country.id.in_(owners)),
    ).order_by("kind", "name", "key")


def _in_cycle(cycle_id: int):
    """Outcomes of the cycle, and older ones whose actions are followed in it."""
    followed = sa.select(FollowUpAction.outcome_id).where(FollowUpAction.cycle_id == cycle_id)
    return sa.or_(Outcome.cycle_id == cycle_id, Outcome.id.in_(followed))


#: the report's order of a cycle's outcomes: by year, roundtable, session and number
_REPORT_ORDER = (
    ForumCycle.year,
    Roundtable.number.is_(None),
    Roundtable.number,
    RoundtableSession.number,
    Outcome.series,
    Outcome.number,
)


def cycle_outcome_list(actor: Any, cycle: ForumCycle) -> list[Outcome]:
    """The outcomes of a cycle and those followed up in it, in the report's order: by year, roundtable, session
    and number."""
    stmt = (
        sa.select(Outcome)
        .join(ForumCycle, ForumCycle.id == Outcome.cycle_id)
        .outerjoin(RoundtableSession, RoundtableSession.id == Outcome.session_id)
        .outerjoin(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .where(_in_cycle(cycle.id))
        .options(*_outcome_options())
        .order_by(*_REPORT_ORDER)
    )
    return list(db.session.scalars(_visible(stmt, actor)).unique())


class OutcomeLine(NamedTuple):
    """An outcome as the cycle's list of outcomes names it."""

    reference: str
    title: str
    is_published: bool
    series: str
    session_reference: str | None
    session_title: str | None


def cycle_outcome_lines(actor: Any, cycle: ForumCycle) -> list[OutcomeLine]:
    """cycle_outcome_list as plain rows, for the list of a cycle's outcomes: one query, no ORM objects."""
    return [
        OutcomeLine(
            reference,
            title,
            published,
            series,
            session_reference(year, roundtable, number) if number is not None else None,
            session_title,
        )
        for reference, title, published, series, year, roundtable, number, session_title in db.session.execute(
            _outcome_lines(cycle.id, may_see_internal(actor))
        )
    ]


@built_once
def _outcome_lines(cycle_id: int, internal: bool) -> sa.Select:
    session_year = aliased(ForumCycle)
    stmt = (
        sa.select(
            Outcome.reference,
            Outcome.title,
            Outcome.published_at.is_not(None),
            Outcome.series,
            session_year.year,
            Roundtable.number,
            RoundtableSession.number,
            RoundtableSession.title,
        )
        .join(ForumCycle, ForumCycle.id == Outcome.cycle_id)
        .outerjoin(RoundtableSession, RoundtableSession.id == Outcome.session_id)
        .outerjoin(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .outerjoin(session_year, session_year.id == Roundtable.cycle_id)
        .where(_in_cycle(cycle_id))
        .order_by(*_REPORT_ORDER)
    )
    return stmt if internal else stmt.where(Outcome.published_at.is_not(None))


def reviewable_outcome_choices(cycle: ForumCycle) -> list[tuple[int, str]]:
    """(id, "reference title") of the outcomes a Chair's review of this cycle may be about, in one query."""
    return [(i, f"{ref} {title}") for i, ref, title in db.session.execute(_reviewable_outcomes(cycle.id))]


@built_once
def _reviewable_outcomes(cycle_id: int) -> sa.Select:
    return (
        sa.select(Outcome.id, Outcome.reference, Outcome.title).where(_in_cycle(cycle_id)).order_by(Outcome.reference)
    )


def outcome_in_cycle(cycle: ForumCycle, outcome_id: int | None) -> Outcome:
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.id == outcome_id, _in_cycle(cycle.id)))
    if outcome is None:
        raise ValidationFailed({"outcome_id": _("This outcome is neither of this cycle nor followed up in it.")})
    return outcome


def party_names(action: FollowUpAction) -> list[tuple[int | None, str]]:
    """(country id or None, name) of the owner and co-owners."""
    parties = [(action.owner_country_id, str(action.owner))]
    parties += [(c.country_id, str(c.party)) for c in action.co_owners]
    return parties


def project_choices() -> list[tuple[int, str]]:
    from forum.partnerships.models import ProjectState

    return list(
        db.session.execute(
            sa.select(PartnershipProject.id, PartnershipProject.title)
            .where(PartnershipProject.state != ProjectState.DRAFT)
            .order_by(PartnershipProject.title)
        ).all()
    )


def working_group_meeting_choices() -> list[tuple[int, str]]:
    from forum.meetings.models import Meeting
    from forum.structure.models import BodyKind

    rows = db.session.execute(
        sa.select(Meeting.id, Meeting.title, Body.name)
        .join(Body, Body.id == Meeting.body_id)
        .where(Body.kind == BodyKind.WORKING_GROUP)
        .order_by(Meeting.starts_at.desc())
        .limit(300)
    )
    return [(i, f"{body}: {title}") for i, title, body in rows]


def latest_cycle_with_outcomes() -> ForumCycle | None:
    return db.session.scalar(
        sa.select(ForumCycle)
        .where(ForumCycle.id.in_(sa.select(Outcome.cycle_id)))
        .order_by(ForumCycle.year.desc())
        .limit(1)
    )
