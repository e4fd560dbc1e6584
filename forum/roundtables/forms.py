"""Forms for roundtables, sessions, roles, teams and the checklist. Shape here; the rules live in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
from forum.roundtables.models import (
    OWNER_ROLE_LABELS,
    ROLE_KIND_LABELS,
    TEAM_MEMBER_KIND_LABELS,
    OwnerRole,
    RoleKind,
    TeamMemberKind,
)
from forum.structure.forms import (
    ORGANISATION_NAME_HELP,
    PERSON_NAME_HELP,
    VersionedForm,
    enum_choices,
    optional_id,
)

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class RoundtableForm(VersionedForm):
    number = IntegerField(_l("Number"), validators=[InputRequired(), NumberRange(min=1, max=20)])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    coordinator_person_id = SelectField(_l("Coordinator (a person)"), coerce=optional_id)
    coordinator_country_name = StringField(
        _l("Coordinating government"),
        validators=[Optional(), Length(max=120)],
        description=_l("Only where a government coordinates instead of a person."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])

    def to_kwargs(self, coordinator_country_id: int | None) -> dict:
        return {
            "number": self.number.data,
            "title": self.title.data.strip(),
            "coordinator_person_id": self.coordinator_person_id.data,
            "coordinator_country_id": coordinator_country_id,
            "description": self.description.data or "",
            "source": self.source.data or "",
        }


class SessionForm(VersionedForm):
    number = IntegerField(
        _l("Session number"),
        validators=[InputRequired(), NumberRange(min=1, max=20)],
        description=_l("The number after the roundtable's: 1 for session 2.1."),
    )
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    guiding_questions = TextAreaField(
        _l("Guiding questions"), validators=[Optional(), Length(max=10000)], description=_l("One per line.")
    )
    starts_local = DateTimeLocalField(
        _l("Starts (local time where it is held)"), format=LOCAL_FORMATS, validators=[Optional()]
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[InputRequired(), Length(max=64)],
        default="Europe/Zurich",
        description=_l("An IANA zone, e.g. America/Mexico_City or Africa/Accra."),
    )
    is_date_estimated = BooleanField(_l("The date and time are an estimate"))
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])

    def to_kwargs(self) -> dict:
        return {
            "number": self.number.data,
            "title": self.title.data,
            "guiding_questions": self.guiding_questions.data or "",
            "starts_local": self.starts_local.data,
            "timezone": self.timezone.data,
            "is_date_estimated": self.is_date_estimated.data,
            "room": self.room.data or "",
            "source": self.source.data or "",
        }


class RoleForm(FlaskForm):
    kind = SelectField(_l("Role"), choices=enum_choices(ROLE_KIND_LABELS), default=RoleKind.CO_CHAIR.value)
    country_name = StringField(_l("Government"), validators=[Optional(), Length(max=120)])
    organisation_name = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200)], description=ORGANISATION_NAME_HELP
    )
    person_name = StringField(_l("Person"), validators=[Optional(), Length(max=200)], description=PERSON_NAME_HELP)
    note = StringField(
        _l("Note"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. the section a facilitator leads, or a reporter's office."),
    )


class TeamAddForm(FlaskForm):
    kind = SelectField(
        _l("Member is"), choices=enum_choices(TEAM_MEMBER_KIND_LABELS), default=TeamMemberKind.GOVERNMENT.value
    )
    country_name = StringField(_l("Government"), validators=[Optional(), Length(max=120)])
    organisation_name = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200)], description=ORGANISATION_NAME_HELP
    )
    person_name = StringField(_l("Expert"), validators=[Optional(), Length(max=200)], description=PERSON_NAME_HELP)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class SignUpForm(FlaskForm):
    country_id = SelectField(_l("Government"), coerce=int, validators=[InputRequired()])


class DecisionForm(FlaskForm):
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])


class TemplateItemForm(VersionedForm):
    title = StringField(_l("Step"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("What it involves"), validators=[Optional(), Length(max=2000)])
    owner_role = SelectField(_l("Owner"), choices=enum_choices(OWNER_ROLE_LABELS), default=OwnerRole.SUPPORT_UNIT.value)
    due_offset_days = IntegerField(
        _l("Due, in days from the session"),
        validators=[InputRequired(), NumberRange(min=-730, max=365)],
        description=_l("Negative before the session: -70 is ten weeks before; 28 is four weeks after."),
    )
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=0, max=1000)], default=0)
    is_active = BooleanField(_l("Used for new sessions"), default=True)

    def to_kwargs(self) -> dict:
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "owner_role": OwnerRole(self.owner_role.data),
            "due_offset_days": self.due_offset_days.data,
            "position": self.position.data or 0,
            "is_active": self.is_active.data,
        }


class DoneForm(VersionedForm):
    evidence_url = StringField(_l("Link to the evidence"), validators=[Optional(), Length(max=500)])
    evidence_note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    evidence_file = FileField(
        _l("Or a document"),
        description=_l("PDF, Word, OpenDocument, Excel, PNG or JPEG, up to the upload limit."),
    )


class NotApplicableForm(VersionedForm):
    reason = StringField(_l("Why it does not apply"), validators=[Optional(), Length(max=500)])


class ReopenForm(VersionedForm):
    pass
