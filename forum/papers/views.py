"""Document pages: a session's papers, their versions and diffs, comments and the review workflow."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from forum.core.errors import NotFound, PermissionDenied
from forum.core.i18n import gettext as _
from forum.core.i18n import page_labels
from forum.core.permissions import Action, require
from forum.core.web import bind_form
from forum.directory import services as directory
from forum.papers import forms, reminders, services
from forum.papers.models import DOCUMENT_KIND_LABELS, DOCUMENT_STATE_LABELS, LANGUAGE_LABELS, DocumentKind, Language
from forum.roundtables import services as roundtables
from forum.roundtables.services import Upload

bp = Blueprint("papers", __name__)

#: the review reminder kind registers itself on import
REMINDER_KINDS = (reminders.PaperReviewKind,)


@bp.app_context_processor
def _helpers():
    return {
        **page_labels(
            DOCUMENT_KIND_LABELS=DOCUMENT_KIND_LABELS,
            DOCUMENT_STATE_LABELS=DOCUMENT_STATE_LABELS,
            LANGUAGE_LABELS=LANGUAGE_LABELS,
        ),
        "session_papers": lambda session: services.in_reader_language(
            services.session_documents(current_user, session), str(get_locale())
        ),
        "may_add_paper": lambda session: services.may_create(current_user, session),
    }


def _detail_context(document, **overrides) -> dict:
    versions = [v.number for v in document.versions]
    old = request.args.get("old", type=int)
    new = request.args.get("new", type=int)
    context = {
        "document": document,
        "transitions": services.WORKFLOW.available(document.state),
        "version_form": forms.VersionForm(formdata=None),
        "comment_form": forms.CommentForm(formdata=None),
        "transition_form": forms.TransitionForm(formdata=None),
        "diff": services.diff(document, old, new) if old in versions and new in versions else None,
        "old": old,
        "new": new,
    }
    context.update(overrides)
    return context


@bp.get("/papers/<int:document_id>")
def document_detail(document_id: int):
    document = services.document_for(current_user, document_id)
    return render_template("papers/document_detail.html", **_detail_context(document))


@bp.route("/sessions/<ref>/papers/new", methods=["GET", "POST"])
@login_required
def document_new(ref: str):
    session = roundtables.session_by_reference(ref)
    if not services.may_create(current_user, session):
        raise PermissionDenied()
    form = forms.DocumentForm()
    form.translation_of_id.choices = [(0, _("Not a translation"))] + [
        (d.id, f"{d.title} ({LANGUAGE_LABELS[d.language]})") for d in services.session_documents(current_user, session)
    ]
    form.author_person_id.choices = [(0, "—")] + directory.person_choices()
    bind_form(form, "papers/document_form.html", session=session)
    if form.validate_on_submit():
        document = services.create_document(
            current_user,
            session,
            kind=DocumentKind(form.kind.data),
            title=form.title.data,
            language=Language(form.language.data),
            author_country_id=directory.country_id_from_name(form.author_country_name.data, "author_country_name"),
            author_person_id=form.author_person_id.data,
            translation_of_id=form.translation_of_id.data,
        )
        flash(_("The document is started as a draft. Add its first version."), "success")
        return redirect(url_for(".document_detail", document_id=document.id))
    return render_template("papers/document_form.html", form=form, session=session), 422 if form.errors else 200


@bp.post("/papers/<int:document_id>/versions")
@login_required
def version_add(document_id: int):
    document = services.document_for(current_user, document_id)
    require(current_user, Action.PAPER_EDIT, document)  # before the form: a refusal is not a form error
    form = forms.VersionForm()
    bind_form(form, "papers/document_detail.html", **_detail_context(document, version_form=form))
    if not form.validate_on_submit():
        return render_template("papers/document_detail.html", **_detail_context(document, version_form=form)), 422
    upload = request.files.get("file")
    services.add_version(
        current_user,
        document,
        text=form.text.data or "",
        upload=Upload(upload.filename or "", upload.read()) if upload else None,
        note=form.note.data or "",
    )
    flash(_("The new version is kept."), "success")
    return redirect(url_for(".document_detail", document_id=document.id))


@bp.post("/papers/<int:document_id>/comments")
@login_required
def comment_add(document_id: int):
    document = services.document_for(current_user, document_id)
    require(current_user, Action.PAPER_COMMENT, document, hide=True)
    form = forms.CommentForm()
    bind_form(form, "papers/document_detail.html", **_detail_context(document, comment_form=form))
    if not form.validate_on_submit():
        return render_template("papers/document_detail.html", **_detail_context(document, comment_form=form)), 422
    services.add_comment(current_user, document, text=form.text.data)
    flash(_("Your comment is added."), "success")
    return redirect(url_for(".document_detail", document_id=document.id))


@bp.post("/papers/<int:document_id>/transitions/<name>")
@login_required
def document_transition(document_id: int, name: str):
    document = services.document_for(current_user, document_id)
    form = forms.TransitionForm()
    bind_form(form, "papers/document_detail.html", **_detail_context(document, transition_form=form))
    services.fire(current_user, document, name, comment=form.comment.data or "")
    flash(_("The document is now: %(state)s.", state=DOCUMENT_STATE_LABELS[document.state]), "success")
    return redirect(url_for(".document_detail", document_id=document.id))


@bp.get("/papers/versions/<int:version_id>/file")
def version_download(version_id: int):
    path, name, mimetype = services.version_file(current_user, version_id)
    if not path.is_file():
        raise NotFound()
    # read whole (bounded by MAX_UPLOAD_MB) so no file handle outlives the request
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True, download_name=name)
