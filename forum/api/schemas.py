"""What the API returns: marshmallow schemas, also the source of the OpenAPI components."""

from __future__ import annotations

from marshmallow import Schema, fields


class CountrySchema(Schema):
    iso2 = fields.String()
    iso3 = fields.String()
    name = fields.String()
    aliases = fields.Function(lambda c: c.alias_list)


class OrganisationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    acronym = fields.String(allow_none=True)
    kind = fields.Function(lambda o: o.kind.value)
    country = fields.Function(lambda o: o.country.iso2 if o.country else None)


class PersonSchema(Schema):
    """People as the public pages show them: never an e-mail address."""

    id = fields.Integer()
    name = fields.String()
    honorific = fields.String(allow_none=True)
    title = fields.String(allow_none=True)


class CycleSchema(Schema):
    year = fields.Integer()
    chair = fields.Function(lambda c: c.chair_country.name)
    chair_iso2 = fields.Function(lambda c: c.chair_country.iso2)
    theme = fields.String(allow_none=True)
    summit_city = fields.String(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    summit_starts_on = fields.Date(allow_none=True)
    summit_ends_on = fields.Date(allow_none=True)
    status = fields.Function(lambda c: c.status.value)
    is_fictional = fields.Boolean()


class TroikaSchema(Schema):
    previous = fields.Function(lambda t: t.previous.chair_country.name if t.previous else None)
    current = fields.Function(lambda t: t.current.chair_country.name)
    next = fields.Function(lambda t: t.next.chair_country.name if t.next else None)


class CycleDetailSchema(CycleSchema):
    troika = fields.Nested(TroikaSchema)


class BodySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    acronym = fields.String(allow_none=True)
    kind = fields.Function(lambda b: b.kind.value)
    track = fields.Function(lambda b: b.track.value)
    cycle = fields.Function(lambda b: b.cycle.year if b.cycle else None)


class MembershipSchema(Schema):
    id = fields.Integer()
    body_id = fields.Integer()
    body = fields.Function(lambda m: m.body.name)
    member_kind = fields.Function(lambda m: m.member_kind.value)
    member = fields.Function(lambda m: str(m.member))
    country = fields.Function(lambda m: m.country.iso2 if m.country else None)
    on_behalf_of = fields.Function(lambda m: m.on_behalf_of.iso2 if m.on_behalf_of else None)
    role = fields.Function(lambda m: m.role.value)
    starts_on = fields.Date()
    starts_precision = fields.Function(lambda m: m.starts_precision.value)
    ends_on = fields.Date(allow_none=True)
    ends_precision = fields.Function(lambda m: m.ends_precision.value)
    status = fields.Function(lambda m: m.status.value)
    replaces_id = fields.Integer(allow_none=True)


class PageSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class OrganisationPageSchema(PageSchema):
    items = fields.List(fields.Nested(OrganisationSchema))


class MembershipPageSchema(PageSchema):
    items = fields.List(fields.Nested(MembershipSchema))


class ErrorSchema(Schema):
    status = fields.Integer()
    error = fields.String()
    message = fields.String()
