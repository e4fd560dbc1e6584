"""The JSON API: public reads, the token owner's own view of them, and the follow-up and PfP reports a token's owner
sends. Each docstring's YAML part is the operation in the OpenAPI document.

Who may see or do what comes from the areas' services and `can()`, as on the web pages; the API only picks the
reader (a personal token's owner, or the public: never the browser session) and shapes the answer.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from marshmallow import Schema

from forum.api import schemas
from forum.core.dates import today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.pagination import Page, page_of
from forum.core.permissions import Action, can, principal_of, require
from forum.core.themes import THEMES
from forum.directory import services as directory
from forum.extensions import csrf, db
from forum.meetings import services as meetings
from forum.meetings.models import AgendaStatus, MinutesStatus
from forum.outcomes import services as outcomes
from forum.outcomes.models import FollowUpStatus, OutcomeKind
from forum.papers import services as papers
from forum.papers.models import DocumentVersion
from forum.partnerships import services as partnerships
from forum.partnerships.models import ProjectStage
from forum.roundtables import services as roundtables
from forum.roundtables.models import RoleKind, TeamStatus
from forum.structure import services as structure
from forum.structure.models import MemberKind

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Browser cookies never authenticate here (see api_user), so a forged cross-site request carries no authority;
# a personal token has to be sent in a header, which another site cannot make a browser do.
csrf.exempt(bp)

OUTCOMES_PER_PAGE = 50


def _page_number(name: str, default: int, upper: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= upper:
        raise ValidationFailed({name: f"{name} must be a whole number from 1 to {upper}"})
    return int(raw)


def _day(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed({name: f"{name} must be a date written YYYY-MM-DD"}) from None


def _optional_number(name: str, upper: int) -> int | None:
    if not request.args.get(name):
        return None
    return _page_number(name, 1, upper)


def _choice(name: str, allowed) -> str | None:
    raw = request.args.get(name)
    if not raw:
        return None
    allowed = [str(a) for a in allowed]
    if raw not in allowed:
        raise ValidationFailed({name: f"{name} must be one of {', '.join(allowed)}"})
    return raw


def _listing(schema: Schema, page: Page):
    return jsonify(
        items=schema.dump(page.items, many=True),
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )


def _cycle(year: int):
    found = structure.cycle_by_year(year)
    if found is None:
        raise NotFound(f"There is no {year} cycle.")
    return found


class AsSeen:
    """An object as one reader may see it: what the view worked out for them (the team members they may see, the
    state they may know) beside the object's own attributes. The schemas read such fields under names the models
    do not have, so one the view did not work out is left out, never filled in from the model."""

    def __init__(self, obj: Any, **shown: Any) -> None:
        self._obj = obj
        self.__dict__.update(shown)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


@bp.get("/cycles")
def cycles():
    """The chairmanship cycles, oldest first.
    ---
    get:
      tags: [structure]
      summary: List the cycles
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: CycleSchema}
    """
    return jsonify(items=schemas.CycleSchema(many=True).dump(structure.cycles_overview()))


@bp.get("/cycles/<int:year>")
def cycle(year: int):
    """One cycle with its Troika, computed from the neighbouring cycles.
    ---
    get:
      tags: [structure]
      summary: One cycle
      parameters:
      - {in: path, name: year, required: true, schema: {type: integer}}
      responses:
        200: {content: {application/json: {schema: CycleDetailSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    found = structure.cycle_by_year(year)
    if found is None:
        raise NotFound(f"There is no {year} cycle.")
    data = schemas.CycleSchema().dump(found)
    data["troika"] = schemas.TroikaSchema().dump(structure.troika_of(found))
    return jsonify(data)


@bp.get("/bodies")
def bodies():
    """Every body, standing or of one cycle.
    ---
    get:
      tags: [structure]
      summary: List the bodies
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: BodySchema}
    """
    return jsonify(items=schemas.BodySchema(many=True).dump(structure.bodies_overview()))


@bp.get("/bodies/<int:body_id>/members")
def body_members(body_id: int):
    """The members of a body on a date (today unless `on` is given).
    ---
    get:
      tags: [structure]
      summary: Members of a body on a date
      parameters:
      - {in: path, name: body_id, required: true, schema: {type: integer}}
      - {in: query, name: on, schema: {type: string, format: date}}
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  on: {type: string, format: date}
                  items: {type: array, items: MembershipSchema}
        400: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    body = structure.body_with_cycle(body_id)
    day = _day("on") or today()
    members = structure.members_on(body, day)
    return jsonify(on=day.isoformat(), items=schemas.MembershipSchema(many=True).dump(members))


@bp.get("/bodies/<int:body_id>/memberships")
def body_memberships(body_id: int):
    """A body's whole history of memberships, a page at a time.
    ---
    get:
      tags: [structure]
      summary: History of a body
      parameters:
      - {in: path, name: body_id, required: true, schema: {type: integer}}
      - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
      responses:
        200:
          content:
            application/json:
              schema: MembershipPageSchema
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    body = structure.body_with_cycle(body_id)
    return _listing(schemas.MembershipSchema(), structure.body_history_page(body, _page_number("page", 1, 100_000)))


@bp.get("/countries/<iso2>/roles")
def country_roles(iso2: str):
    """Every role a government held, with those its officials held on its behalf.
    ---
    get:
      tags: [directory]
      summary: Roles of a government
      parameters:
      - {in: path, name: iso2, required: true, schema: {type: string, minLength: 2, maxLength: 2}}
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  country: CountrySchema
                  items: {type: array, items: MembershipSchema}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    country = directory.country_by_code(iso2)
    if country is None:
        raise NotFound(f"There is no country with the code {iso2[:3]!r}.")
    roles = structure.roles_of(MemberKind.GOVERNMENT, country.id)
    return jsonify(country=schemas.CountrySchema().dump(country), items=schemas.MembershipSchema(many=True).dump(roles))


@bp.get("/organisations")
def organisations():
    """The organisations in the directory, a page at a time, optionally searched.
    ---
    get:
      tags: [directory]
      summary: List organisations
      parameters:
      - {in: query, name: q, schema: {type: string}}
      - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
      responses:
        200:
          content:
            application/json:
              schema: OrganisationPageSchema
        400: {content: {application/json: {schema: ErrorSchema}}}
    """
    search = request.args.get("q", "").strip()[:100] or None
    page = directory.organisation_page(search, None, _page_number("page", 1, 100_000))
    return _listing(schemas.OrganisationSchema(), page)


def api_user():
    """The user whose personal token came with the request (never the browser session): 401 without one."""
    from forum.api.services import user_for_bearer

    user = user_for_bearer(request.headers.get("Authorization"))
    if user is None:
        abort(401, description="Send a valid personal API token: Authorization: Bearer <token>.")
    return user


def _reader():
    """Who reads: the token's owner when a token is sent (a wrong or revoked one is a 401, not the public view),
    otherwise the public (None, as for an anonymous visitor of the web pages)."""
    if "Authorization" not in request.headers:
        return None
    return api_user()


@bp.get("/me")
def me():
    """Who the token belongs to, and the roles they hold today (what the API lets them do follows from these).
    ---
    get:
      tags: [account]
      summary: The token's owner
      security: [{bearerAuth: []}]
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  acts_for: {type: string, nullable: true}
                  roles: {type: array, items: MembershipSchema}
        401: {content: {application/json: {schema: ErrorSchema}}}
    """
    user = api_user()
    today_roles = [m for m in structure.roles_of(MemberKind.PERSON, user.person_id) if m.active_on(today())]
    acts_for = user.acts_for_country or user.acts_for_organisation
    return jsonify(
        name=user.person.name,
        acts_for=str(acts_for) if acts_for else None,
        roles=schemas.MembershipSchema(many=True).dump(today_roles),
    )


# ---------------------------------------------------------------------------------------------- roundtables


@bp.get("/cycles/<int:year>/sessions")
def cycle_sessions(year: int):
    """A cycle's roundtables, each with its sessions and their co-chairs.
    ---
    get:
      tags: [roundtables]
      summary: Roundtables and sessions of a cycle
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: year, required: true, schema: {type: integer}}
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  cycle: {type: integer}
                  items: {type: array, items: RoundtableSchema}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    _reader()  # the same for everyone, but a bad token is still refused
    found = _cycle(year)
    shown = []
    for rt in roundtables.cycle_roundtables(found):
        sessions = [
            AsSeen(s, co_chairs=[r for r in rt.roles if r.session_id == s.id and r.kind == RoleKind.CO_CHAIR])
            for s in rt.sessions
        ]
        shown.append(AsSeen(rt, shown_sessions=sessions))
    return jsonify(cycle=found.year, items=schemas.RoundtableSchema(many=True).dump(shown))


def _latest_file_urls(documents) -> dict[int, str | None]:
    """The download address of each document's latest version, if that version is a file; one query."""
    latest: dict[int, tuple[int, int, bool]] = {}
    rows = db.session.execute(
        sa.select(
            DocumentVersion.document_id, DocumentVersion.number, DocumentVersion.id, DocumentVersion.file_key != ""
        ).where(DocumentVersion.document_id.in_([d.id for d in documents]))
    )
    for document_id, number, version_id, has_file in rows:
        if document_id not in latest or number > latest[document_id][0]:
            latest[document_id] = (number, version_id, has_file)
    return {
        document_id: url_for("papers.version_download", version_id=version_id, _external=True) if has_file else None
        for document_id, (_number, version_id, has_file) in latest.items()
    }


@bp.get("/sessions/<ref>")
def session(ref: str):
    """A session by its stable reference (`2010-RT2.1`): co-chairs, roles, team, documents and outcomes. The public
    sees the accepted team and published documents; a token's owner also what the session page shows them (their
    government's request to join; the drafts of a session they prepare).
    ---
    get:
      tags: [roundtables]
      summary: One session
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: ref, required: true, schema: {type: string}, example: 2010-RT2.1}
      responses:
        200: {content: {application/json: {schema: SessionDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    found = roundtables.session_by_reference(ref)
    may_prepare = can(reader, Action.PREPARATION_VIEW, found)
    focal = principal_of(reader).focal_country_ids
    documents = papers.session_documents(reader, found)
    file_urls = _latest_file_urls(documents) if documents else {}
    shown = AsSeen(
        found,
        other_roles=[r for r in found.roles if r.kind != RoleKind.CO_CHAIR],
        shown_roundtable_roles=roundtables.roundtable_roles(found),
        # as on the session page: the accepted team; every request for those who prepare it; one's own request
        shown_team=[m for m in found.team if m.status == TeamStatus.ACCEPTED or may_prepare or m.country_id in focal],
        shown_documents=[AsSeen(d, latest_file_url=file_urls.get(d.id)) for d in documents],
        shown_outcomes=outcomes.session_outcomes(reader, found),
    )
    return jsonify(schemas.SessionDetailSchema().dump(shown))


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """A session's document with its versions and their files; an unpublished one only for those who prepare the
    session (it does not exist for anyone else).
    ---
    get:
      tags: [roundtables]
      summary: One document
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: document_id, required: true, schema: {type: integer}}
      responses:
        200: {content: {application/json: {schema: DocumentDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(schemas.DocumentDetailSchema().dump(papers.document_for(_reader(), document_id)))


# ---------------------------------------------------------------------------------------------- outcomes


@bp.get("/cycles/<int:year>/outcomes")
def cycle_outcomes(year: int):
    """A cycle's follow-up report: its outcomes (and older ones followed up in it), each with the actions followed
    up in this cycle and their current status, a page at a time. Only published outcomes, unless the token's owner
    records or reviews them.
    ---
    get:
      tags: [outcomes]
      summary: Outcomes of a cycle with their follow-up
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: year, required: true, schema: {type: integer}}
      - in: query
        name: session
        description: a session's outcomes
        schema: {type: string, pattern: '^\\d{4}-RT\\d{1,2}\\.\\d{1,2}$'}
      - {in: query, name: roundtable, schema: {type: integer, minimum: 1, maximum: 20}}
      - in: query
        name: kind
        schema: {type: string, enum: [policy_recommendation, institutional, research, partnership]}
      - in: query
        name: status
        description: outcomes with an action in this state, with those actions only
        schema: {type: string, enum: [not_started, in_progress, done, stalled, dropped, carried_over]}
      - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
      responses:
        200: {content: {application/json: {schema: CycleOutcomePageSchema}}}
        400: {content: {application/json: {schema: ErrorSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    found = _cycle(year)
    reference = request.args.get("session") or None
    if reference is not None and not roundtables.REFERENCE.match(reference):
        raise ValidationFailed({"session": "session must be a session's reference, such as 2010-RT2.1"})
    roundtable = _optional_number("roundtable", 20)
    kind = _choice("kind", [k.value for k in OutcomeKind])
    status = _choice("status", [s.value for s in FollowUpStatus])
    page = _page_number("page", 1, 100_000)
    filters = outcomes.FollowUpFilters(
        cycle_id=found.id, roundtable=roundtable, status=FollowUpStatus(status) if status else None
    )
    followed: dict[int, list] = {}
    for action in outcomes.follow_up_actions(reader, filters):
        followed.setdefault(action.outcome_id, []).append(action)
    listed = []
    for outcome in outcomes.cycle_outcome_list(reader, found):
        its_session = outcome.session
        if reference is not None and (its_session is None or its_session.reference != reference):
            continue
        if roundtable is not None and (its_session is None or its_session.roundtable.number != roundtable):
            continue
        if (kind is not None and outcome.kind != kind) or (status is not None and outcome.id not in followed):
            continue
        listed.append(AsSeen(outcome, followed_actions=followed.get(outcome.id, [])))
    return _listing(schemas.CycleOutcomeSchema(), page_of(listed, page, OUTCOMES_PER_PAGE))


@bp.get("/outcomes/<reference>")
def outcome(reference: str):
    """An outcome by its reference (`2010-RT2.1-1`): its text, addressees, revisions and actions in every cycle.
    ---
    get:
      tags: [outcomes]
      summary: One outcome
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: reference, required: true, schema: {type: string}, example: 2010-RT2.1-1}
      responses:
        200: {content: {application/json: {schema: OutcomeDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    return jsonify(schemas.OutcomeDetailSchema().dump(outcomes.outcome_by_reference(_reader(), reference)))


@bp.get("/actions/<int:action_id>")
def action(action_id: int):
    """A follow-up action with its reports, newest first, through the actions it was carried over from (internal
    reports only for the Support Unit, the Chair team and the owners).
    ---
    get:
      tags: [outcomes]
      summary: One follow-up action
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: action_id, required: true, schema: {type: integer}}
      responses:
        200: {content: {application/json: {schema: ActionDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    found = outcomes.action_for(reader, action_id)
    return jsonify(schemas.ActionDetailSchema().dump(AsSeen(found, timeline=outcomes.timeline(reader, found))))


def _json_object() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"": "Send a JSON object, with Content-Type: application/json."})
    return data


def _text(data: dict, name: str, limit: int = schemas.TEXT_MAX) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed({name: f"{name} must be text"})
    if len(value) > limit:
        raise ValidationFailed({name: f"{name} must be at most {limit} characters"})
    return value.replace("\x00", "")  # as the web forms drop them (forum.core.web.Parameters)


def _flag(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise ValidationFailed({name: f"{name} must be true or false"})
    return value


def _json_day(data: dict, name: str) -> date | None:
    """A date, or None when it is missing (the service says what is missing, as it does for the web form)."""
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:  # fromisoformat takes 20101109 too; the API does not
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({name: f"{name} must be a date written YYYY-MM-DD"}) from None


@bp.post("/actions/<int:action_id>/updates")
def action_updates(action_id: int):
    """Report progress on a follow-up action your government owns or co-owns, as the action's page does: the same
    rules and messages (an out-of-range progress, a closed action, a link that is not http(s) are a 400).
    ---
    post:
      tags: [outcomes]
      summary: Report progress on an action
      security: [{bearerAuth: []}]
      parameters:
      - {in: path, name: action_id, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content: {application/json: {schema: FollowUpReportSchema}}
      responses:
        201:
          headers: {Location: {schema: {type: string}, description: the action}}
          content: {application/json: {schema: FollowUpUpdateSchema}}
        400: {content: {application/json: {schema: ErrorSchema}}}
        401: {description: no token, or a revoked one, content: {application/json: {schema: ErrorSchema}}}
        403:
          description: your government does not own the action
          content: {application/json: {schema: ErrorSchema}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    user = api_user()
    found = outcomes.action_for(user, action_id)
    require(user, Action.FOLLOW_UP_REPORT, found)  # before reading the report: a refusal is not a form error
    data = _json_object()
    status, progress = data.get("status"), data.get("progress")
    behalf = data.get("on_behalf_of")
    behalf_id = None
    if behalf not in (None, ""):
        country = directory.country_by_code(behalf) if isinstance(behalf, str) else None
        if country is None or country.id not in found.country_ids:
            owners = ", ".join(name for country_id, name in outcomes.party_names(found) if country_id)
            raise ValidationFailed({"on_behalf_of": f"on_behalf_of must be one of the owning governments: {owners}"})
        behalf_id = country.id
    update = outcomes.report_progress(
        user,
        found,
        # a value that is not a status or a whole number reaches the service as none, which says what it needs
        status=FollowUpStatus(status) if status in {s.value for s in FollowUpStatus} else None,
        progress=progress if isinstance(progress, int) and not isinstance(progress, bool) else None,
        note=_text(data, "note"),
        is_public=not _flag(data, "is_internal"),
        evidence_url=_text(data, "evidence_url", 500),
        on_behalf_of_country_id=behalf_id,
    )
    response = jsonify(schemas.FollowUpUpdateSchema().dump(update))
    response.status_code = 201
    response.headers["Location"] = url_for("api.action", action_id=found.id, _external=True)
    return response


# ---------------------------------------------------------------------------------------------- partnerships


def _project_as_seen(reader, project) -> AsSeen:
    """A project with what this reader may know of it, as its web page decides: the state they may know, the
    decision once published (before, for the Support Unit and the reviewing body only), the contact's address
    for those signed in."""
    may_see_review = can(reader, Action.PFP_REVIEW_VIEW, project)
    return AsSeen(
        project,
        shown_state=partnerships.shown_state(reader, project).value,
        shown_decision=project if project.decision and (project.published_at or may_see_review) else None,
        shown_reviewing_body=project.reviewing_body.name
        if project.reviewing_body and (may_see_review or project.published_at)
        else None,
        shown_contact_email=(project.contact_email or None) if reader is not None else None,
    )


@bp.get("/partnerships")
def partnerships_catalogue():
    """The public catalogue of the Platform for Partnerships: accepted, published projects, newest first,
    filtered and searched as the catalogue page is. A token's own projects are at /partnerships/ours.
    ---
    get:
      tags: [partnerships]
      summary: The PfP catalogue
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: query, name: theme, schema: {type: string, enum: [T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13]}}
      - {in: query, name: stage, schema: {type: string, enum: [initiation, design, implementation, completion]}}
      - in: query
        name: country
        description: a proposing or partner government, by its ISO code
        schema: {type: string, pattern: '^[A-Za-z]{2}$'}
      - {in: query, name: need, schema: {type: string, enum: [partners, expertise, funding]}}
      - {in: query, name: q, schema: {type: string, maxLength: 200}}
      - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
      responses:
        200: {content: {application/json: {schema: ProjectPageSchema}}}
        400: {content: {application/json: {schema: ErrorSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    theme = _choice("theme", THEMES)
    stage = _choice("stage", [s.value for s in ProjectStage])
    need = _choice("need", partnerships.NEEDS)
    page = _page_number("page", 1, 100_000)
    iso2 = request.args.get("country") or None
    if iso2 is not None and not re.fullmatch(r"[A-Za-z]{2}", iso2):
        raise ValidationFailed({"country": "country must be a two-letter ISO code"})
    country = directory.country_by_code(iso2) if iso2 else None
    if iso2 is not None and country is None:  # no government by that code proposes or joins anything
        found = Page(items=[], page=1, per_page=partnerships.CATALOGUE_PER_PAGE, total=0)
    else:
        filters = partnerships.CatalogueFilters(
            theme=theme,
            stage=ProjectStage(stage) if stage else None,
            country_id=country.id if country else None,
            need=need,
            q=request.args.get("q", "")[:200],
        )
        found = partnerships.catalogue(filters, page)
    found.items = [_project_as_seen(reader, p) for p in found.items]
    return _listing(schemas.ProjectSchema(), found)


@bp.get("/partnerships/ours")
def our_partnerships():
    """Every project the token owner's governments propose, in any state, as on their *Our projects* page (a
    decision shows once it is published).
    ---
    get:
      tags: [partnerships]
      summary: Our projects
      security: [{bearerAuth: []}]
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: ProjectSummarySchema}
        401: {content: {application/json: {schema: ErrorSchema}}}
    """
    user = api_user()
    projects = [_project_as_seen(user, p) for p in partnerships.our_projects(user)]
    return jsonify(items=schemas.ProjectSummarySchema(many=True).dump(projects))


@bp.get("/partnerships/<int:project_id>")
def partnership(project_id: int):
    """One project: public once accepted and published; before, only for those its page is for (its proposing
    governments; once submitted, the Support Unit and the reviewing body). For anyone else it does not exist.
    ---
    get:
      tags: [partnerships]
      summary: One PfP project
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: project_id, required: true, schema: {type: integer}}
      responses:
        200: {content: {application/json: {schema: ProjectDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    found = partnerships.project_detail(reader, project_id)
    return jsonify(schemas.ProjectDetailSchema().dump(_project_as_seen(reader, found)))


@bp.post("/partnerships/<int:project_id>/reports")
def partnership_reports(project_id: int):
    """A progress report on an accepted, published project your government proposes, as its page takes one: the
    same rules and messages (a period that ends before it starts or in the future, no progress written: 400).
    ---
    post:
      tags: [partnerships]
      summary: Report progress on a PfP project
      security: [{bearerAuth: []}]
      parameters:
      - {in: path, name: project_id, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content: {application/json: {schema: ProjectReportInputSchema}}
      responses:
        201:
          headers: {Location: {schema: {type: string}, description: the project}}
          content: {application/json: {schema: ProgressReportSchema}}
        400: {content: {application/json: {schema: ErrorSchema}}}
        401: {description: no token, or a revoked one, content: {application/json: {schema: ErrorSchema}}}
        403:
          description: your government does not propose the project
          content: {application/json: {schema: ErrorSchema}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    user = api_user()
    found = partnerships.project_detail(user, project_id)
    require(user, Action.PFP_REPORT_SUBMIT, found)  # before reading the report: a refusal is not a form error
    data = _json_object()
    stage = data.get("stage_after")
    if stage not in (None, "") and stage not in {s.value for s in ProjectStage}:
        raise ValidationFailed(
            {"stage_after": f"stage_after must be one of {', '.join(s.value for s in ProjectStage)}"}
        )
    report = partnerships.submit_report(
        user,
        found,
        period_start=_json_day(data, "period_start"),
        period_end=_json_day(data, "period_end"),
        progress=_text(data, "progress"),
        stage_after=ProjectStage(stage) if stage else None,
        results=_text(data, "results"),
        next_steps=_text(data, "next_steps"),
        is_final=_flag(data, "is_final"),
    )
    response = jsonify(schemas.ProgressReportSchema().dump(report))
    response.status_code = 201
    response.headers["Location"] = url_for("api.partnership", project_id=found.id, _external=True)
    return response


# ---------------------------------------------------------------------------------------------- meetings


@bp.get("/meetings")
def meeting_list():
    """The meetings the reader may see (the public ones; with a token, also the internal meetings of one's bodies
    and those one is invited to), in date order, a page at a time.
    ---
    get:
      tags: [meetings]
      summary: List meetings
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: query, name: year, description: a cycle's meetings, schema: {type: integer, minimum: 1900, maximum: 2200}}
      - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 100000}}
      responses:
        200: {content: {application/json: {schema: MeetingPageSchema}}}
        400: {content: {application/json: {schema: ErrorSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    year = _optional_number("year", 2200)
    found = _cycle(year) if year else None
    page = meetings.meeting_list(reader, cycle=found, page=_page_number("page", 1, 100_000))
    return _listing(schemas.MeetingSchema(), page)


@bp.get("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    """One meeting as its page shows it: the agenda once published, the invitees (their replies to a token's
    owner), the minutes once final (circulated ones to those who attended) and the decisions with them.
    ---
    get:
      tags: [meetings]
      summary: One meeting
      security: [{}, {bearerAuth: []}]
      parameters:
      - {in: path, name: meeting_id, required: true, schema: {type: integer}}
      responses:
        200: {content: {application/json: {schema: MeetingDetailSchema}}}
        401: {content: {application/json: {schema: ErrorSchema}}}
        404: {content: {application/json: {schema: ErrorSchema}}}
    """
    reader = _reader()
    found = meetings.meeting_detail(reader, meeting_id)
    may_read_minutes = meetings.can_read_minutes(reader, found)
    agenda_shown = found.agenda_status == AgendaStatus.PUBLISHED or can(reader, Action.MEETING_EDIT, found)
    shown = AsSeen(
        found,
        shown_agenda=found.agenda_items if agenda_shown else [],
        shown_invitees=[
            AsSeen(i, shown_reply=i.reply.value if reader is not None else None) for i in found.invitations
        ],
        shown_minutes=found.minutes_text if may_read_minutes else None,
        shown_decisions=found.decisions if may_read_minutes or found.minutes_status == MinutesStatus.FINAL else [],
    )
    return jsonify(schemas.MeetingDetailSchema().dump(shown))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API, generated from the views above."""
    from forum.api.spec import build_spec

    return jsonify(build_spec(current_app))


@bp.get("/")
def docs():
    """A readable page of the API's operations, from the same OpenAPI document."""
    from forum.api.spec import build_spec

    return render_template("api/docs.html", spec=build_spec(current_app))
