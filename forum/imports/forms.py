"""The two forms of an import: the file to preview, and the confirmation of a preview."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length

from forum.core.i18n import lazy_gettext as _l


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Choose a CSV file to preview."))],
        description=_l("UTF-8 text, comma- or semicolon-separated, the column names on the first line."),
        render_kw={"accept": ".csv,text/csv"},
    )


class ConfirmForm(FlaskForm):
    """Carries only which upload and which preview: the rows themselves are read again from the kept file."""

    token = HiddenField(validators=[InputRequired(), Length(max=64)])
    fingerprint = HiddenField(validators=[InputRequired(), Length(max=64)])
