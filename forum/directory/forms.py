"""Forms for organisations and people in the directory."""

from __future__ import annotations

from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
from forum.directory.models import ORGANISATION_KIND_LABELS, OrganisationKind
from forum.structure.forms import VersionedForm, enum_choices, optional_id


class OrganisationForm(VersionedForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=40)])
    kind = SelectField(
        _l("Kind"),
        choices=enum_choices(ORGANISATION_KIND_LABELS),
        default=OrganisationKind.INTERNATIONAL_ORGANISATION.value,
    )
    country_name = StringField(
        _l("Country"),
        validators=[Optional(), Length(max=120)],
        description=_l("Where it is based, for a national organisation."),
    )
    aliases = TextAreaField(
        _l("Other names"),
        validators=[Optional(), Length(max=2000)],
        description=_l("One per line: former names, names in other languages."),
    )


class PersonForm(VersionedForm):
    honorific = StringField(
        _l("Honorific"), validators=[Optional(), Length(max=40)], description=_l("e.g. H.E., Dr, Ms, Mr")
    )
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    title = StringField(_l("Title or function"), validators=[Optional(), Length(max=300)])
    organisation_id = SelectField(_l("Organisation"), coerce=optional_id)
    country_name = StringField(_l("Country"), validators=[Optional(), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
        description=_l("Seen only by the Support Unit."),
    )
    aliases = TextAreaField(
        _l("Other spellings"), validators=[Optional(), Length(max=2000)], description=_l("One per line.")
    )
