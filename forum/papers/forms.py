"""Forms for session documents. Shape here; the rules (who, which state, which file types) live in the services."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from forum.core.forms import SelectField
from forum.core.i18n import lazy_gettext as _l
from forum.papers.models import DOCUMENT_KIND_LABELS, LANGUAGE_LABELS, DocumentKind, Language
from forum.structure.forms import enum_choices, optional_id


class DocumentForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=enum_choices(DOCUMENT_KIND_LABELS), default=DocumentKind.BACKGROUND_PAPER.value
    )
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    language = SelectField(_l("Language"), choices=enum_choices(LANGUAGE_LABELS), default=Language.EN.value)
    translation_of_id = SelectField(_l("Translation of"), coerce=optional_id)
    author_country_name = StringField(
        _l("Author (a government)"), validators=[Optional(), Length(max=120)], description=_l("E.g. Mexico.")
    )
    author_person_id = SelectField(_l("Author (a person)"), coerce=optional_id)


class VersionForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[Optional(), Length(max=200_000)])
    file = FileField(_l("File"), description=_l("PDF, DOCX or ODT, up to the upload limit."))
    note = StringField(_l("What changed"), validators=[Optional(), Length(max=500)])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[InputRequired(), Length(max=10_000)])


class TransitionForm(FlaskForm):
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])
