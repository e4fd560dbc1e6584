"""Pages of the Platform for Partnerships: the public catalogue, a project's page, drafting, the focal point's
"our projects", the Support Unit's screening queue, and the review and decision forms."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from forum.core.errors import NotFound, ValidationFailed
from forum.core.exports import export_response
from forum.core.i18n import gettext as _
from forum.core.i18n import page_labels
from forum.core.permissions import Action, can, require
from forum.core.themes import THEMES
from forum.core.web import bind_form
from forum.partnerships import forms, overview, services
from forum.partnerships.models import (
    DECISION_LABELS,
    OFFER_KIND_LABELS,
    OFFER_STATE_LABELS,
    PARTNER_ROLE_LABELS,
    RECOMMENDATION_LABELS,
    STAGE_LABELS,
    STATE_LABELS,
    ProjectStage,
)
from forum.structure.models import BODY_KIND_LABELS

bp = Blueprint("partnerships", __name__)


@bp.app_context_processor
def _labels():
    return {
        **page_labels(
            PFP_STATE_LABELS=STATE_LABELS,
            PFP_STAGE_LABELS=STAGE_LABELS,
            PFP_THEMES=THEMES,
            PFP_DECISION_LABELS=DECISION_LABELS,
            PFP_PARTNER_ROLE_LABELS=PARTNER_ROLE_LABELS,
            PFP_RECOMMENDATION_LABELS=RECOMMENDATION_LABELS,
            PFP_OFFER_KIND_LABELS=OFFER_KIND_LABELS,
            PFP_OFFER_STATE_LABELS=OFFER_STATE_LABELS,
        ),
    }


def _catalogue_filters() -> services.CatalogueFilters:
    args = request.args
    theme = args.get("theme") if args.get("theme") in THEMES else None
    stage = args.get("stage") if args.get("stage") in {s.value for s in ProjectStage} else None
    need = args.get("need") if args.get("need") in services.NEEDS else None
    return services.CatalogueFilters(
        theme=theme,
        stage=ProjectStage(stage) if stage else None,
        country_id=args.get("country", type=int),
        organisation_id=args.get("organisation", type=int),
        need=need,
        q=args.get("q", "")[:200],
    )


@bp.get("/partnerships")
def catalogue():
    filters = _catalogue_filters()
    view = services.catalogue_view(filters, request.args.get("page", 1, type=int))
    return render_template(
        "partnerships/catalogue.html",
        page=view.page,
        filters=filters,
        countries=view.countries,
        organisations=view.organisations,
        needs=services.NEEDS,
    )


@bp.get("/partnerships.<fmt>")
def catalogue_export(fmt: str):
    """The catalogue as a spreadsheet: every project the filters select, not just one page."""
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    filters = _catalogue_filters()
    rows = services.catalogue_export_rows(filters)
    return export_response(fmt, "pfp-catalogue", services.CATALOGUE_EXPORT_HEADER, rows)


def _detail_context(project, **overrides) -> dict:
    p_may_screen = can(current_user, Action.PFP_SCREEN)
    context = {
        "project": project,
        "shown_state": services.shown_state(current_user, project),
        "events": services.history(current_user, project),
        "may_see_review": can(current_user, Action.PFP_REVIEW_VIEW, project),
        "missing": services.completeness_errors(project) if can(current_user, Action.PFP_PROJECT_EDIT, project) else {},
        "similar": services.similar_projects(project) if p_may_screen and project.state.value != "draft" else [],
        "form": FlaskForm(formdata=None),
        "partner_form": _partner_form(formdata=None) if can(current_user, Action.PFP_PROJECT_EDIT, project) else None,
        "return_form": forms.ReturnForm(formdata=None),
        "route_form": _route_form(formdata=None) if p_may_screen else None,
        "comment_form": forms.ReviewCommentForm(formdata=None),
        "decision_form": forms.DecisionForm(formdata=None),
        "offers": services.offers_for(current_user, project),
        "offer_form": _offer_form(formdata=None) if _may_offer_here(project) else None,
        "reply_form": forms.OfferReplyForm(formdata=None),
        "report_form": forms.ReportForm(formdata=None),
        "report_status": services.report_status(project),
        "attachment_form": forms.AttachmentForm(formdata=None),
    }
    context.update(overrides)
    return context


def _may_offer_here(project) -> bool:
    """The offer form shows on a published project to whoever may offer and is not one of its proposers."""
    return (
        project.is_published
        and can(current_user, Action.PFP_OFFER_MAKE, project)
        and not can(current_user, Action.PFP_REPORT_SUBMIT, project)
    )


def _offer_form(**kwargs) -> forms.OfferForm:
    form = forms.OfferForm(**kwargs)
    form.party.choices = _choices([(pa.key, pa.name) for pa in services.offer_parties(current_user)])
    return form


def _choices(pairs: list[tuple]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _partner_form(**kwargs) -> forms.PartnerForm:
    form = forms.PartnerForm(**kwargs)
    form.country_id.choices = _choices([(0, _("— government —")), *services.country_choices()])
    form.organisation_id.choices = _choices([(0, _("— organisation —")), *services.organisation_choices()])
    return form


def _route_form(**kwargs) -> forms.RouteForm:
    form = forms.RouteForm(**kwargs)
    form.body_id.choices = _choices(
        [(b.id, f"{b.name} ({BODY_KIND_LABELS[b.kind]})") for b in services.reviewing_bodies()]
    )
    return form


def _bind(project, form, key: str | None = None) -> None:
    """Show the project page again, with the refused form's messages, if the service refuses the input."""
    context = _detail_context(project)
    context.pop("form")
    if key:
        context[key] = form
    bind_form(form, "partnerships/project_detail.html", **context)


