"""Forms of the account pages. They check shape (required, length, e-mail); the services check meaning."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import EmailField, FieldList, Form, FormField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
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


@cache
def _timezone_choices() -> list[tuple[str, str]]:
    # The region/city names people recognise; legacy aliases ("GB", "posix/…") are left out of the list.
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "posix/", "right/")))
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in names]


class TimezoneForm(FlaskForm):
    timezone = SelectField(
        _l("Time zone"),
        validators=[InputRequired()],
        description=_l("Times are shown in this zone: Europe/Zurich for Geneva, America/Mexico_City, Asia/Manila…"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _timezone_choices()
        current = self.timezone.data
        if current and current not in {value for value, _label in choices}:
            choices = [(current, current), *choices]  # a zone set before the list was narrowed stays shown
        self.timezone.choices = choices


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])


class RoleRowForm(Form):
    """One (body, role) pair of an invitation; a plain Form because the invitation form carries the CSRF token."""

    body_id = SelectField(_l("Body"), coerce=_optional_int)
    role = SelectField(_l("Role"), choices=enum_choices(ROLE_LABELS, blank="—"), default="")


_ROW_FIELD = re.compile(r"roles-(\d+)-(body_id|role)")


class InviteForm(FlaskForm):
    person_id = SelectField(
        _l("Person"),
        coerce=_optional_int,
        description=_l("Choose from the directory, or leave this on “—” and give a new name below."),
    )
    new_person_name = StringField(
        _l("Or the name of someone not yet in the directory"), validators=[Optional(), Length(max=200)]
    )
    new_person_organisation_id = SelectField(_l("Their organisation"), coerce=_optional_int)
    new_person_country_name = StringField(
        _l("Their country"),
        validators=[Optional(), Length(max=200)],
        description=_l("For someone who works for a government."),
    )
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    acts_for_country_name = StringField(
        _l("Acts for the government of"),
        validators=[Optional(), Length(max=200)],
        description=_l("A country name or a usual short form, such as UAE."),
    )
    acts_for_organisation_id = SelectField(_l("Or acts for the organisation"), coerce=_optional_int)
    #: blank rows are added by the view without form data (FieldList would read padded rows from the request)
    roles = FieldList(FormField(RoleRowForm), max_entries=12)

    def __getattr__(self, name: str):
        # The service names a refused role row "roles-<n>-<field>"; this lets the error appear beside that field.
        match = _ROW_FIELD.fullmatch(name)
        fields = self.__dict__.get("_fields")
        if match and fields is not None:
            entries = fields["roles"].entries
            index = int(match.group(1))
            if index < len(entries):
                return entries[index].form[match.group(2)]
        raise AttributeError(name)

    def role_rows(self) -> list[tuple[int | None, str | None]]:
        """Every row as (body id, role value), blank rows included so that row numbers match the page."""
        return [(row.form.body_id.data, row.form.role.data or None) for row in self.roles]


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[InputRequired(), Length(max=80)],
        description=_l("What it is for, e.g. 'follow-up reporting script'."),
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
