"""What the API returns: marshmallow schemas, also the source of the OpenAPI components."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from forum.core.dates import today
from forum.core.models import DatePrecision
from forum.directory.models import Country, Organisation
from forum.meetings.models import AgendaStatus, MeetingKind, MeetingStatus, MinutesStatus, ProgrammeRoleKind
from forum.outcomes.models import AddresseeKind, CommitmentStrength, FollowUpStatus, OutcomeKind
from forum.papers.models import DocumentKind, DocumentState, Language
from forum.partnerships.models import DecisionOutcome, PartnerRole, ProjectStage, ProjectState
from forum.roundtables.models import RoleKind, TeamMemberKind, TeamStatus
from forum.structure.models import Track

#: the web forms' limits on a note or a report's texts
TEXT_MAX = 5000


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


# Fields whose value depends on who reads (a state not yet told, a team's pending requests, an unpublished
# decision) read attributes the models do not have: only the views set them, on forum.api.views.AsSeen, so a
# view that forgets one leaves the field out instead of falling back on the model's own value.


def _values(enum_cls) -> list[str]:
    return [member.value for member in enum_cls]


def _enum(getter, enum_cls) -> fields.Function:
    """An enum's value, with its choices in the OpenAPI document."""
    return fields.Function(getter, metadata={"type": "string", "enum": _values(enum_cls)})


def _optional_enum(name: str, enum_cls) -> fields.Function:
    def value(obj):
        member = getattr(obj, name)
        return member.value if member is not None else None

    return fields.Function(value, metadata={"type": ["string", "null"], "enum": [*_values(enum_cls), None]})


def _link(endpoint: str, **arguments) -> fields.Function:
    """The absolute address of a page or operation, its arguments read from the object (name -> attribute)."""
    return fields.Function(
        lambda obj: url_for(endpoint, _external=True, **{k: getattr(obj, a) for k, a in arguments.items()}),
        metadata={"type": "string"},
    )


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _party_kind(party) -> str:
    if isinstance(party, Country):
        return "government"
    return "organisation" if isinstance(party, Organisation) else "person"


class PartySchema(Schema):
    """A government, an organisation or a person, named as the public pages name them."""

    kind = fields.Function(_party_kind, metadata={"type": "string", "enum": ["government", "organisation", "person"]})
    name = fields.Function(str, metadata={"type": "string"})
    iso2 = fields.Function(lambda party: getattr(party, "iso2", None), metadata={"type": ["string", "null"]})


def _parties(getter) -> fields.Function:
    return fields.Function(
        lambda obj: PartySchema(many=True).dump(getter(obj)), metadata={"type": "array", "items": _ref("PartySchema")}
    )


# ------------------------------------------------------------------------------------- roundtables and papers


class SessionRoleSchema(Schema):
    kind = _enum(lambda r: r.kind.value, RoleKind)
    holder = fields.Nested(PartySchema)
    note = fields.String()


class SessionSummarySchema(Schema):
    reference = fields.String()
    code = fields.String()
    number = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime(allow_none=True)
    timezone = fields.String()
    is_date_estimated = fields.Boolean()
    room = fields.String()
    is_team_closed = fields.Boolean()
    co_chairs = fields.List(fields.Nested(SessionRoleSchema))
    url = _link("api.session", ref="reference")


class RoundtableSchema(Schema):
    reference = fields.String()
    number = fields.Integer()
    title = fields.String()
    coordinator = fields.Nested(PartySchema, allow_none=True)
    sessions = fields.List(fields.Nested(SessionSummarySchema), attribute="shown_sessions")


class RoundtableReferenceSchema(Schema):
    reference = fields.String()
    number = fields.Integer()
    title = fields.String()


class TeamMemberSchema(Schema):
    kind = _enum(lambda m: m.kind.value, TeamMemberKind)
    member = fields.Nested(PartySchema)
    status = _enum(lambda m: m.status.value, TeamStatus)


class DocumentSchema(Schema):
    """A session's document. Its files are served by the web download, which checks again who may have them."""

    id = fields.Integer()
    kind = _enum(lambda d: d.kind.value, DocumentKind)
    title = fields.String()
    language = _enum(lambda d: d.language.value, Language)
    state = _enum(lambda d: d.state.value, DocumentState)
    published_at = fields.DateTime(allow_none=True)
    author = fields.Nested(PartySchema, allow_none=True)
    translation_of_id = fields.Integer(allow_none=True)
    url = _link("api.document", document_id="id")
    page_url = _link("papers.document_detail", document_id="id")


class SessionDocumentSchema(DocumentSchema):
    file_url = fields.String(
        allow_none=True, attribute="latest_file_url", metadata={"description": "The latest version's file, if any"}
    )


