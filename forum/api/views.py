"""Read endpoints for the public data. Each docstring's YAML part is the operation in the OpenAPI document."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from marshmallow import Schema

from forum.api import schemas
from forum.core.dates import today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.pagination import Page
from forum.directory import services as directory
from forum.structure import services as structure
from forum.structure.models import MemberKind

bp = Blueprint("api", __name__, url_prefix="/api/v1")


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


def _listing(schema: Schema, page: Page):
    return jsonify(
        items=schema.dump(page.items, many=True),
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )


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
