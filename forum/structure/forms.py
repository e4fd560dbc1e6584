"""Forms for cycles, bodies and memberships. Shape here; the rules (one chair a year, no overlapping
duplicate membership, end after start) live in forum.structure.services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.core.dates import PRECISION_LABELS
from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
from forum.core.models import DatePrecision
from forum.structure.models import (
    BODY_KIND_LABELS,
    CYCLE_STATUS_LABELS,
    MEMBER_KIND_LABELS,
    MEMBERSHIP_STATUS_LABELS,
    ROLE_LABELS,
    TRACK_LABELS,
    BodyKind,
    CycleStatus,
    MemberKind,
    MembershipRole,
    MembershipStatus,
    Track,
)


def enum_choices(labels: dict, blank: str | None = None) -> list[SelectChoice]:
    """Options for a select from an enum's label dict (optionally after a blank first option)."""
    options = [SelectChoice(member.value, label) for member, label in labels.items()]
    return ([SelectChoice("", blank)] if blank is not None else []) + options


def optional_id(value):
    """A select whose first option is "none" gives None; anything that is not a number is refused by the select."""
    if value in (None, "", "0", 0):
        return None
    return int(value)


class VersionedForm(FlaskForm):
    """An edit form: it carries the record's version, so a stale form is refused rather than saved over."""

    version_id = HiddenField()

    def version(self) -> int | None:
        value = self.version_id.data
        return int(value) if value and str(value).isdigit() else None


class CycleForm(VersionedForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    chair_country_name = StringField(
        _l("Chairing government"),
        validators=[InputRequired(), Length(max=120)],
        description=_l("A country name or a usual short form, e.g. Mexico or UAE."),
    )
    theme = TextAreaField(_l("Theme"), validators=[Optional(), Length(max=2000)])
    summit_city = StringField(_l("Summit city"), validators=[Optional(), Length(max=120)])
    meeting_number = IntegerField(_l("Summit number"), validators=[Optional(), NumberRange(min=1, max=200)])
    starts_on = DateField(_l("Chair-year starts"), validators=[InputRequired()])
    ends_on = DateField(_l("Chair-year ends"), validators=[InputRequired()])
    summit_starts_on = DateField(
        _l("Summit starts"),
        validators=[Optional()],
        description=_l("Leave both summit dates empty for a year without a summit."),
    )
    summit_ends_on = DateField(_l("Summit ends"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=enum_choices(CYCLE_STATUS_LABELS), default=CycleStatus.COMMITTED.value)
    is_fictional = BooleanField(_l("Fictional demonstration cycle"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class BodyForm(VersionedForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=20)])
    kind = SelectField(_l("Kind"), choices=enum_choices(BODY_KIND_LABELS), default=BodyKind.WORKING_GROUP.value)
    track = SelectField(
        _l("Track"),
        choices=enum_choices(TRACK_LABELS),
        default=Track.GOVERNMENT.value,
        description=_l("Civil Society Days bodies are kept apart from the governments' ones."),
    )
    cycle_id = SelectField(
        _l("Cycle"),
        coerce=optional_id,
        description=_l("Only for a body of one chair-year, such as its Chair-in-Office."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    established_on = DateField(_l("Established"), validators=[Optional()])
    dissolved_on = DateField(_l("Dissolved"), validators=[Optional()])


#: the directory holds thousands of organisations and people: a form takes a name, not a choice among them all
ORGANISATION_NAME_HELP = _l("Its name or acronym as the directory has it, e.g. IOM.")
PERSON_NAME_HELP = _l("Their name as the directory has it.")


class MembershipForm(VersionedForm):
    member_kind = SelectField(
        _l("Member is a"), choices=enum_choices(MEMBER_KIND_LABELS), default=MemberKind.GOVERNMENT.value
    )
    country_name = StringField(
        _l("Government"),
        validators=[Optional(), Length(max=120)],
        description=_l("For a government member: the country's name, e.g. Morocco."),
    )
    organisation_name = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200)], description=ORGANISATION_NAME_HELP
    )
    person_name = StringField(_l("Person"), validators=[Optional(), Length(max=200)], description=PERSON_NAME_HELP)
    on_behalf_of_name = StringField(
        _l("On behalf of the government of"),
        validators=[Optional(), Length(max=120)],
        description=_l("For a person acting for a government, such as a focal point."),
    )
    role = SelectField(_l("Role"), choices=enum_choices(ROLE_LABELS), default=MembershipRole.MEMBER.value)
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    starts_precision = SelectField(
        _l("Known to the"), choices=enum_choices(PRECISION_LABELS), default=DatePrecision.DAY.value
    )
    ends_on = DateField(_l("Until"), validators=[Optional()], description=_l("Empty while it lasts."))
    ends_precision = SelectField(
        _l("Known to the"), choices=enum_choices(PRECISION_LABELS), default=DatePrecision.DAY.value
    )
    status = SelectField(
        _l("Status"), choices=enum_choices(MEMBERSHIP_STATUS_LABELS), default=MembershipStatus.ACTIVE.value
    )
    replaces_id = SelectField(
        _l("Replaces"),
        coerce=optional_id,
        description=_l("The membership this one took over, e.g. Switzerland replacing Spain."),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])
