"""Roundtable pages: a cycle's roundtables, the public session page, the Support Unit's forms, the checklist and the
preparation board."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from forum.core.dates import today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.exports import export_response
from forum.core.html import badge
from forum.core.i18n import gettext as _
from forum.core.i18n import page_labels
from forum.core.permissions import Action, can, principal_of, require
from forum.core.web import bind_form, id_urls
from forum.directory import services as directory
from forum.imports.lookups import named_holders
from forum.roundtables import forms, services
from forum.roundtables.models import (
    CELL_STATE_LABELS,
    ITEM_STATUS_LABELS,
    OWNER_ROLE_LABELS,
    ROLE_KIND_LABELS,
    TEAM_MEMBER_KIND_LABELS,
    TEAM_STATUS_LABELS,
    CellState,
    ItemStatus,
    OwnerRole,
    RoleKind,
    TeamMemberKind,
    TeamStatus,
)
from forum.structure import services as structure

bp = Blueprint("roundtables", __name__)


#: the colour of a board cell's state
STATE_BADGE_CLASSES = {
    CellState.DONE: "text-bg-success",
    CellState.NOT_APPLICABLE: "text-bg-secondary",
    CellState.OVERDUE: "text-bg-danger",
    CellState.DUE_SOON: "text-bg-warning",
    CellState.NOT_STARTED: "text-bg-light border",
}


@bp.app_context_processor
def _labels():
    labels = page_labels(
        ROLE_KIND_LABELS=ROLE_KIND_LABELS,
        TEAM_STATUS_LABELS=TEAM_STATUS_LABELS,
        TEAM_MEMBER_KIND_LABELS=TEAM_MEMBER_KIND_LABELS,
        OWNER_ROLE_LABELS=OWNER_ROLE_LABELS,
        ITEM_STATUS_LABELS=ITEM_STATUS_LABELS,
        CELL_STATE_LABELS=CELL_STATE_LABELS,
    )
    states = labels["CELL_STATE_LABELS"]
    owners = labels["OWNER_ROLE_LABELS"]

    # written once per state and owner role for the page (a board has two hundred cells)
    @cache
    def state_badge(state: CellState) -> Markup:
        return badge(STATE_BADGE_CLASSES[state], states[state])

    @cache
    def owner_html(role: OwnerRole) -> Markup:
        return escape(owners[role])

    def board_cell(item: services.BoardCell | None, item_url: Callable[[int], str]) -> Markup:
        """One cell of the preparation board (a function, not template code: a board has two hundred)."""
        if item is None:
            return Markup("<td>—</td>")
        due = f" · {item.due_on}" if item.due_on else ""
        return Markup(  # noqa: S704 # nosec B704 - every value is escaped or the code's own
            f'<td><a href="{escape(item_url(item.id))}" data-state="{item.state.value}">'
            f'{state_badge(item.state)}</a>\n      <div class="text-muted">{owner_html(item.owner_role)}'
            f"{escape(due)}</div></td>"
        )

    return {**labels, "state_badge": state_badge, "board_cell": board_cell}


# ---------------------------------------------------------------------------------------------------- public pages


@bp.get("/roundtables")
def roundtables_current():
    """The navigation's entry: the current cycle's roundtables (the real one before a fictional one)."""
    cycle = structure.current_cycle(today())
    if cycle is None:
        raise NotFound()
    return redirect(url_for(".roundtable_list", year=cycle.year))


@bp.get("/cycles/<int:year>/roundtables")
def roundtable_list(year: int):
    cycle = structure.cycle_or_404(year)
    roundtables = services.cycle_roundtables(cycle)
    own = services.open_sessions_for(current_user, cycle)
    return render_template(
        "roundtables/roundtable_list.html",
        cycle=cycle,
        roundtables=roundtables,
        own=own,
        focal_ids=principal_of(current_user).focal_country_ids,
        plain_form=FlaskForm(formdata=None),
        TeamStatus=TeamStatus,
    )


@bp.get("/cycles/<int:year>/roundtables.<fmt>")
def team_matrix_export(year: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    cycle = structure.cycle_or_404(year)
    rows = services.team_matrix_rows(services.cycle_roundtables(cycle))
    return export_response(fmt, f"team-matrix-{year}", services.TEAM_MATRIX_HEADER, rows)


def _session_context(session, **overrides) -> dict:
    p = principal_of(current_user)
    editor = can(current_user, Action.ROUNDTABLE_EDIT)
    context = {
        "session": session,
        "rt_roles": services.roundtable_roles(session),
        "can_prepare": can(current_user, Action.PREPARATION_VIEW, session),
        "sign_up_form": forms.SignUpForm(formdata=None),
        # the team and role forms show to who may edit the roundtables only
        "role_form": forms.RoleForm(formdata=None) if editor else None,
        "team_form": forms.TeamAddForm(formdata=None) if editor else None,
        "plain_form": FlaskForm(formdata=None),
        "focal_ids": p.focal_country_ids,
        "day": today(),
        "TeamStatus": TeamStatus,
        "ItemStatus": ItemStatus,
    }
    if context["can_prepare"]:
        services.load_checklist(session)
    _sign_up_choices(context["sign_up_form"], session)
    context.update(overrides)
    return context


def _sign_up_choices(form: forms.SignUpForm, session) -> None:
    """A focal point's own governments that are not yet in the team (most have one)."""
    focal = principal_of(current_user).focal_country_ids
    taken = {m.country_id for m in session.team if m.status != TeamStatus.WITHDRAWN} | session.co_chair_country_ids
    free = focal - taken
    form.country_id.choices = [(c.id, c.name) for c in services.countries(free)] if free else []