@bp.get("/partnerships/projects/<int:project_id>")
def project_detail(project_id: int):
    project = services.project_detail(current_user, project_id)
    return render_template("partnerships/project_detail.html", **_detail_context(project))


def _project_form(project=None, **kwargs) -> forms.ProjectForm:
    form = forms.ProjectForm(**kwargs)
    form.co_proposer_ids.choices = _choices(services.country_choices())
    if project is None:
        form.lead_country_id.choices = _choices([(c.id, c.name) for c in services.own_governments(current_user)])
    else:
        form.lead_country_id.choices = _choices([(project.lead_country_id, project.lead_country.name)])
    return form


@bp.route("/partnerships/projects/new", methods=["GET", "POST"])
@login_required
def project_new():
    require(current_user, Action.PFP_PROJECT_CREATE)
    form = _project_form()
    bind_form(form, "partnerships/project_form.html", project=None)
    if form.validate_on_submit():
        project = services.create_project(current_user, lead_country_id=form.lead_country_id.data, **form.to_kwargs())
        flash(_("Draft saved. It is visible only to the proposing governments until you submit it."), "success")
        return redirect(url_for(".project_detail", project_id=project.id))
    return render_template("partnerships/project_form.html", form=form, project=None), 422 if form.errors else 200


@bp.route("/partnerships/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def project_edit(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_PROJECT_EDIT, project)
    if request.method == "GET":
        form = _project_form(project, obj=project)
        form.themes.data = project.theme_codes
        form.co_proposer_ids.data = [p.country_id for p in project.proposers if not p.is_lead]
        form.stage.data = project.stage.value if project.stage else ""
        form.version_id.data = project.version_id
    else:
        form = _project_form(project)
    bind_form(form, "partnerships/project_form.html", project=project)
    if form.validate_on_submit():
        services.update_project(current_user, project, version_id=form.version(), **form.to_kwargs())
        flash(_("Draft saved."), "success")
        return redirect(url_for(".project_detail", project_id=project.id))
    return render_template("partnerships/project_form.html", form=form, project=project), 422 if form.errors else 200


def _expired() -> ValidationFailed:
    return ValidationFailed({"": _("The form expired; try again.")})


def _press(project_id: int, act, done_message: str):
    """A button on the project page: the action, a message, and back to the page (refusals shown on it)."""
    project = services.project_detail(current_user, project_id)
    form = FlaskForm()
    _bind(project, form)
    if not form.validate_on_submit():
        raise _expired()
    act(project)
    flash(done_message, "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/confirm")
@login_required
def project_confirm(project_id: int):
    return _press(
        project_id,
        lambda project: services.confirm_co_proposal(current_user, project),
        _("Your government is confirmed as a co-proposer."),
    )


@bp.post("/partnerships/projects/<int:project_id>/partners")
@login_required
def partner_add(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_PROJECT_EDIT, project)
    form = _partner_form()
    _bind(project, form, "partner_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("Choose a partner and its role.")})
    services.add_partner(current_user, project, **form.to_kwargs())
    flash(_("Partner added."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/partners/<int:partner_id>/remove")
@login_required
def partner_remove(project_id: int, partner_id: int):
    return _press(
        project_id, lambda project: services.remove_partner(current_user, project, partner_id), _("Partner removed.")
    )


@bp.post("/partnerships/projects/<int:project_id>/submit")
@login_required
def project_submit(project_id: int):
    return _press(
        project_id,
        lambda project: services.submit_project(current_user, project),
        _("Submitted. The Support Unit will screen the project."),
    )


@bp.post("/partnerships/projects/<int:project_id>/screen")
@login_required
def project_screen(project_id: int):
    return _press(project_id, lambda project: services.start_screening(current_user, project), _("Screening started."))


@bp.post("/partnerships/projects/<int:project_id>/return")
@login_required
def project_return(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_SCREEN, project)
    form = forms.ReturnForm()
    _bind(project, form, "return_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"comment": _("Tell the proposers what to complete or change.")})
    services.return_project(current_user, project, comment=form.comment.data)
    flash(_("Returned to the proposers with your comments."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/route")
@login_required
def project_route(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_SCREEN, project)
    form = _route_form()
    _bind(project, form, "route_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"body_id": _("Choose the reviewing body.")})
    services.route_project(current_user, project, body_id=form.body_id.data, note=form.note.data or "")
    flash(_("Routed to the reviewing body."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/comments")
@login_required
def review_comment(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_REVIEW_COMMENT, project)
    form = forms.ReviewCommentForm()
    _bind(project, form, "comment_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"text": _("Write a comment.")})
    services.comment_on_review(current_user, project, text=form.text.data, recommendation=form.recommendation.data)
    flash(_("Comment recorded."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/decision")
@login_required
def project_decide(project_id: int):
    project = services.project_detail(current_user, project_id)
    require(current_user, Action.PFP_DECIDE, project)
    form = forms.DecisionForm()
    _bind(project, form, "decision_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("Check the decision form.")})
    services.decide_project(current_user, project, **form.to_kwargs())
    flash(_("Decision recorded. It stays internal until the Support Unit publishes it."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/projects/<int:project_id>/publish")
@login_required
def project_publish(project_id: int):
    return _press(
        project_id,
        lambda project: services.publish_decision(current_user, project),
        _("Decision published; the proposing governments' focal points are notified."),
    )


@bp.get("/partnerships/ours")
@login_required
def our_projects():
    projects = services.our_projects(current_user)
    review = services.review_queue(current_user)
    return render_template(
        "partnerships/our_projects.html",
        projects=projects,
        review=review,
        shown_state=lambda p: services.shown_state(current_user, p),
    )


@bp.get("/partnerships/screening")
@login_required
def screening_queue():
    page = services.screening_queue(current_user, request.args.get("page", 1, type=int))
    return render_template("partnerships/screening_queue.html", page=page, age_in_days=services.age_in_days)


# ------------------------------------------------------------------------------------- offers of support


@bp.post("/partnerships/projects/<int:project_id>/offers")
@login_required
def offer_make(project_id: int):
    project = services.project_detail(current_user, project_id)
    form = _offer_form()
    _bind(project, form, "offer_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("Check the offer: who makes it, and what it offers.")})
    services.make_offer(current_user, project, **form.to_kwargs())
    flash(_("Offer sent. The proposing governments are told and will answer here."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.post("/partnerships/offers/<int:offer_id>/reply")
@login_required
def offer_reply(offer_id: int):
    offer = services.offer_for(current_user, offer_id)
    require(current_user, Action.PFP_OFFER_DECIDE, offer)
    form = forms.OfferReplyForm()
    _bind(offer.project, form, "reply_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("Choose whether you accept the offer, and the partner's role.")})
    services.reply_to_offer(current_user, offer, **form.to_kwargs())
    flash(_("Answer recorded; the offering party is told."), "success")
    return redirect(url_for(".project_detail", project_id=offer.project_id))


# ------------------------------------------------------------------------------------- progress reports


@bp.post("/partnerships/projects/<int:project_id>/reports")
@login_required
def report_submit(project_id: int):
    project = services.project_detail(current_user, project_id)
    form = forms.ReportForm()
    _bind(project, form, "report_form")
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("Check the report: its period and the progress made.")})
    services.submit_report(current_user, project, **form.to_kwargs())
    flash(_("Progress report published on the project's page."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


# ------------------------------------------------------------------------------------- attachments


@bp.post("/partnerships/projects/<int:project_id>/attachments")
@login_required
def attachment_add(project_id: int):
    project = services.project_detail(current_user, project_id)
    form = forms.AttachmentForm()
    _bind(project, form, "attachment_form")
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None:
        raise ValidationFailed({"file": _("Choose a document to attach.")})
    services.add_attachment(
        current_user,
        project,
        upload=services.Upload(upload.filename or "", upload.read()),
        description=form.description.data or "",
    )
    flash(_("Document attached."), "success")
    return redirect(url_for(".project_detail", project_id=project.id))


@bp.get("/partnerships/attachments/<int:attachment_id>")
def attachment_download(attachment_id: int):
    path, name, mimetype = services.attachment_file(current_user, attachment_id)
    if not path.is_file():
        raise NotFound()
    # read whole (bounded by MAX_UPLOAD_MB) so no file handle outlives the request
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.post("/partnerships/attachments/<int:attachment_id>/remove")
@login_required
def attachment_remove(attachment_id: int):
    attachment = services.attachment_for(current_user, attachment_id)
    project_id = attachment.project_id
    return _press(
        project_id,
        lambda project: services.remove_attachment(current_user, attachment),
        _("Document removed."),
    )


# ------------------------------------------------------------------------------------- overview pages


@bp.get("/partnerships/matching")
@login_required
def matching():
    return render_template("partnerships/matching.html", match=overview.matching(current_user))


@bp.get("/partnerships/dashboard")
@login_required
def dashboard():
    return render_template(
        "partnerships/dashboard.html", board=overview.dashboard(current_user), age_buckets=overview.AGE_BUCKETS
    )
