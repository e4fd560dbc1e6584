"""Cycles, bodies and memberships: public pages, and the Support Unit's forms."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.core.dates import today
from forum.core.errors import ValidationFailed
from forum.core.exports import export_response
from forum.core.i18n import gettext as _
from forum.core.i18n import page_labels
from forum.core.models import DatePrecision
from forum.core.permissions import Action, require
from forum.core.web import bind_form, get_or_404
from forum.directory import services as directory
from forum.imports.lookups import named_holders
from forum.structure import forms, services
from forum.structure.models import (
    Body,
    BodyKind,
    CycleStatus,
    MemberKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    Track,
)

bp = Blueprint("structure", __name__)


# ---------------------------------------------------------------------------------------------------- cycles


@bp.get("/")
def home():
    cycles = services.cycles_overview()
    current = services.current_cycle(today(), cycles)
    troika = services.troika_of(current, cycles) if current else None
    holders = services.office_holders(current) if current else []
    return render_template("structure/home.html", cycles=cycles, current=current, troika=troika, holders=holders)


@bp.get("/cycles/<int:year>")
def cycle_detail(year: int):
    cycle = services.cycle_or_404(year)
    return render_template(
        "structure/cycle_detail.html",
        cycle=cycle,
        troika=services.troika_of(cycle),
        holders=services.office_holders(cycle),
        bodies=services.cycle_bodies(cycle),
    )


def _cycle_values(form: forms.CycleForm) -> dict:
    return {
        "year": form.year.data,
        "chair_country_id": directory.country_id_from_name(form.chair_country_name.data, "chair_country_name"),
        "theme": form.theme.data or None,
        "summit_city": form.summit_city.data or None,
        "meeting_number": form.meeting_number.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "summit_starts_on": form.summit_starts_on.data,
        "summit_ends_on": form.summit_ends_on.data,
        "status": CycleStatus(form.status.data),
        "is_fictional": form.is_fictional.data,
        "notes": form.notes.data or "",
    }


@bp.route("/cycles/new", methods=["GET", "POST"])
@login_required
def cycle_new():
    require(current_user, Action.CYCLE_EDIT)
    form = forms.CycleForm()
    bind_form(form, "structure/cycle_form.html", cycle=None)
    if form.validate_on_submit():
        cycle = services.create_cycle(current_user, **_cycle_values(form))
        flash(_("The %(year)s cycle is recorded.", year=cycle.year), "success")
        return redirect(url_for("structure.cycle_detail", year=cycle.year))
    return render_template("structure/cycle_form.html", form=form, cycle=None), 422 if form.errors else 200


@bp.route("/cycles/<int:year>/edit", methods=["GET", "POST"])
@login_required
def cycle_edit(year: int):
    cycle = services.cycle_or_404(year)
    require(current_user, Action.CYCLE_EDIT, cycle)
    form = forms.CycleForm(obj=cycle)
    if request.method == "GET":
        form.chair_country_name.data = cycle.chair_country.name
        form.version_id.data = cycle.version_id
    bind_form(form, "structure/cycle_form.html", cycle=cycle)
    if form.validate_on_submit():
        services.update_cycle(current_user, cycle, version_id=form.version(), **_cycle_values(form))
        flash(_("The %(year)s cycle is saved.", year=cycle.year), "success")
        return redirect(url_for("structure.cycle_detail", year=cycle.year))
    return render_template("structure/cycle_form.html", form=form, cycle=cycle), 422 if form.errors else 200


# ---------------------------------------------------------------------------------------------------- bodies


@bp.get("/bodies")
def body_list():
    bodies = services.bodies_overview()
    by_track: dict[Track, list[Body]] = {track: [] for track in Track}  # the governments' track first
    for body in bodies:
        by_track[body.track].append(body)
    return render_template(
        "structure/body_list.html", by_track={track: found for track, found in by_track.items() if found}
    )


def _chosen_day(body: Body) -> tuple[date, str | None]:
    """The date asked for in ?on=, or a sensible default: today, or the last day of a body that has ended."""
    raw = request.args.get("on", "").strip()
    default = min(today(), body.dissolved_on) if body.dissolved_on else today()
    if body.cycle is not None and body.cycle.ends_on < default:
        default = body.cycle.ends_on
    if not raw:
        return default, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return default, _(
            "“%(value)s” is not a date: write it as YYYY-MM-DD. Showing %(day)s instead.",
            value=raw[:20],
            day=default.isoformat(),
        )


@bp.get("/bodies/<int:body_id>")
def body_detail(body_id: int):
    body = services.body_with_cycle(body_id)
    day, problem = _chosen_day(body)
    history = services.body_history_page(body, request.args.get("page", 1, type=int))
    return render_template(
        "structure/body_detail.html",
        body=body,
        day=day,
        date_problem=problem,
        members=services.members_on(body, day),
        history=history,
        replaced_by=services.replaced_by(history.items),
    )


@bp.get("/bodies/<int:body_id>/memberships.<any(csv, xlsx):fmt>")
def body_export(body_id: int, fmt: str):
    """The body's whole membership history as a spreadsheet, in the order the page shows it."""
    body = services.body_with_cycle(body_id)
    header = [
        "Member",
        "Kind",
        "On behalf of",
        "Role",
        "From",
        "Precision",
        "Until",
        "Precision",
        "Status",
        "Replaces",
        "Note",
        "Source",
    ]
    rows = (
        [
            str(m.member),
            m.member_kind,
            m.on_behalf_of.name if m.on_behalf_of else "",
            m.role,
            m.starts_on,
            m.starts_precision,
            m.ends_on,
            m.ends_precision,
            m.status,
            str(m.replaces.member) if m.replaces else "",
            m.note,
            m.source,
        ]
        for m in services.body_history(body)
    )
    return export_response(fmt, f"memberships-{body.acronym or body.id}", header, rows)