@bp.get("/sessions/<ref>")
def session_detail(ref: str):
    session = services.session_by_reference(ref)
    return render_template("roundtables/session_detail.html", **_session_context(session))


# ---------------------------------------------------------------------------------------------------- SU forms


def _roundtable_form_choices(form: forms.RoundtableForm) -> None:
    form.coordinator_person_id.choices = [(0, _("No person"))] + directory.person_choices()


@bp.route("/cycles/<int:year>/roundtables/new", methods=["GET", "POST"])
@login_required
def roundtable_new(year: int):
    require(current_user, Action.ROUNDTABLE_EDIT)
    cycle = structure.cycle_or_404(year)
    form = forms.RoundtableForm()
    _roundtable_form_choices(form)
    bind_form(form, "roundtables/roundtable_form.html", cycle=cycle, roundtable=None)
    if form.validate_on_submit():
        country_id = directory.country_id_from_name(form.coordinator_country_name.data, "coordinator_country_name")
        services.create_roundtable(current_user, cycle, **form.to_kwargs(country_id))
        flash(_("The roundtable is added."), "success")
        return redirect(url_for(".roundtable_list", year=year))
    status = 422 if form.errors else 200
    return render_template("roundtables/roundtable_form.html", form=form, cycle=cycle, roundtable=None), status


@bp.route("/roundtables/<int:roundtable_id>/edit", methods=["GET", "POST"])
@login_required
def roundtable_edit(roundtable_id: int):
    require(current_user, Action.ROUNDTABLE_EDIT)
    rt = services.roundtable_or_404(roundtable_id)
    form = forms.RoundtableForm(obj=rt)
    _roundtable_form_choices(form)
    if request.method == "GET":
        form.version_id.data = rt.version_id
        form.coordinator_country_name.data = rt.coordinator_country.name if rt.coordinator_country else ""
    bind_form(form, "roundtables/roundtable_form.html", cycle=rt.cycle, roundtable=rt)
    if form.validate_on_submit():
        country_id = directory.country_id_from_name(form.coordinator_country_name.data, "coordinator_country_name")
        services.update_roundtable(current_user, rt, version_id=form.version(), **form.to_kwargs(country_id))
        flash(_("The roundtable is saved."), "success")
        return redirect(url_for(".roundtable_list", year=rt.cycle.year))
    status = 422 if form.errors else 200
    return render_template("roundtables/roundtable_form.html", form=form, cycle=rt.cycle, roundtable=rt), status


