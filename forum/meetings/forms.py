"""Forms for meetings. Shape here; the rules (end after start, a known time zone, who may reply) live in services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
from forum.meetings.models import MEETING_KIND_LABELS, PROGRAMME_ROLE_LABELS, REPLY_LABELS, MeetingKind, Reply
from forum.structure.forms import VersionedForm, enum_choices, optional_id
from forum.structure.models import MEMBER_KIND_LABELS, TRACK_LABELS, Track

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class MeetingForm(VersionedForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    cycle_id = SelectField(_l("Cycle"), coerce=int, validators=[InputRequired()])
    body_id = SelectField(
        _l("Body"), coerce=optional_id, description=_l("Its members on the meeting's date are invited.")
    )
    kind = SelectField(_l("Kind"), choices=enum_choices(MEETING_KIND_LABELS), default=MeetingKind.BODY_MEETING.value)
    track = SelectField(_l("Track"), choices=enum_choices(TRACK_LABELS), default=Track.GOVERNMENT.value)
    in_programme = BooleanField(_l("Part of the summit programme"))
    is_public = BooleanField(_l("Public (shown to everyone and in the calendars)"), default=True)
    is_date_estimated = BooleanField(_l("The date is an estimate"))
    starts_local = DateTimeLocalField(
        _l("Starts (venue's local time)"), format=LOCAL_FORMATS, validators=[InputRequired()]
    )
    ends_local = DateTimeLocalField(_l("Ends (venue's local time)"), format=LOCAL_FORMATS, validators=[InputRequired()])
    timezone = StringField(
        _l("Venue time zone"),
        validators=[InputRequired(), Length(max=64)],
        default="Europe/Zurich",
        description=_l("An IANA zone, e.g. Europe/Zurich (Geneva) or America/Mexico_City."),
    )
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    source = StringField(_l("Source"), validators=[Optional(), Length(max=300)])

    def to_kwargs(self) -> dict:
        return {
            "title": self.title.data,
            "cycle_id": self.cycle_id.data,
            "body_id": self.body_id.data,
            "kind": MeetingKind(self.kind.data),
            "track": Track(self.track.data),
            "in_programme": self.in_programme.data,
            "is_public": self.is_public.data,
            "is_date_estimated": self.is_date_estimated.data,
            "starts_local": self.starts_local.data,
            "ends_local": self.ends_local.data,
            "timezone": self.timezone.data,
            "city": self.city.data,
            "address": self.address.data,
            "room": self.room.data,
            "online_url": self.online_url.data,
            "description": self.description.data,
            "source": self.source.data,
        }


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Item"), validators=[InputRequired(), Length(max=300)])
    presenter = StringField(_l("Presenter"), validators=[Optional(), Length(max=200)])
    minutes_allotted = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=1, max=1440)])
    document_title = StringField(_l("Document title"), validators=[Optional(), Length(max=300)])
    document_url = StringField(_l("Document link"), validators=[Optional(), Length(max=500)])

    def to_kwargs(self) -> dict:
        return {f.name: f.data for f in self if f.name != "csrf_token"}


class GuestForm(FlaskForm):
    member_kind = SelectField(_l("Invitee kind"), choices=enum_choices(MEMBER_KIND_LABELS))
    member_id = IntegerField(_l("Invitee number"), validators=[InputRequired(), NumberRange(min=1)])


class ReplyForm(FlaskForm):
    reply = SelectField(_l("Reply"), choices=enum_choices({k: v for k, v in REPLY_LABELS.items() if k != Reply.NONE}))
    represented_by = StringField(_l("Represented by"), validators=[Optional(), Length(max=200)])


class MinutesForm(FlaskForm):
    text = TextAreaField(_l("Minutes"), validators=[InputRequired(), Length(max=50000)])


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Decision"), validators=[InputRequired(), Length(max=5000)])
    link_title = StringField(_l("What it decided (title)"), validators=[Optional(), Length(max=300)])
    link_url = StringField(_l("Link"), validators=[Optional(), Length(max=500)])


class ProgrammeRoleForm(FlaskForm):
    kind = SelectField(_l("Role"), choices=enum_choices(PROGRAMME_ROLE_LABELS))
    label = StringField(_l("Name as printed"), validators=[InputRequired(), Length(max=300)])


class StatusForm(FlaskForm):
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])