class DocumentVersionSchema(Schema):
    number = fields.Integer()
    created_at = fields.DateTime()
    note = fields.String()
    file_name = fields.Function(lambda v: v.file_name or None, metadata={"type": ["string", "null"]})
    file_size = fields.Function(lambda v: v.file_size if v.file_key else None, metadata={"type": ["integer", "null"]})
    file_url = fields.Function(
        lambda v: url_for("papers.version_download", version_id=v.id, _external=True) if v.file_key else None,
        metadata={"type": ["string", "null"]},
    )
    has_text = fields.Function(lambda v: bool(v.text), metadata={"type": "boolean"})


class DocumentDetailSchema(DocumentSchema):
    session = fields.Function(lambda d: d.session.reference, metadata={"type": "string"})
    versions = fields.List(fields.Nested(DocumentVersionSchema))
    text = fields.Function(
        lambda d: d.versions[-1].text if d.versions else "",
        metadata={"type": "string", "description": "The latest version's text, when it was written in the page"},
    )


class OutcomeReferenceSchema(Schema):
    reference = fields.String()
    title = fields.String()
    kind = _enum(lambda o: o.kind.value, OutcomeKind)
    url = _link("api.outcome", reference="reference")


class SessionDetailSchema(SessionSummarySchema):
    cycle = fields.Function(lambda s: s.roundtable.cycle.year, metadata={"type": "integer"})
    roundtable = fields.Nested(RoundtableReferenceSchema)
    coordinator = fields.Nested(PartySchema, attribute="roundtable.coordinator", allow_none=True)
    guiding_questions = fields.Function(
        lambda s: [q.strip() for q in s.guiding_questions.splitlines() if q.strip()],
        metadata={"type": "array", "items": {"type": "string"}},
    )
    roles = fields.List(
        fields.Nested(SessionRoleSchema), attribute="other_roles", metadata={"description": "Roles besides co-chair"}
    )
    roundtable_roles = fields.List(fields.Nested(SessionRoleSchema), attribute="shown_roundtable_roles")
    team = fields.List(fields.Nested(TeamMemberSchema), attribute="shown_team")
    documents = fields.List(fields.Nested(SessionDocumentSchema), attribute="shown_documents")
    outcomes = fields.List(fields.Nested(OutcomeReferenceSchema), attribute="shown_outcomes")
    page_url = _link("roundtables.session_detail", ref="reference")


# ------------------------------------------------------------------------------------- outcomes and follow-up


class AddresseeSchema(Schema):
    kind = _enum(lambda a: a.kind.value, AddresseeKind)
    name = fields.Function(str, metadata={"type": "string"})


class ActionSchema(Schema):
    """A follow-up action with its current status: the latest report's."""

    id = fields.Integer()
    description = fields.String()
    cycle = fields.Function(lambda a: a.cycle.year, metadata={"type": "integer"})
    owner = fields.Nested(PartySchema)
    co_owners = _parties(lambda a: [c.party for c in a.co_owners])
    due_on = fields.Date(allow_none=True, metadata={"description": "The last day of the period due_precision names"})
    due_precision = _enum(lambda a: a.due_precision.value, DatePrecision)
    status = _enum(lambda a: a.status.value, FollowUpStatus)
    progress = fields.Integer()
    last_update_at = fields.DateTime(allow_none=True)
    is_overdue = fields.Function(lambda a: a.is_overdue(today()), metadata={"type": "boolean"})
    url = _link("api.action", action_id="id")


class OutcomeSchema(Schema):
    reference = fields.String()
    title = fields.String()
    kind = _enum(lambda o: o.kind.value, OutcomeKind)
    strength = _enum(lambda o: o.strength.value, CommitmentStrength)
    cycle = fields.Function(lambda o: o.cycle.year, metadata={"type": "integer"})
    session = fields.Function(
        lambda o: o.session.reference if o.session else None, metadata={"type": ["string", "null"]}
    )
    series = fields.String()
    published_at = fields.DateTime(allow_none=True)
    addressees = fields.List(fields.Nested(AddresseeSchema))
    themes = fields.Function(
        lambda o: [t.code for t in o.themes], metadata={"type": "array", "items": {"type": "string"}}
    )
    url = _link("api.outcome", reference="reference")


class CycleOutcomeSchema(OutcomeSchema):
    """An outcome in a cycle's follow-up report, with the actions followed up in that cycle."""

    actions = fields.List(fields.Nested(ActionSchema), attribute="followed_actions")


class CycleOutcomePageSchema(PageSchema):
    items = fields.List(fields.Nested(CycleOutcomeSchema))


class OutcomeRevisionSchema(Schema):
    number = fields.Integer()
    text = fields.String()
    reason = fields.String()
    created_at = fields.DateTime()