@bp.route("/roundtables/<int:roundtable_id>/sessions/new", methods=["GET", "POST"])
@login_required
def session_new(roundtable_id: int):
    require(current_user, Action.ROUNDTABLE_EDIT)
    rt = services.roundtable_or_404(roundtable_id)
    form = forms.SessionForm()
    bind_form(form, "roundtables/session_form.html", roundtable=rt, session=None)
    if form.validate_on_submit():
        session = services.create_session(current_user, rt, **form.to_kwargs())
        flash(_("The session is added, with its preparation checklist."), "success")
        return redirect(url_for(".session_detail", ref=session.reference))
    status = 422 if form.errors else 200
    return render_template("roundtables/session_form.html", form=form, roundtable=rt, session=None), status


@bp.route("/sessions/<ref>/edit", methods=["GET", "POST"])
@login_required
def session_edit(ref: str):
    require(current_user, Action.ROUNDTABLE_EDIT)
    session = services.session_by_reference(ref)
    form = forms.SessionForm(obj=session)
    if request.method == "GET":
        form.version_id.data = session.version_id
        local = session.local_start
        form.starts_local.data = local.replace(tzinfo=None) if local else None
    bind_form(form, "roundtables/session_form.html", roundtable=session.roundtable, session=session)
    if form.validate_on_submit():
        services.update_session(current_user, session, version_id=form.version(), **form.to_kwargs())
        flash(_("The session is saved."), "success")
        return redirect(url_for(".session_detail", ref=session.reference))
    status = 422 if form.errors else 200
    context = {"form": form, "roundtable": session.roundtable, "session": session}
    return render_template("roundtables/session_form.html", **context), status


def _refuse_on_session_page(session, form_name: str, form) -> tuple[str, int]:
    return render_template("roundtables/session_detail.html", **_session_context(session, **{form_name: form})), 422


@bp.post("/sessions/<ref>/roles")
@login_required
def role_add(ref: str):
    require(current_user, Action.ROUNDTABLE_EDIT)
    session = services.session_by_reference(ref)
    form = forms.RoleForm()
    bind_form(form, "roundtables/session_detail.html", **_session_context(session, role_form=form))
    if not form.validate_on_submit():
        return _refuse_on_session_page(session, "role_form", form)
    organisation_id, person_id = named_holders(form)
    services.add_role(
        current_user,
        session,
        kind=RoleKind(form.kind.data),
        country_id=directory.country_id_from_name(form.country_name.data, "country_name"),
        organisation_id=organisation_id,
        person_id=person_id,
        note=form.note.data or "",
    )
    flash(_("The role is added."), "success")
    return redirect(url_for(".session_detail", ref=ref))


@bp.post("/session-roles/<int:role_id>/delete")
@login_required
def role_delete(role_id: int):
    require(current_user, Action.ROUNDTABLE_EDIT)
    role = services.role_or_404(role_id)
    ref = role.session.reference if role.session else None
    services.remove_role(current_user, role)
    flash(_("The role is removed."), "success")
    return redirect(url_for(".session_detail", ref=ref) if ref else url_for("structure.home"))


# ---------------------------------------------------------------------------------------------------- teams


@bp.post("/sessions/<ref>/team/sign-up")
@login_required
def team_sign_up(ref: str):
    session = services.session_by_reference(ref)
    country_id = request.form.get("country_id", type=int)
    if country_id is None:
        raise ValidationFailed({"country_id": _("Choose your government.")})
    services.sign_up(current_user, session, country_id=country_id)
    flash(_("Your government has asked to join the team; the co-chairs will answer."), "success")
    return redirect(url_for(".session_detail", ref=ref))


@bp.post("/sessions/<ref>/team")
@login_required
def team_add(ref: str):
    require(current_user, Action.ROUNDTABLE_EDIT)
    session = services.session_by_reference(ref)
    form = forms.TeamAddForm()
    bind_form(form, "roundtables/session_detail.html", **_session_context(session, team_form=form))
    if not form.validate_on_submit():
        return _refuse_on_session_page(session, "team_form", form)
    kind = TeamMemberKind(form.kind.data)
    organisation_id, person_id = named_holders(
        form,
        organisation=kind not in (TeamMemberKind.GOVERNMENT, TeamMemberKind.EXPERT),
        person=kind == TeamMemberKind.EXPERT,
    )
    services.add_team_member(
        current_user,
        session,
        kind=kind,
        country_id=directory.country_id_from_name(form.country_name.data, "country_name"),
        organisation_id=organisation_id,
        person_id=person_id,
        note=form.note.data or "",
    )
    flash(_("Added to the team."), "success")
    return redirect(url_for(".session_detail", ref=ref))