def _body_form(body: Body | None = None) -> forms.BodyForm:
    form = forms.BodyForm(obj=body)
    form.cycle_id.choices = [(0, _("Standing body (no single cycle)"))] + [
        (c.id, f"{c.year} — {c.chair_country.name}") for c in services.cycles_overview()
    ]
    return form


def _body_values(form: forms.BodyForm) -> dict:
    return {
        "name": form.name.data.strip(),
        "acronym": (form.acronym.data or "").strip() or None,
        "kind": BodyKind(form.kind.data),
        "track": Track(form.track.data),
        "cycle_id": form.cycle_id.data,
        "description": form.description.data or "",
        "established_on": form.established_on.data,
        "dissolved_on": form.dissolved_on.data,
    }


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def body_new():
    require(current_user, Action.BODY_EDIT)
    form = _body_form()
    bind_form(form, "structure/body_form.html", body=None)
    if form.validate_on_submit():
        body = services.create_body(current_user, **_body_values(form))
        flash(_("%(name)s is recorded.", name=body.name), "success")
        return redirect(url_for("structure.body_detail", body_id=body.id))
    return render_template("structure/body_form.html", form=form, body=None), 422 if form.errors else 200


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@login_required
def body_edit(body_id: int):
    body = get_or_404(Body, body_id)
    require(current_user, Action.BODY_EDIT, body)
    form = _body_form(body)
    if request.method == "GET":
        form.version_id.data = body.version_id
    bind_form(form, "structure/body_form.html", body=body)
    if form.validate_on_submit():
        services.update_body(current_user, body, version_id=form.version(), **_body_values(form))
        flash(_("%(name)s is saved.", name=body.name), "success")
        return redirect(url_for("structure.body_detail", body_id=body.id))
    return render_template("structure/body_form.html", form=form, body=body), 422 if form.errors else 200


# ------------------------------------------------------------------------------------------------ memberships


def _membership_form(body: Body, membership: Membership | None = None) -> forms.MembershipForm:
    form = forms.MembershipForm(obj=membership)
    others = [m for m in services.body_history(body) if membership is None or m.id != membership.id]
    form.replaces_id.choices = [(0, "—")] + [(m.id, f"{m.member} ({m.starts_on.isoformat()})") for m in others]
    if membership is not None and request.method == "GET":
        form.country_name.data = membership.country.name if membership.country else ""
        form.organisation_name.data = membership.organisation.name if membership.organisation else ""
        form.person_name.data = membership.person.name if membership.person else ""
        form.on_behalf_of_name.data = membership.on_behalf_of.name if membership.on_behalf_of else ""
        form.version_id.data = membership.version_id
    return form