class OutcomeDetailSchema(OutcomeSchema):
    text = fields.String()
    revisions = fields.List(fields.Nested(OutcomeRevisionSchema))
    actions = fields.List(fields.Nested(ActionSchema), metadata={"description": "Its actions in every cycle"})
    page_url = _link("outcomes.outcome_detail", reference="reference")


class FollowUpUpdateSchema(Schema):
    """One progress report on an action (or on the action it was carried over from)."""

    id = fields.Integer()
    action_id = fields.Integer()
    status = _enum(lambda u: u.status.value, FollowUpStatus)
    progress = fields.Integer()
    note = fields.String()
    is_public = fields.Boolean()
    evidence_url = fields.Function(lambda u: u.evidence_url or None, metadata={"type": ["string", "null"]})
    evidence_file_url = fields.Function(
        lambda u: (
            url_for("outcomes.update_evidence", action_id=u.action_id, update_id=u.id, _external=True)
            if u.evidence_file_key
            else None
        ),
        metadata={"type": ["string", "null"]},
    )
    on_behalf_of = fields.Nested(PartySchema, allow_none=True)
    created_at = fields.DateTime()


class ActionDetailSchema(ActionSchema):
    outcome = fields.Nested(OutcomeReferenceSchema)
    indicator = fields.String()
    target = fields.String()
    carried_from_id = fields.Integer(allow_none=True)
    updates = fields.List(
        fields.Nested(FollowUpUpdateSchema), attribute="timeline", metadata={"description": "Newest first"}
    )
    page_url = _link("outcomes.action_detail", action_id="id")


class FollowUpReportSchema(Schema):
    """A progress report on a follow-up action: the web form's fields. The rules are the web form's too."""

    status = fields.String(
        required=True, validate=OneOf([s for s in _values(FollowUpStatus) if s != FollowUpStatus.CARRIED_OVER])
    )
    progress = fields.Integer(
        required=True, validate=Range(0, 100), metadata={"description": "Per cent; done is 100, not started 0"}
    )
    note = fields.String(validate=Length(max=TEXT_MAX))
    evidence_url = fields.String(validate=Length(max=500), metadata={"description": "A link: http:// or https://"})
    is_internal = fields.Boolean(
        metadata={"description": "Shown only to the Support Unit, the Chair team and the owners"}
    )
    on_behalf_of = fields.String(
        validate=Length(equal=2),
        metadata={"description": "ISO code of the owning government the report is for (the Support Unit's choice)"},
    )


# ------------------------------------------------------------------------------------- partnerships


class ProposerSchema(Schema):
    country = fields.Nested(PartySchema)
    is_lead = fields.Boolean()
    is_confirmed = fields.Boolean()


class PartnerSchema(Schema):
    partner = fields.Function(
        lambda pa: PartySchema().dump(pa.country or pa.organisation), metadata={"allOf": [_ref("PartySchema")]}
    )
    role = _enum(lambda pa: pa.role.value, PartnerRole)


class ProjectSummarySchema(Schema):
    """A PfP project in a list of one's own projects: what the *Our projects* page shows."""

    id = fields.Integer()
    reference = fields.String()
    title = fields.String()
    state = fields.String(
        attribute="shown_state",
        validate=OneOf(_values(ProjectState)),
        metadata={"description": "As the reader may know it: a decision is not told before it is published"},
    )
    stage = _optional_enum("stage", ProjectStage)
    lead = fields.Nested(PartySchema, attribute="lead_country")
    proposers = fields.List(fields.Nested(ProposerSchema))
    updated_at = fields.DateTime()
    url = _link("api.partnership", project_id="id")


class ProjectSchema(ProjectSummarySchema):
    """A PfP project as its reader may see it."""

    summary = fields.String()
    themes = fields.Function(lambda p: p.theme_codes, metadata={"type": "array", "items": {"type": "string"}})
    needs = fields.Function(lambda p: p.need_kinds, metadata={"type": "array", "items": {"type": "string"}})
    partners = fields.List(fields.Nested(PartnerSchema))
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class ProjectPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProjectSchema))


class ProgressReportSchema(Schema):
    id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    progress = fields.String()
    stage_before = _optional_enum("stage_before", ProjectStage)
    stage_after = _optional_enum("stage_after", ProjectStage)
    results = fields.String()
    next_steps = fields.String()
    is_final = fields.Boolean()
    was_late = fields.Boolean()
    submitted_at = fields.DateTime()


class AttachmentSchema(Schema):
    file_name = fields.String()
    file_size = fields.Integer()
    description = fields.String()
    uploaded_at = fields.DateTime()
    file_url = _link("partnerships.attachment_download", attachment_id="id")


