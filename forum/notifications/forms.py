"""Forms for reminder rules and notification preferences. Shape here; placeholders and roles are checked in the
service against the chosen kind."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from forum.core.forms import SelectField, SelectMultipleField
from forum.core.i18n import lazy_gettext as _l
from forum.notifications.kinds import KINDS
from forum.notifications.models import DELIVERY_LABELS, DeliveryMode
from forum.structure.forms import VersionedForm, enum_choices


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReminderRuleForm(VersionedForm):
    kind = SelectField(_l("Kind of reminder"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    offset_days = IntegerField(
        _l("Days from the due date"),
        validators=[InputRequired(), NumberRange(min=-365, max=365)],  # mirrors ck_reminder_rules_offset_range
        description=_l("Negative is before the due date (-7: a week before), positive after it."),
    )
    repeat_days = IntegerField(
        _l("Repeat every … days while overdue"),
        validators=[Optional(), NumberRange(min=1, max=365)],  # mirrors ck_reminder_rules_repeat_range
        description=_l("Leave empty to remind once."),
    )
    recipient_roles = CheckboxesField(_l("Recipients"), validators=[InputRequired()])
    subject_template = StringField(_l("Subject"), validators=[InputRequired(), Length(max=300)])
    body_template = TextAreaField(_l("Message"), validators=[InputRequired(), Length(max=5000)])
    is_mandatory = BooleanField(_l("Mandatory (recipients cannot turn it off)"))
    is_active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(key, kind.label) for key, kind in KINDS.items()]
        roles: dict[str, object] = {}
        for kind in KINDS.values():
            for key, label in kind.roles.items():
                roles.setdefault(key, label)
        self.recipient_roles.choices = list(roles.items())

    def to_kwargs(self) -> dict:
        return {
            "kind": self.kind.data,
            "name": self.name.data.strip(),
            "offset_days": self.offset_days.data,
            "repeat_days": self.repeat_days.data,
            "recipient_roles": " ".join(self.recipient_roles.data or []),
            "subject_template": self.subject_template.data.strip(),
            "body_template": self.body_template.data,
            "is_mandatory": self.is_mandatory.data,
            "is_active": self.is_active.data,
        }


def preferences_form(choices: dict[str, DeliveryMode], timezone: str, mandatory: set[str]):
    """A form with one select per kind of reminder, built from the registry, plus the time zone."""

    class PreferencesForm(FlaskForm):
        timezone = StringField(
            _l("Time zone"),
            validators=[InputRequired(), Length(max=64)],
            description=_l("An IANA zone such as Europe/Geneva; reminders and digests follow your local day."),
        )

        def kind_fields(self):
            return [(key, getattr(self, f"kind_{key}")) for key in KINDS]

        def to_kwargs(self) -> dict:
            return {
                "choices": {key: DeliveryMode(field.data) for key, field in self.kind_fields()},
                "timezone": self.timezone.data.strip(),
            }

    for key, kind in KINDS.items():
        options = enum_choices(DELIVERY_LABELS)
        description = _l("Mandatory: the Support Unit requires these by e-mail.") if key in mandatory else None
        setattr(
            PreferencesForm,
            f"kind_{key}",
            SelectField(kind.label, choices=options, validators=[InputRequired()], description=description),
        )
    data = {f"kind_{key}": mode.value for key, mode in choices.items()} | {"timezone": timezone}
    return PreferencesForm(data=data)
