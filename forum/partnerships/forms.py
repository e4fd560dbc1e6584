"""Forms of the Platform for Partnerships. Shape here (lengths, choices, numbers); what a draft may hold and what
a submission needs are decided in forum.partnerships.services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.core.forms import SelectField, SelectMultipleField
from forum.core.i18n import lazy_gettext as _l
from forum.core.themes import THEMES
from forum.partnerships.models import (
    DECISION_LABELS,
    OFFER_KIND_LABELS,
    PARTNER_ROLE_LABELS,
    RECOMMENDATION_LABELS,
    STAGE_LABELS,
    DecisionOutcome,
    OfferKind,
    PartnerRole,
    ProjectStage,
    Recommendation,
)
from forum.structure.forms import VersionedForm, enum_choices, optional_id


def _optional_enum(enum_cls):
    def coerce(value):
        if value in (None, ""):
            return None
        return enum_cls(value)

    return coerce


class ProjectForm(VersionedForm):
    """The whole project; a draft may be incomplete, a submission may not."""

    lead_country_id = SelectField(_l("Proposing government (yours)"), coerce=int)
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    objectives = TextAreaField(_l("Objectives"), validators=[Optional(), Length(max=5000)])
    co_proposer_ids = SelectMultipleField(
        _l("Co-proposing governments"),
        coerce=int,
        validators=[Optional()],
        description=_l("Each co-proposer's focal point confirms before the project can be submitted."),
    )
    themes = SelectMultipleField(
        _l("Themes"), choices=[SelectChoice(code, label) for code, label in THEMES.items()], validators=[Optional()]
    )
    outcomes_followed = TextAreaField(
        _l("GFMD outcomes the project follows up"),
        validators=[Optional(), Length(max=3000)],
        description=_l("e.g. Roundtable 1.2 of the 2009 Athens GFMD"),
    )
    stage = SelectField(
        _l("Stage"),
        choices=enum_choices(STAGE_LABELS, blank=_l("— not yet known —")),
        coerce=_optional_enum(ProjectStage),
    )
    starts_on = DateField(_l("Starts"), validators=[Optional()])
    ends_on = DateField(_l("Ends"), validators=[Optional()])
    needs_partners = TextAreaField(_l("Partners sought"), validators=[Optional(), Length(max=3000)])
    needs_expertise = TextAreaField(_l("Expertise sought"), validators=[Optional(), Length(max=3000)])
    needs_funding = TextAreaField(
        _l("Funding sought"),
        validators=[Optional(), Length(max=3000)],
        description=_l("The platform does not fund projects; it helps find cooperation."),
    )
    funding_amount = IntegerField(_l("Indicative amount"), validators=[Optional()])
    funding_currency = StringField(
        _l("Currency"), validators=[Optional(), Length(max=3)], description=_l("ISO code: USD, EUR, CHF, MXN…")
    )
    offers = TextAreaField(_l("What the project offers"), validators=[Optional(), Length(max=3000)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])

    def to_kwargs(self) -> dict:
        return {
            "title": self.title.data,
            "summary": self.summary.data or "",
            "objectives": self.objectives.data or "",
            "co_proposer_ids": list(self.co_proposer_ids.data or []),
            "theme_codes": list(self.themes.data or []),
            "outcomes_followed": self.outcomes_followed.data or "",
            "stage": self.stage.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "needs_partners": self.needs_partners.data or "",
            "needs_expertise": self.needs_expertise.data or "",
            "needs_funding": self.needs_funding.data or "",
            "funding_amount": self.funding_amount.data,
            "funding_currency": self.funding_currency.data or "",
            "offers": self.offers.data or "",
            "contact_name": self.contact_name.data or "",
            "contact_email": self.contact_email.data or "",
        }


class PartnerForm(FlaskForm):
    country_id = SelectField(_l("Government"), coerce=optional_id, validators=[Optional()])
    organisation_id = SelectField(_l("or organisation"), coerce=optional_id, validators=[Optional()])
    role = SelectField(_l("Role"), choices=enum_choices(PARTNER_ROLE_LABELS))

    def to_kwargs(self) -> dict:
        return {
            "country_id": self.country_id.data,
            "organisation_id": self.organisation_id.data,
            "role": PartnerRole(self.role.data),
        }


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("Comments for the proposers"), validators=[InputRequired(), Length(max=5000)])


class RouteForm(FlaskForm):
    body_id = SelectField(_l("Reviewing body"), coerce=int)
    note = TextAreaField(_l("Note for the body"), validators=[Optional(), Length(max=3000)])


class ReviewCommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[InputRequired(), Length(max=5000)])
    recommendation = SelectField(
        _l("Recommendation"),
        choices=enum_choices(RECOMMENDATION_LABELS, blank=_l("— comment only —")),
        coerce=_optional_enum(Recommendation),
    )


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Decision"), choices=enum_choices(DECISION_LABELS))
    note = TextAreaField(
        _l("Reasons and conditions (told to the proposers on publication)"), validators=[Optional(), Length(max=5000)]
    )
    report_every_months = IntegerField(
        _l("Progress reports every (months)"),
        default=6,
        validators=[Optional(), NumberRange(min=1, max=36)],
        description=_l("Only for an accepted project."),
    )
    decision_record = StringField(
        _l("Where the body took this decision"),
        validators=[Optional(), Length(max=500)],
        description=_l("Required when the Support Unit records the body's decision, e.g. minutes of its meeting."),
    )

    def to_kwargs(self) -> dict:
        return {
            "outcome": DecisionOutcome(self.outcome.data),
            "note": self.note.data or "",
            "report_every_months": self.report_every_months.data,
            "decision_record": self.decision_record.data or "",
        }


class OfferForm(FlaskForm):
    """Interest in a published project, or an offer of support: who offers, what, on what terms."""

    party = SelectField(_l("On behalf of"))
    kind = SelectField(_l("This is"), choices=enum_choices(OFFER_KIND_LABELS))
    role = SelectField(_l("The role you would take"), choices=enum_choices(PARTNER_ROLE_LABELS))
    what = TextAreaField(_l("What you offer or what interests you"), validators=[InputRequired(), Length(max=3000)])
    terms = TextAreaField(
        _l("Under what terms"),
        validators=[Optional(), Length(max=3000)],
        description=_l("e.g. experts for two missions a year; the project covers their travel"),
    )
    amount = IntegerField(_l("Indicative contribution"), validators=[Optional()])
    currency = StringField(
        _l("Currency"), validators=[Optional(), Length(max=3)], description=_l("ISO code: USD, EUR, CHF, MXN…")
    )

    def to_kwargs(self) -> dict:
        return {
            "party": self.party.data,
            "kind": OfferKind(self.kind.data),
            "role": PartnerRole(self.role.data),
            "what": self.what.data or "",
            "terms": self.terms.data or "",
            "amount": self.amount.data,
            "currency": self.currency.data or "",
        }


OFFER_ANSWERS = {"accept": _l("Accept: the party joins as a partner"), "decline": _l("Decline")}


class OfferReplyForm(FlaskForm):
    answer = SelectField(_l("Answer"), choices=[SelectChoice(k, v) for k, v in OFFER_ANSWERS.items()])
    role = SelectField(_l("Role as a partner"), choices=enum_choices(PARTNER_ROLE_LABELS))
    reply = TextAreaField(
        _l("Message to the offering party"),
        validators=[Optional(), Length(max=3000)],
        description=_l("Required when you decline."),
    )

    def to_kwargs(self) -> dict:
        return {
            "accept": self.answer.data == "accept",
            "role": PartnerRole(self.role.data),
            "reply": self.reply.data or "",
        }


class ReportForm(FlaskForm):
    period_start = DateField(_l("Period from"), validators=[InputRequired()])
    period_end = DateField(_l("to"), validators=[InputRequired()])
    progress = TextAreaField(_l("Progress in the period"), validators=[InputRequired(), Length(max=5000)])
    stage_after = SelectField(
        _l("Stage at the end of the period"),
        choices=enum_choices(STAGE_LABELS, blank=_l("— unchanged —")),
        coerce=_optional_enum(ProjectStage),
    )
    results = TextAreaField(_l("Results"), validators=[Optional(), Length(max=5000)])
    next_steps = TextAreaField(_l("Next steps"), validators=[Optional(), Length(max=5000)])
    is_final = BooleanField(_l("Final report: the project has ended and reports no more"))

    def to_kwargs(self) -> dict:
        return {
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "progress": self.progress.data or "",
            "stage_after": self.stage_after.data,
            "results": self.results.data or "",
            "next_steps": self.next_steps.data or "",
            "is_final": bool(self.is_final.data),
        }


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("Document"), description=_l("PDF, Word, OpenDocument, Excel, PNG or JPEG, up to the upload limit.")
    )
    description = StringField(_l("What it is"), validators=[Optional(), Length(max=300)])