@bp.post("/sessions/<ref>/team/closed")
@login_required
def team_close(ref: str):
    require(current_user, Action.ROUNDTABLE_EDIT)
    session = services.session_by_reference(ref)
    closed = request.form.get("closed") == "1"
    services.set_team_closed(current_user, session, closed=closed)
    flash(_("The team is closed.") if closed else _("The team is open again."), "success")
    return redirect(url_for(".session_detail", ref=ref))


@bp.post("/team-members/<int:member_id>/withdraw")
@login_required
def team_withdraw(member_id: int):
    member = services.team_member_or_404(member_id)
    services.withdraw(current_user, member)
    flash(_("Withdrawn from the team."), "success")
    return redirect(url_for(".session_detail", ref=member.session.reference))


@bp.post("/team-members/<int:member_id>/accept")
@login_required
def team_accept(member_id: int):
    member = services.team_member_or_404(member_id)
    services.decide(current_user, member, accept=True, comment=request.form.get("comment", "")[:500])
    flash(_("%(member)s is in the team.", member=member.member), "success")
    return redirect(url_for(".session_detail", ref=member.session.reference))


@bp.post("/team-members/<int:member_id>/decline")
@login_required
def team_decline(member_id: int):
    member = services.team_member_or_404(member_id)
    services.decide(current_user, member, accept=False, comment=request.form.get("comment", "")[:500])
    flash(_("The request of %(member)s is declined.", member=member.member), "success")
    return redirect(url_for(".session_detail", ref=member.session.reference))


# ---------------------------------------------------------------------------------------------------- template


@bp.get("/checklist-template")
@login_required
def template_list():
    require(current_user, Action.ROUNDTABLE_EDIT)
    return render_template("roundtables/template_list.html", items=services.template_items())


@bp.route("/checklist-template/new", methods=["GET", "POST"])
@login_required
def template_new():
    require(current_user, Action.ROUNDTABLE_EDIT)
    form = forms.TemplateItemForm()
    bind_form(form, "roundtables/template_form.html", item=None)
    if form.validate_on_submit():
        services.create_template_item(current_user, **form.to_kwargs())
        flash(_("The step is added to the template and to the sessions still to come."), "success")
        return redirect(url_for(".template_list"))
    return render_template("roundtables/template_form.html", form=form, item=None), 422 if form.errors else 200


@bp.route("/checklist-template/<int:template_item_id>/edit", methods=["GET", "POST"])
@login_required
def template_edit(template_item_id: int):
    require(current_user, Action.ROUNDTABLE_EDIT)
    item = services.template_item_or_404(template_item_id)
    form = forms.TemplateItemForm(obj=item)
    if request.method == "GET":
        form.version_id.data = item.version_id
    bind_form(form, "roundtables/template_form.html", item=item)
    if form.validate_on_submit():
        services.update_template_item(current_user, item, version_id=form.version(), **form.to_kwargs())
        flash(_("The step is saved."), "success")
        return redirect(url_for(".template_list"))
    return render_template("roundtables/template_form.html", form=form, item=item), 422 if form.errors else 200


# ---------------------------------------------------------------------------------------------------- checklist


def _item_context(item, **overrides) -> dict:
    context = {
        "item": item,
        "owner_names": services.owner_names(item),
        "state": item.state_on(today()),
        "done_form": forms.DoneForm(formdata=None, version_id=item.version_id),
        "na_form": forms.NotApplicableForm(formdata=None, version_id=item.version_id),
        "reopen_form": forms.ReopenForm(formdata=None, version_id=item.version_id),
        "ItemStatus": ItemStatus,
    }
    context.update(overrides)
    return context


def _item_for(actor, checklist_item_id: int):
    item = services.checklist_item_or_404(checklist_item_id)
    require(actor, Action.PREPARATION_VIEW, item.session)
    return item


