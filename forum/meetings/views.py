"""Meeting pages, the summit programme, the Support Unit's forms and the calendar feeds."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from forum.core.errors import NotFound, ValidationFailed
from forum.core.exports import export_response
from forum.core.i18n import gettext as _
from forum.core.i18n import page_labels
from forum.core.permissions import Action, require
from forum.core.web import bind_form, get_or_404
from forum.meetings import forms, ical, services
from forum.meetings.models import (
    AGENDA_STATUS_LABELS,
    MEETING_KIND_LABELS,
    MEETING_STATUS_LABELS,
    MINUTES_STATUS_LABELS,
    PROGRAMME_ROLE_LABELS,
    REPLY_LABELS,
    AgendaItem,
    Invitation,
    ProgrammeRoleKind,
    Reply,
)
from forum.structure import services as structure
from forum.structure.models import TRACK_LABELS, Body, MemberKind

bp = Blueprint("meetings", __name__)



def _choices(form: forms.MeetingForm) -> None:
    form.cycle_id.choices = [(c.id, str(c)) for c in structure.cycles_overview()]
    form.body_id.choices = [(0, _("No body (a summit session)"))] + [
        (b.id, f"{b.name} ({TRACK_LABELS[b.track]})") for b in structure.bodies_overview()
    ]


@bp.app_context_processor
def _labels():
    return {
        **page_labels(
            MEETING_STATUS_LABELS=MEETING_STATUS_LABELS,
            MEETING_KIND_LABELS=MEETING_KIND_LABELS,
            AGENDA_STATUS_LABELS=AGENDA_STATUS_LABELS,
            MINUTES_STATUS_LABELS=MINUTES_STATUS_LABELS,
            REPLY_LABELS=REPLY_LABELS,
            PROGRAMME_ROLE_LABELS=PROGRAMME_ROLE_LABELS,
        ),
    }


@bp.get("/meetings")
def meeting_list():
    year = request.args.get("year", type=int)
    cycle = structure.cycle_or_404(year) if year else None
    page = services.meeting_list(current_user, cycle=cycle, page=request.args.get("page", 1, type=int))
    return render_template("meetings/meeting_list.html", meetings=page.items, page=page, cycle=cycle)


def _detail_context(meeting) -> dict:
    return {
        "meeting": meeting,
        "transitions": services.MEETING_WORKFLOW.available(meeting.status),
        "minutes_transitions": services.MINUTES_WORKFLOW.available(meeting.minutes_status),
        "can_read_minutes": services.can_read_minutes(current_user, meeting),
        "agenda_form": forms.AgendaItemForm(formdata=None),
        "guest_form": forms.GuestForm(formdata=None),
        "reply_form": forms.ReplyForm(formdata=None),
        "minutes_form": forms.MinutesForm(formdata=None, text=meeting.minutes_text),
        "decision_form": forms.DecisionForm(formdata=None),
        "role_form": forms.ProgrammeRoleForm(formdata=None),
        "plain_form": FlaskForm(formdata=None),
        "Reply": Reply,
    }


@bp.get("/meetings/<int:meeting_id>")
def meeting_detail(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    return render_template("meetings/meeting_detail.html", **_detail_context(meeting))


@bp.get("/meetings/<int:meeting_id>/attendance.<fmt>")
def attendance_export(meeting_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise NotFound()
    meeting = services.meeting_detail(current_user, meeting_id)
    header, rows = services.attendance_export(current_user, meeting)
    return export_response(fmt, f"attendance-meeting-{meeting.id}", header, rows)


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def meeting_new():
    require(current_user, Action.MEETING_EDIT)
    form = forms.MeetingForm()
    _choices(form)
    bind_form(form, "meetings/meeting_form.html", meeting=None)
    if form.validate_on_submit():
        meeting = services.create_meeting(current_user, **form.to_kwargs())
        flash(_("The meeting is scheduled."), "success")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=None), 422 if form.errors else 200


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def meeting_edit(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.MeetingForm(obj=meeting)
    _choices(form)
    if request.method == "GET":
        form.starts_local.data, form.ends_local.data = (t.replace(tzinfo=None) for t in services.local_times(meeting))
        form.version_id.data = meeting.version_id
    bind_form(form, "meetings/meeting_form.html", meeting=meeting)
    if form.validate_on_submit():
        services.update_meeting(current_user, meeting, version_id=form.version(), **form.to_kwargs())
        flash(_("The meeting is saved."), "success")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=meeting), 422 if form.errors else 200


def _bind_detail(meeting) -> FlaskForm:
    """The page to show again, with the message, when a small form on the meeting page is refused."""
    context = _detail_context(meeting)
    form = FlaskForm()
    bind_form(form, "meetings/meeting_detail.html", **{k: v for k, v in context.items() if k != "plain_form"})
    return form


@bp.post("/meetings/<int:meeting_id>/status/<name>")
@login_required
def meeting_status(meeting_id: int, name: str):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.StatusForm()
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("The form expired; try again.")})
    services.change_status(current_user, meeting, name, comment=form.comment.data or "")
    flash(_("Status: %(status)s.", status=MEETING_STATUS_LABELS[meeting.status]), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/invitations/refresh")
@login_required
def invitations_refresh(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    added = services.refresh_invitations(current_user, meeting)
    flash(_("%(n)s invitee(s) added from the body's members.", n=added), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/guests")
@login_required
def guest_add(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.GuestForm()
    context = _detail_context(meeting) | {"guest_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    bind_form(form, "meetings/meeting_detail.html", **context)
    services.add_guest(
        current_user, meeting, member_kind=MemberKind(form.member_kind.data), member_id=form.member_id.data
    )
    flash(_("Guest invited."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


@bp.post("/invitations/<int:invitation_id>/reply")
@login_required
def invitation_reply(invitation_id: int):
    invitation = get_or_404(Invitation, invitation_id)
    meeting = services.meeting_detail(current_user, invitation.meeting_id)
    require(current_user, Action.MEETING_REPLY, invitation)
    form = forms.ReplyForm()
    context = _detail_context(meeting) | {"reply_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    bind_form(form, "meetings/meeting_detail.html", **context)
    services.reply_to_invitation(
        current_user, invitation, reply=Reply(form.reply.data), represented_by=form.represented_by.data or ""
    )
    flash(_("Your reply is recorded."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/attendance")
@login_required
def attendance_record(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = _bind_detail(meeting)
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("The form expired; try again.")})
    attended, counts = set(), {}
    for invitation in meeting.invitations:
        if request.form.get(f"attended-{invitation.id}"):
            attended.add(invitation.id)
        raw = (request.form.get(f"interventions-{invitation.id}") or "").strip()
        if raw and not raw.isdigit():
            raise ValidationFailed({"": _("Interventions are a whole number, zero or more.")})
        counts[invitation.id] = int(raw) if raw else None
    services.record_attendance(current_user, meeting, attended_ids=attended, interventions=counts)
    flash(_("Attendance recorded."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


# ---------------------------------------------------------------------------------------------------- agenda


@bp.post("/meetings/<int:meeting_id>/agenda")
@login_required
def agenda_item_add(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.AgendaItemForm()
    context = _detail_context(meeting) | {"agenda_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    bind_form(form, "meetings/meeting_detail.html", **context)
    services.add_agenda_item(current_user, meeting, **form.to_kwargs())
    flash(_("Agenda item added."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="agenda"))


def _item_and_meeting(item_id: int):
    item = get_or_404(AgendaItem, item_id)
    meeting = services.meeting_detail(current_user, item.meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    return item


@bp.post("/agenda-items/<int:item_id>/move/<direction>")
@login_required
def agenda_item_move(item_id: int, direction: str):
    item = _item_and_meeting(item_id)
    _bind_detail(item.meeting)
    services.move_agenda_item(current_user, item, direction)
    return redirect(url_for(".meeting_detail", meeting_id=item.meeting_id, _anchor="agenda"))


@bp.post("/agenda-items/<int:item_id>/delete")
@login_required
def agenda_item_delete(item_id: int):
    item = _item_and_meeting(item_id)
    meeting_id = item.meeting_id
    services.remove_agenda_item(current_user, item)
    flash(_("Agenda item removed."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting_id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/agenda/publish")
@login_required
def agenda_publish(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    _bind_detail(meeting)
    sent = services.publish_agenda(current_user, meeting)
    flash(_("Agenda published; %(n)s invitee account(s) notified.", n=sent), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="agenda"))


# ---------------------------------------------------------------------------------------------------- minutes


@bp.post("/meetings/<int:meeting_id>/minutes")
@login_required
def minutes_save(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.MinutesForm()
    context = _detail_context(meeting) | {"minutes_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    bind_form(form, "meetings/meeting_detail.html", **context)
    services.save_minutes(current_user, meeting, text=form.text.data)
    flash(_("Minutes saved as a draft."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="minutes"))


@bp.post("/meetings/<int:meeting_id>/minutes/<name>")
@login_required
def minutes_transition(meeting_id: int, name: str):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    _bind_detail(meeting)
    services.change_minutes(current_user, meeting, name)
    flash(_("Minutes: %(status)s.", status=MINUTES_STATUS_LABELS[meeting.minutes_status]), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="minutes"))


@bp.post("/meetings/<int:meeting_id>/decisions")
@login_required
def decision_add(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.DecisionForm()
    context = _detail_context(meeting) | {"decision_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    bind_form(form, "meetings/meeting_detail.html", **context)
    services.add_decision(current_user, meeting, **{k: form[k].data or "" for k in ("text", "link_title", "link_url")})
    flash(_("Decision recorded."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="minutes"))


@bp.post("/meetings/<int:meeting_id>/roles")
@login_required
def programme_role_add(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    require(current_user, Action.MEETING_EDIT, meeting)
    form = forms.ProgrammeRoleForm()
    context = _detail_context(meeting) | {"role_form": form}
    if not form.validate_on_submit():
        return render_template("meetings/meeting_detail.html", **context), 422
    services.add_programme_role(current_user, meeting, kind=ProgrammeRoleKind(form.kind.data), label=form.label.data)
    flash(_("Added to the programme."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


# ---------------------------------------------------------------------------------------------------- programme


@bp.get("/cycles/<int:year>/programme")
def programme(year: int):
    cycle = structure.cycle_or_404(year)
    return render_template("meetings/programme.html", cycle=cycle, days=services.programme(cycle))


# ---------------------------------------------------------------------------------------------------- calendars


def _ics(meetings, name: str, filename: str) -> Response:
    text = ical.calendar(meetings, name=name, base_url=current_app.config.get("BASE_URL", request.host_url))
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/cycles/<int:year>/calendar.ics")
def cycle_calendar(year: int):
    cycle = structure.cycle_or_404(year)
    return _ics(services.public_calendar(cycle=cycle), f"GFMD {cycle.year}", f"gfmd-{cycle.year}.ics")


@bp.get("/bodies/<int:body_id>/calendar.ics")
def body_calendar(body_id: int):
    body = get_or_404(Body, body_id)
    return _ics(services.public_calendar(body=body), body.name, f"body-{body.id}.ics")


@bp.get("/meetings/<int:meeting_id>/calendar.ics")
def meeting_calendar(meeting_id: int):
    meeting = services.meeting_detail(current_user, meeting_id)
    if not meeting.is_public:
        raise NotFound()
    return _ics([meeting], meeting.title, f"meeting-{meeting.id}.ics")


@bp.get("/meetings/my-calendar")
@login_required
def personal_calendar():
    return render_template(
        "meetings/personal_calendar.html",
        has_feed=services.has_personal_feed(current_user),
        feed_url=None,
        form=FlaskForm(formdata=None),
    )


@bp.post("/meetings/my-calendar")
@login_required
def personal_calendar_reset():
    form = FlaskForm()
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("The form expired; try again.")})
    token = services.reset_personal_feed(current_user)
    feed_url = url_for(".personal_feed", token=token, _external=True)
    return render_template("meetings/personal_calendar.html", has_feed=True, feed_url=feed_url, form=form)


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    user, meetings = services.personal_feed(token)
    response = _ics(meetings, f"GFMD meetings for {user.person.name}", "my-gfmd-meetings.ics")
    response.headers["Cache-Control"] = "private, no-store"
    return response