class DecisionSchema(Schema):
    outcome = _enum(lambda p: p.decision.value, DecisionOutcome)
    note = fields.String(attribute="decision_note")
    decided_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    report_every_months = fields.Integer(allow_none=True)
    next_report_due_on = fields.Date(allow_none=True)


class ProjectDetailSchema(ProjectSchema):
    objectives = fields.String()
    outcomes_followed = fields.String()
    needs_partners = fields.String()
    needs_expertise = fields.String()
    needs_funding = fields.String()
    funding_amount = fields.Integer(allow_none=True)
    funding_currency = fields.String(allow_none=True)
    offers = fields.String()
    cycle = fields.Function(lambda p: p.cycle.year if p.cycle else None, metadata={"type": ["integer", "null"]})
    source = fields.String()
    contact_name = fields.String()
    contact_email = fields.String(
        allow_none=True, attribute="shown_contact_email", metadata={"description": "Only to a token's owner"}
    )
    reviewing_body = fields.String(allow_none=True, attribute="shown_reviewing_body")
    decision = fields.Nested(
        DecisionSchema,
        allow_none=True,
        attribute="shown_decision",
        metadata={"description": "Once published; before, only to the Support Unit and the reviewing body"},
    )
    reports = fields.List(fields.Nested(ProgressReportSchema))
    attachments = fields.List(fields.Nested(AttachmentSchema))
    page_url = _link("partnerships.project_detail", project_id="id")


class ProjectReportInputSchema(Schema):
    """A progress report on a PfP project: the web form's fields. The rules are the web form's too."""

    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True, metadata={"description": "The period has ended: not in the future"})
    progress = fields.String(required=True, validate=Length(min=1, max=TEXT_MAX))
    stage_after = fields.String(
        allow_none=True, validate=OneOf(_values(ProjectStage)), metadata={"description": "Left out: unchanged"}
    )
    results = fields.String(validate=Length(max=TEXT_MAX))
    next_steps = fields.String(validate=Length(max=TEXT_MAX))
    is_final = fields.Boolean(metadata={"description": "The project has ended and reports no more"})


# ------------------------------------------------------------------------------------- meetings


class MeetingSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = _enum(lambda m: m.kind.value, MeetingKind)
    track = _enum(lambda m: m.track.value, Track)
    status = _enum(lambda m: m.status.value, MeetingStatus)
    cycle = fields.Function(lambda m: m.cycle.year, metadata={"type": "integer"})
    body_id = fields.Integer(allow_none=True)
    body = fields.Function(lambda m: m.body.name if m.body else None, metadata={"type": ["string", "null"]})
    in_programme = fields.Boolean()
    is_public = fields.Boolean()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    timezone = fields.String(metadata={"description": "The venue's: starts_at and ends_at are in UTC"})
    is_date_estimated = fields.Boolean()
    city = fields.String()
    url = _link("api.meeting", meeting_id="id")


class MeetingPageSchema(PageSchema):
    items = fields.List(fields.Nested(MeetingSchema))


class ProgrammeRoleSchema(Schema):
    kind = _enum(lambda r: r.kind.value, ProgrammeRoleKind)
    label = fields.String()


class AgendaItemSchema(Schema):
    position = fields.Integer()
    title = fields.String()
    presenter = fields.String()
    minutes_allotted = fields.Integer(allow_none=True)
    document_title = fields.String()
    document_url = fields.String()


class InviteeSchema(Schema):
    invitee = fields.Nested(PartySchema)
    is_guest = fields.Boolean()
    reply = fields.String(allow_none=True, attribute="shown_reply", metadata={"description": "Only to a token's owner"})
    attended = fields.Boolean(allow_none=True)
    interventions = fields.Integer(allow_none=True)


class MeetingDecisionSchema(Schema):
    position = fields.Integer()
    text = fields.String()
    link_title = fields.String()
    link_url = fields.String()


class MeetingDetailSchema(MeetingSchema):
    address = fields.String()
    room = fields.String()
    online_url = fields.String()
    description = fields.String()
    source = fields.String()
    interventions = fields.Integer(allow_none=True)
    agenda_status = _enum(lambda m: m.agenda_status.value, AgendaStatus)
    minutes_status = _enum(lambda m: m.minutes_status.value, MinutesStatus)
    roles = fields.List(fields.Nested(ProgrammeRoleSchema))
    agenda = fields.List(
        fields.Nested(AgendaItemSchema), attribute="shown_agenda", metadata={"description": "Once published"}
    )
    invitees = fields.List(fields.Nested(InviteeSchema), attribute="shown_invitees")
    minutes = fields.String(allow_none=True, attribute="shown_minutes")
    decisions = fields.List(fields.Nested(MeetingDecisionSchema), attribute="shown_decisions")
    page_url = _link("meetings.meeting_detail", meeting_id="id")
