"""Forms of the account pages. They check shape (required, length, e-mail); the services check meaning."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from forum.structure.forms import enum_choices
from forum.structure.models import ROLE_LABELS


def _optional_int(value):
    return int(value) if value not in (None, "", "0", 0) else None


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=256)])
    confirm = PasswordField(_l("New password again"), validators=[InputRequired(), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=256)])
    new = PasswordField(_l("New password"), validators=[InputRequired(), Length(max=256)])
    confirm = PasswordField(_l("New password again"), validators=[InputRequired(), Length(max=256)])


class TimezoneForm(FlaskForm):
    timezone = StringField(
        _l("Time zone"),
        validators=[InputRequired(), Length(max=64)],
        description=_l("An IANA time-zone name such as Europe/Zurich (for Geneva) or America/Mexico_City."),
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])


class InviteForm(FlaskForm):
    person_id = SelectField(
        _l("Person"),
        coerce=_optional_int,
        validators=[InputRequired()],
        description=_l("Add the person to the directory first if they are not listed."),
    )
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    acts_for_country_name = StringField(
        _l("Acts for the government of"),
        validators=[Optional(), Length(max=200)],
        description=_l("A country name or a usual short form, such as UAE."),
    )
    acts_for_organisation_id = SelectField(_l("Or acts for the organisation"), coerce=_optional_int)
    body_id = SelectField(
        _l("Role in the body"), coerce=_optional_int, description=_l("Recorded as a membership starting today.")
    )
    role = SelectField(_l("Role"), choices=enum_choices(ROLE_LABELS, blank="—"))


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[InputRequired(), Length(max=80)],
                       description=_l("What it is for, e.g. 'follow-up reporting script'."))


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