@bp.get("/checklist-items/<int:checklist_item_id>")
@login_required
def checklist_item_detail(checklist_item_id: int):
    item = _item_for(current_user, checklist_item_id)
    return render_template("roundtables/checklist_item.html", **_item_context(item))


@bp.post("/checklist-items/<int:checklist_item_id>/done")
@login_required
def checklist_item_done(checklist_item_id: int):
    item = _item_for(current_user, checklist_item_id)
    form = forms.DoneForm()
    bind_form(form, "roundtables/checklist_item.html", **_item_context(item, done_form=form))
    if not form.validate_on_submit():
        return render_template("roundtables/checklist_item.html", **_item_context(item, done_form=form)), 422
    upload = request.files.get("evidence_file")
    services.mark_done(
        current_user,
        item,
        version_id=form.version(),
        evidence_url=form.evidence_url.data or "",
        evidence_note=form.evidence_note.data or "",
        evidence_file=services.Upload(upload.filename or "", upload.read()) if upload else None,
    )
    flash(_("Marked done."), "success")
    if request.form.get("back") == "board":
        return redirect(url_for(".board", year=item.session.roundtable.cycle.year))
    return redirect(url_for(".checklist_item_detail", checklist_item_id=item.id))


@bp.get("/checklist-items/<int:checklist_item_id>/evidence")
@login_required
def checklist_item_evidence(checklist_item_id: int):
    item = _item_for(current_user, checklist_item_id)
    path, name, mimetype = services.evidence_path(item)
    if not path.is_file():
        raise NotFound()
    # read whole (bounded by MAX_UPLOAD_MB) so no file handle outlives the request
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.post("/checklist-items/<int:checklist_item_id>/not-applicable")
@login_required
def checklist_item_not_applicable(checklist_item_id: int):
    item = _item_for(current_user, checklist_item_id)
    form = forms.NotApplicableForm()
    bind_form(form, "roundtables/checklist_item.html", **_item_context(item, na_form=form))
    if not form.validate_on_submit():
        return render_template("roundtables/checklist_item.html", **_item_context(item, na_form=form)), 422
    services.mark_not_applicable(current_user, item, version_id=form.version(), reason=form.reason.data or "")
    flash(_("Marked not applicable."), "success")
    return redirect(url_for(".checklist_item_detail", checklist_item_id=item.id))


@bp.post("/checklist-items/<int:checklist_item_id>/reopen")
@login_required
def checklist_item_reopen(checklist_item_id: int):
    item = _item_for(current_user, checklist_item_id)
    form = forms.ReopenForm()
    bind_form(form, "roundtables/checklist_item.html", **_item_context(item, reopen_form=form))
    services.reopen(current_user, item, version_id=form.version())
    flash(_("The step is open again."), "success")
    return redirect(url_for(".checklist_item_detail", checklist_item_id=item.id))


# ---------------------------------------------------------------------------------------------------- the board


def _board_args() -> dict:
    owner = request.args.get("owner") or None
    state = request.args.get("state") or None
    sort = request.args.get("sort") or "session"
    return {
        "roundtable": request.args.get("roundtable", type=int),
        "owner": OwnerRole(owner) if owner in OwnerRole._value2member_map_ else None,
        "state": CellState(state) if state in CellState._value2member_map_ else None,
        "sort": sort if sort in services.BOARD_SORTS else "session",
    }


@bp.get("/cycles/<int:year>/board")
@login_required
def board(year: int):
    cycle = structure.cycle_or_404(year)
    args = _board_args()
    result = services.board(current_user, cycle, **args)
    return render_template(
        "roundtables/board.html",
        board=result,
        args=args,
        OwnerRole=OwnerRole,
        CellState=CellState,
        item_url=id_urls("roundtables.checklist_item_detail", "checklist_item_id"),
    )


@bp.get("/cycles/<int:year>/board.<fmt>")
@login_required
def board_export(year: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    cycle = structure.cycle_or_404(year)
    result = services.board(current_user, cycle, **_board_args())
    header, rows = services.board_export_rows(result)
    return export_response(fmt, f"preparation-board-{year}", header, rows)
