"""The import pages: for each importer, the upload form (GET) and its preview (POST), the confirmation, and the
template to fill in. Support Unit only, as the importers' actions say."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask_login import current_user, login_required

from forum.core import imports
from forum.core.errors import ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.imports import ImportCheck, Importer
from forum.core.permissions import require
from forum.core.web import bind_form, get_or_404
from forum.imports.forms import ConfirmForm, UploadForm
from forum.imports.memberships import MembershipImporter
from forum.imports.outcomes import OutcomeImporter
from forum.imports.team_matrix import TeamMatrixImporter
from forum.roundtables.services import session_by_reference
from forum.structure.models import Body
from forum.structure.services import cycle_or_404

bp = Blueprint("imports", __name__)


def _upload_page(importer: Importer, page: str, **url_values):
    """`page` names the importer's three endpoints: page + "_upload", "_confirm" and "_template"."""
    require(current_user, importer.action, importer.target)
    form = UploadForm()
    context = {"importer": importer, "page": page, "url_values": url_values, **_limits()}
    bind_form(form, "imports/upload.html", **context)
    if not form.validate_on_submit():
        return render_template("imports/upload.html", form=form, **context), 422 if form.errors else 200
    upload = request.files[form.file.name]
    # read at most one byte past the limit: enough to know the file is too big, without holding all of it
    check = imports.preview(current_user, importer, upload.filename or "", upload.read(imports.max_bytes() + 1))
    return _preview_page(check, page, url_values, 200 if check.is_valid else 422)


def _limits() -> dict[str, int]:
    return {"max_kb": imports.max_bytes() // 1024, "max_rows": imports.MAX_ROWS}


def _preview_page(check: ImportCheck, page: str, url_values: dict, status: int):
    return render_template(
        "imports/preview.html",
        check=check,
        importer=check.importer,
        confirm_form=ConfirmForm(formdata=None, token=check.token, fingerprint=check.fingerprint),
        form=UploadForm(formdata=None),
        page=page,
        url_values=url_values,
    ), status


def _confirm(importer: Importer, page: str, **url_values):
    require(current_user, importer.action, importer.target)
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("The confirmation was not sent from the preview: upload the file again.")})
    check = imports.confirm(current_user, importer, form.token.data, form.fingerprint.data)
    if check.written is not None:
        flash(importer.done_message(check.written), "success")
        return redirect(importer.back_url())
    return _preview_page(check, page, url_values, 409 if check.changed else 422)


def _template(importer: Importer):
    require(current_user, importer.action, importer.target)
    filename = f"{importer.kind}-template.csv"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return imports.template_csv(importer), 200, {"Content-Type": "text/csv; charset=utf-8", **headers}


# ------------------------------------------------------------------------------------------ memberships


def _memberships(body_id: int) -> MembershipImporter:
    return MembershipImporter(get_or_404(Body, body_id))


@bp.route("/bodies/<int:body_id>/memberships/import", methods=["GET", "POST"])
@login_required
def memberships_upload(body_id: int):
    return _upload_page(_memberships(body_id), "imports.memberships", body_id=body_id)


@bp.post("/bodies/<int:body_id>/memberships/import/confirm")
@login_required
def memberships_confirm(body_id: int):
    return _confirm(_memberships(body_id), "imports.memberships", body_id=body_id)


@bp.get("/bodies/<int:body_id>/memberships/import/template.csv")
@login_required
def memberships_template(body_id: int):
    return _template(_memberships(body_id))


# ------------------------------------------------------------------------------------------ team matrix


@bp.route("/cycles/<int:year>/team-matrix/import", methods=["GET", "POST"])
@login_required
def team_matrix_upload(year: int):
    return _upload_page(TeamMatrixImporter(cycle_or_404(year)), "imports.team_matrix", year=year)


@bp.post("/cycles/<int:year>/team-matrix/import/confirm")
@login_required
def team_matrix_confirm(year: int):
    return _confirm(TeamMatrixImporter(cycle_or_404(year)), "imports.team_matrix", year=year)


@bp.get("/cycles/<int:year>/team-matrix/import/template.csv")
@login_required
def team_matrix_template(year: int):
    return _template(TeamMatrixImporter(cycle_or_404(year)))


# ------------------------------------------------------------------------------------------ outcomes


@bp.route("/sessions/<ref>/outcomes/import", methods=["GET", "POST"])
@login_required
def outcomes_upload(ref: str):
    return _upload_page(OutcomeImporter(session_by_reference(ref)), "imports.outcomes", ref=ref)


@bp.post("/sessions/<ref>/outcomes/import/confirm")
@login_required
def outcomes_confirm(ref: str):
    return _confirm(OutcomeImporter(session_by_reference(ref)), "imports.outcomes", ref=ref)


@bp.get("/sessions/<ref>/outcomes/import/template.csv")
@login_required
def outcomes_template(ref: str):
    return _template(OutcomeImporter(session_by_reference(ref)))
