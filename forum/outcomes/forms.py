"""Forms for outcomes and follow-up. Shape here (lengths, choices, numbers); the rules (frozen text, who may
report, what may be carried over) live in forum.outcomes.services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.core.dates import PRECISION_LABELS
from forum.core.forms import SelectField, SelectMultipleField
from forum.core.i18n import lazy_gettext as _l
from forum.core.models import DatePrecision
from forum.core.themes import THEMES
from forum.outcomes.models import (
    ADDRESSEE_KIND_LABELS,
    COMMITMENT_LABELS,
    FOLLOW_UP_STATUS_LABELS,
    NAMED_ADDRESSEES,
    OUTCOME_KIND_LABELS,
    STATEMENT_KIND_LABELS,
    AddresseeKind,
    CommitmentStrength,
    FollowUpStatus,
    OutcomeKind,
    StatementKind,
)
from forum.outcomes.services import AddresseeInput, PartyInput
from forum.structure.forms import VersionedForm, enum_choices, optional_id


def _enum(enum_cls):
    def coerce(value):
        if value in (None, "") or isinstance(value, enum_cls):
            return value or None
        return enum_cls(value)

    return coerce


def party_code(country_id: int | None = None, organisation_id: int | None = None) -> str:
    """How a government or organisation is named in one select: "c12" or "o34"."""
    return f"c{country_id}" if country_id else f"o{organisation_id}"


def party_of(code: str) -> PartyInput:
    """The select's value back as a party; anything malformed is a party of nothing, which the service refuses."""
    if code and code[0] in "co" and code[1:].isdigit():
        ident = int(code[1:])
        return PartyInput(country_id=ident) if code[0] == "c" else PartyInput(organisation_id=ident)
    return PartyInput()


class OutcomeForm(VersionedForm):
    number = IntegerField(
        _l("Number"),
        validators=[Optional(), NumberRange(min=1, max=999)],
        description=_l("Its number in the session's list; left empty, the next free one."),
    )
    title = StringField(_l("Short title"), validators=[InputRequired(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=5000)], render_kw={"rows": 5})
    kind = SelectField(_l("Kind"), choices=enum_choices(OUTCOME_KIND_LABELS), coerce=_enum(OutcomeKind))
    strength = SelectField(
        _l("Commitment strength"), choices=enum_choices(COMMITMENT_LABELS), coerce=_enum(CommitmentStrength)
    )
    addressee_groups = SelectMultipleField(
        _l("Addressed to (groups)"),
        choices=[
            SelectChoice(k.value, label) for k, label in ADDRESSEE_KIND_LABELS.items() if k not in NAMED_ADDRESSEES
        ],
        coerce=_enum(AddresseeKind),
        validators=[Optional()],
    )
    addressee_countries = SelectMultipleField(_l("Addressed to (governments)"), coerce=int, validators=[Optional()])
    addressee_bodies = SelectMultipleField(_l("Addressed to (GFMD bodies)"), coerce=int, validators=[Optional()])
    addressee_organisations = SelectMultipleField(
        _l("Addressed to (organisations)"), coerce=int, validators=[Optional()]
    )
    themes = SelectMultipleField(
        _l("Themes"), choices=[SelectChoice(code, label) for code, label in THEMES.items()], validators=[Optional()]
    )
    source = StringField(
        _l("Source"), validators=[Optional(), Length(max=300)], description=_l("e.g. Report of Proceedings, p. 12")
    )
    reason = StringField(
        _l("Reason for the correction"),
        validators=[Optional(), Length(max=500)],
        description=_l("Needed to change the text of a published outcome; the published text is kept."),
    )

    def addressees(self) -> list[AddresseeInput]:
        chosen = [AddresseeInput(kind) for kind in self.addressee_groups.data or []]
        chosen += [AddresseeInput(AddresseeKind.GOVERNMENT, i) for i in self.addressee_countries.data or []]
        chosen += [AddresseeInput(AddresseeKind.GFMD_BODY, i) for i in self.addressee_bodies.data or []]
        chosen += [AddresseeInput(AddresseeKind.ORGANISATION, i) for i in self.addressee_organisations.data or []]
        return chosen

    def values(self) -> dict:
        return {
            "title": self.title.data or "",
            "text": self.text.data or "",
            "kind": self.kind.data,
            "strength": self.strength.data,
            "addressees": self.addressees(),
            "theme_codes": list(self.themes.data or []),
        }


class StatementForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=enum_choices(STATEMENT_KIND_LABELS), coerce=_enum(StatementKind))
    text = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=5000)], render_kw={"rows": 3})
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])


class TranslationForm(FlaskForm):
    language = SelectField(_l("Language"))
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    text = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=5000)], render_kw={"rows": 4})


class LinkForm(FlaskForm):
    earlier_reference = StringField(
        _l("Continues the earlier outcome"),
        validators=[Optional(), Length(max=40)],
        description=_l("e.g. 2009-RT1.2-4"),
    )
    session_reference = StringField(
        _l("Leads to the later session"), validators=[Optional(), Length(max=40)], description=_l("e.g. 2011-RT2.1")
    )
    project_id = SelectField(_l("Leads to the partnership project"), coerce=optional_id, validators=[Optional()])
    meeting_id = SelectField(_l("Leads to the working-group meeting"), coerce=optional_id, validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    description = TextAreaField(
        _l("What will be done"), validators=[InputRequired(), Length(max=3000)], render_kw={"rows": 3}
    )
    owner = SelectField(_l("Owner"), validators=[InputRequired()])
    co_owners = SelectMultipleField(_l("Co-owners"), validators=[Optional()])
    due_on = DateField(_l("Due"), validators=[Optional()])
    due_precision = SelectField(
        _l("The due date is known to the"),
        choices=enum_choices(PRECISION_LABELS),
        coerce=_enum(DatePrecision),
        description=_l('"early 2011" is the first half-year of 2011; "by the 2013 High-Level Dialogue" is 2013.'),
    )
    indicator = StringField(_l("Indicator"), validators=[Optional(), Length(max=300)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=300)])


class UpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=enum_choices({k: v for k, v in FOLLOW_UP_STATUS_LABELS.items() if k != FollowUpStatus.CARRIED_OVER}),
        coerce=_enum(FollowUpStatus),
    )
    progress = IntegerField(_l("Progress (%)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    is_internal = BooleanField(_l("Keep this report internal (the Support Unit, the Chair team and the owners)"))
    evidence_url = StringField(_l("Evidence (a link)"), validators=[Optional(), Length(max=500)])
    evidence_file = FileField(_l("Evidence (a document: PDF, Word, Excel, OpenDocument, PNG or JPEG)"))
    on_behalf_of = SelectField(_l("Reported for"), coerce=optional_id, validators=[Optional()])


class ReviewForm(FlaskForm):
    outcome_id = SelectField(_l("Review of"), coerce=optional_id, validators=[Optional()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    requests_update = BooleanField(_l("Ask the owners of the open actions for an update"))
    update_due_on = DateField(
        _l("Update wanted by"), validators=[Optional()], description=_l("Left empty: in two weeks.")
    )


class CarryOverForm(FlaskForm):
    action_ids = SelectMultipleField(_l("Open actions to carry over"), coerce=int, validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