def _membership_values(form: forms.MembershipForm) -> dict:
    kind = MemberKind(form.member_kind.data)
    organisation_id, person_id = named_holders(
        form, organisation=kind == MemberKind.ORGANISATION, person=kind == MemberKind.PERSON
    )
    if kind == MemberKind.ORGANISATION and organisation_id is None:
        raise ValidationFailed(
            {"organisation_name": _("Give the organisation's name or acronym as the directory has it.")}
        )
    if kind == MemberKind.PERSON and person_id is None:
        raise ValidationFailed({"person_name": _("Give the person's name as the directory has it.")})
    return {
        "member_kind": kind,
        "country_id": directory.country_id_from_name(form.country_name.data, "country_name")
        if kind == MemberKind.GOVERNMENT
        else None,
        "organisation_id": organisation_id,
        "person_id": person_id,
        "on_behalf_of_country_id": directory.country_id_from_name(form.on_behalf_of_name.data, "on_behalf_of_name")
        if kind == MemberKind.PERSON
        else None,
        "role": MembershipRole(form.role.data),
        "starts_on": form.starts_on.data,
        "starts_precision": DatePrecision(form.starts_precision.data),
        "ends_on": form.ends_on.data,
        "ends_precision": DatePrecision(form.ends_precision.data),
        "status": MembershipStatus(form.status.data),
        "replaces_id": form.replaces_id.data,
        "note": form.note.data or "",
        "source": form.source.data or "",
    }


@bp.route("/bodies/<int:body_id>/memberships/new", methods=["GET", "POST"])
@login_required
def membership_new(body_id: int):
    body = get_or_404(Body, body_id)
    require(current_user, Action.MEMBERSHIP_EDIT, body)
    form = _membership_form(body)
    bind_form(form, "structure/membership_form.html", body=body, membership=None)
    if form.validate_on_submit():
        membership = services.create_membership(current_user, body_id=body.id, **_membership_values(form))
        flash(_("%(member)s is recorded in %(body)s.", member=membership.member, body=body.name), "success")
        return redirect(url_for("structure.body_detail", body_id=body.id, on=membership.starts_on.isoformat()))
    return render_template("structure/membership_form.html", form=form, body=body, membership=None), (
        422 if form.errors else 200
    )


@bp.route("/memberships/<int:membership_id>/edit", methods=["GET", "POST"])
@login_required
def membership_edit(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    body = membership.body
    require(current_user, Action.MEMBERSHIP_EDIT, body)
    form = _membership_form(body, membership)
    bind_form(form, "structure/membership_form.html", body=body, membership=membership)
    if form.validate_on_submit():
        services.update_membership(current_user, membership, version_id=form.version(), **_membership_values(form))
        flash(_("The membership is saved."), "success")
        return redirect(url_for("structure.body_detail", body_id=body.id, on=membership.starts_on.isoformat()))
    return render_template("structure/membership_form.html", form=form, body=body, membership=membership), (
        422 if form.errors else 200
    )


@bp.app_context_processor
def _structure_labels() -> dict:
    """The readable names of the structure's enums, each translated once per page rather than once per row."""
    from forum.directory.models import ORGANISATION_KIND_LABELS
    from forum.structure import models

    return page_labels(
        ORGANISATION_KIND_LABELS=ORGANISATION_KIND_LABELS,
        ROLE_LABELS=models.ROLE_LABELS,
        MEMBERSHIP_STATUS_LABELS=models.MEMBERSHIP_STATUS_LABELS,
        BODY_KIND_LABELS=models.BODY_KIND_LABELS,
        TRACK_LABELS=models.TRACK_LABELS,
        CYCLE_STATUS_LABELS=models.CYCLE_STATUS_LABELS,
    )
