"""Pages of outcomes and their follow-up: a cycle's outcomes and follow-up report (with exports), an outcome, an
action with its timeline and the form to report progress, the Support Unit's forms, the Chair's review, the
hand-over carry-over and a government's "our follow-up"."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from datetime import date
from typing import NamedTuple, TypeVar

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from jinja2.filters import do_truncate
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from forum import LANGUAGE_NAMES
from forum.core import cache
from forum.core.dates import fuzzy_date_label, today
from forum.core.errors import NotFound, ValidationFailed
from forum.core.exports import export_response
from forum.core.html import badge, percent
from forum.core.i18n import gettext as _
from forum.core.i18n import ngettext, page_labels
from forum.core.permissions import Action, can, principal_of, require
from forum.core.themes import THEMES
from forum.core.web import bind_form, id_urls
from forum.outcomes import forms, reminders, services
from forum.outcomes.models import (
    ADDRESSEE_KIND_LABELS,
    COMMITMENT_LABELS,
    FOLLOW_UP_STATUS_LABELS,
    NAMED_ADDRESSEES,
    ORIGINAL_LANGUAGE,
    OUTCOME_KIND_LABELS,
    STATEMENT_KIND_LABELS,
    AddresseeKind,
    FollowUpStatus,
)
from forum.roundtables.services import Upload, session_by_reference
from forum.structure.services import cycle_or_404

bp = Blueprint("outcomes", __name__)

T = TypeVar("T")

#: the follow-up's reminder kinds register themselves on import
REMINDER_KINDS = (reminders.FollowUpActionKind, reminders.UpdateRequestKind)

EXPORT_FORMATS = {"csv", "xlsx"}


#: the colour of a follow-up status
STATUS_BADGE_CLASSES = {
    FollowUpStatus.DONE: "text-bg-success",
    FollowUpStatus.IN_PROGRESS: "text-bg-primary",
    FollowUpStatus.NOT_STARTED: "text-bg-light border",
    FollowUpStatus.STALLED: "text-bg-warning",
    FollowUpStatus.DROPPED: "text-bg-secondary",
    FollowUpStatus.CARRIED_OVER: "text-bg-info",
}


def progress_bar(value: int | None, label: str | None = None) -> Markup:
    """A progress bar for 0-100 (a function, not a macro: the follow-up lists show one per row)."""
    if value is None:
        return Markup(f'<span class="text-muted small">{escape(_("no action yet"))}</span>')  # noqa: S704 # nosec B704
    bar = (
        f'<div class="progress" role="progressbar" aria-label="{escape(label or _("Progress"))}" '
        f'aria-valuenow="{int(value)}" aria-valuemin="0" aria-valuemax="100">'
        f'<div class="progress-bar progress-{(int(value) // 10) * 10}">{escape(percent(value))}</div></div>'
    )
    return Markup(bar)  # noqa: S704 # nosec B704


def due(action, day) -> Markup:
    """An action's due date as it was given ("Q1 2011"), flagged when it is overdue on `day`."""
    if not action.due_on:
        return Markup('<span class="text-muted">—</span>')
    html = f'<span class="text-nowrap">{escape(fuzzy_date_label(action.due_on, action.due_precision))}</span>'
    if action.is_overdue(day):
        html += f' <span class="badge text-bg-danger">{escape(_("overdue"))}</span>'
    return Markup(html)  # noqa: S704 # nosec B704


def owners(action) -> Markup:
    """An action's owner, then its co-owners."""
    html = str(escape(action.owner))
    if co_owners := action.co_owner_names:
        html += f' <span class="small text-muted">{escape(_("with"))} {escape(", ".join(co_owners))}</span>'
    return Markup(html)  # noqa: S704 # nosec B704


def action_row(action, day, show_cycle: bool, status_badge, action_url: Callable[[int], str]) -> Markup:
    """One row of a follow-up list (review, cycle, our follow-up): a function, as the lists draw thirty of them;
    the description is cut as the template filter `truncate(110)` cuts it."""
    outcome_url = url_for("outcomes.outcome_detail", reference=action.outcome_reference)
    description = do_truncate(current_app.jinja_env, action.description, 110)
    carried = f' <span class="badge text-bg-info">{escape(_("carried over"))}</span>' if action.carried_from_id else ""
    cycle = f"<td>{escape(action.cycle_year)}</td>" if show_cycle else ""
    row_class = ' class="table-danger"' if action.is_overdue(day) else ""
    return Markup(  # noqa: S704 # nosec B704
        f'<tr{row_class}><td class="text-nowrap"><a href="{escape(outcome_url)}">{escape(action.outcome_reference)}'
        f'</a></td><td><a href="{escape(action_url(action.id))}">{escape(description)}</a>{carried}</td>{cycle}'
        f"<td>{owners(action)}</td><td>{due(action, day)}</td><td>{status_badge(action.status)}</td>"
        f"<td>{progress_bar(action.progress)}</td></tr>"
    )


@bp.app_context_processor
def _labels():
    labels = page_labels(
        OUTCOME_KIND_LABELS=OUTCOME_KIND_LABELS,
        COMMITMENT_LABELS=COMMITMENT_LABELS,
        ADDRESSEE_KIND_LABELS=ADDRESSEE_KIND_LABELS,
        FOLLOW_UP_STATUS_LABELS=FOLLOW_UP_STATUS_LABELS,
        STATEMENT_KIND_LABELS=STATEMENT_KIND_LABELS,
        THEMES=THEMES,
    )
    statuses = labels["FOLLOW_UP_STATUS_LABELS"]

    # for a list's rows: a badge written once per status, the actions' links from one URL built once
    @functools.cache
    def status_badge(status: FollowUpStatus) -> Markup:
        return badge(STATUS_BADGE_CLASSES[status], statuses[status])

    @functools.cache
    def action_urls() -> Callable[[int], str]:
        return id_urls("outcomes.action_detail", "action_id")

    def row(action, day, show_cycle=False) -> Markup:
        return action_row(action, day, show_cycle, status_badge, action_urls())

    return {
        **labels,
        "status_badge": status_badge,
        "action_row": row,
        "progress_bar": progress_bar,
        "due": due,
        "owners": owners,
        "percent": percent,
        "session_outcomes": lambda session: services.session_outcomes(current_user, session),
        "session_statements": services.session_statements,
    }


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _filters(cycle=None) -> services.FollowUpFilters:
    """The filters in the URL; a value that is not one of the choices is ignored, never an error."""
    args = request.args
    addressee = args.get("addressee")
    status = args.get("status")
    theme = args.get("theme")
    return services.FollowUpFilters(
        cycle_id=cycle.id if cycle else None,
        roundtable=args.get("roundtable", type=int) if (args.get("roundtable") or "").isdigit() else None,
        addressee=AddresseeKind(addressee) if addressee in {k.value for k in AddresseeKind} else None,
        owner_country_id=args.get("owner", type=int) if (args.get("owner") or "").isdigit() else None,
        theme=theme if theme in THEMES else None,
        status=FollowUpStatus(status) if status in {s.value for s in FollowUpStatus} else None,
    )


def _filter_context(cycle=None) -> dict:
    return services.filter_choices(cycle)._asdict()


# ------------------------------------------------------------------------------------------ public pages


@bp.get("/cycles/<int:year>/outcomes")
def cycle_outcomes(year: int):
    """The cycle's follow-up report: its outcomes' actions with their current status, filterable."""
    cycle = cycle_or_404(year)
    filters = _filters(cycle)

    def render(page_number: int, day: date) -> Markup:
        body = render_template(
            "outcomes/_cycle_outcomes_body.html",
            cycle=cycle,
            filters=filters,
            page=services.follow_up_page(current_user, filters, page_number),
            outcomes=services.cycle_outcome_lines(current_user, cycle),
            today=day,
            **_filter_context(cycle),
        )
        return Markup(body)  # noqa: S704 # nosec B704 - rendered by the template, which escapes

    body = _kept_follow_up("outcomes.cycle", cycle, filters, render)
    return render_template("outcomes/cycle_outcomes.html", cycle=cycle, filters=filters, body=body)


def _kept_follow_up(name: str, cycle, filters, render: Callable[[int, date], T]) -> T:
    """What a follow-up page shows alike to every reader who sees as much, kept while the data is unchanged
    (forum.core.cache): by the cycle, whether the reader sees drafts, the filters, the page asked for, the day
    (what is overdue) and the language."""
    page_number = request.args.get("page", 1, type=int)
    day = today()
    reader = services.may_see_internal(current_user)
    key = (cycle.id if cycle else None, reader, filters, page_number, day, str(get_locale()))
    return cache.cached(name, key, lambda: render(page_number, day))


def _export_rows(actions):
    for a in actions:
        yield [
            a.outcome_reference,
            a.outcome_title,
            a.description,
            a.owner,
            "; ".join(a.co_owner_names),
            a.due_on,
            a.due_precision.value,
            FOLLOW_UP_STATUS_LABELS[a.status],
            a.progress,
            a.is_overdue(today()),
            a.indicator,
            a.target,
        ]


EXPORT_HEADER = [
    "outcome",
    "outcome title",
    "action",
    "owner",
    "co-owners",
    "due",
    "due precision",
    "status",
    "progress %",
    "overdue",
    "indicator",
    "target",
]


@bp.get("/cycles/<int:year>/follow-up.<fmt>")
def follow_up_export(year: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise NotFound()
    cycle = cycle_or_404(year)
    rows = services.follow_up_rows(current_user, _filters(cycle))
    return export_response(fmt, f"follow-up-{cycle.year}", EXPORT_HEADER, _export_rows(rows))


@bp.get("/cycles/<int:year>/follow-up/print")
def follow_up_print(year: int):
    cycle = cycle_or_404(year)
    filters = _filters(cycle)
    return render_template(
        "outcomes/follow_up_print.html",
        cycle=cycle,
        filters=filters,
        actions=services.follow_up_rows(current_user, filters),
        summary=services.review_summary(current_user, filters),
        today=today(),
    )


@bp.get("/outcomes/<reference>")
def outcome_detail(reference: str):
    outcome = services.outcome_by_reference(current_user, reference)
    return render_template(
        "outcomes/outcome_detail.html",
        outcome=outcome,
        continued_by=services.continued_by(current_user, outcome),
        rollup=services.outcome_rollups([outcome]).get(outcome.id),
        reviews=services.reviews_of(None, outcome) if can(current_user, Action.FOLLOW_UP_REVIEW_VIEW) else [],
        link_form=_link_form() if can(current_user, Action.OUTCOME_EDIT) else None,
        translation_form=_translation_form(formdata=None) if can(current_user, Action.OUTCOME_EDIT) else None,
        reader=services.reader_text(outcome, str(get_locale())),
        original_language=LANGUAGE_NAMES[ORIGINAL_LANGUAGE],
        today=today(),
    )


@bp.get("/follow-up/actions/<int:action_id>")
def action_detail(action_id: int):
    action = services.action_for(current_user, action_id)
    return render_template("outcomes/action_detail.html", **_action_context(action))


def _update_form(action, **kwargs) -> forms.UpdateForm:
    form = forms.UpdateForm(**kwargs)
    countries = [(c, n) for c, n in services.party_names(action) if c]
    form.on_behalf_of.choices = _choices([(0, _("— the owner —")), *countries])
    return form


def _action_context(action, **overrides) -> dict:
    may_report = can(current_user, Action.FOLLOW_UP_REPORT, action) and action.is_open
    context = {
        "action": action,
        "updates": services.timeline(current_user, action),
        "update_form": _update_form(action, formdata=None) if may_report else None,
        "today": today(),
    }
    context.update(overrides)
    return context


@bp.post("/follow-up/actions/<int:action_id>/updates")
@login_required
def update_add(action_id: int):
    action = services.action_for(current_user, action_id)
    require(current_user, Action.FOLLOW_UP_REPORT, action)
    form = _update_form(action)
    bind_form(form, "outcomes/action_detail.html", **_action_context(action, update_form=form))
    if not form.validate_on_submit():
        return render_template("outcomes/action_detail.html", **_action_context(action, update_form=form)), 422
    upload = request.files.get(form.evidence_file.name)
    services.report_progress(
        current_user,
        action,
        status=form.status.data,
        progress=form.progress.data,
        note=form.note.data or "",
        is_public=not form.is_internal.data,
        evidence_url=form.evidence_url.data or "",
        # read whole (bounded by MAX_CONTENT_LENGTH) so no file handle outlives the request
        evidence_file=Upload(upload.filename or "", upload.read()) if upload else None,
        on_behalf_of_country_id=form.on_behalf_of.data,
    )
    flash(_("Progress reported. Thank you."), "success")
    return redirect(url_for(".action_detail", action_id=action.id))


@bp.get("/follow-up/actions/<int:action_id>/updates/<int:update_id>/evidence")
def update_evidence(action_id: int, update_id: int):
    path, name, mimetype = services.evidence_path(current_user, action_id, update_id)
    if not path.is_file():
        raise NotFound()
    return send_file(io.BytesIO(path.read_bytes()), mimetype=mimetype, as_attachment=True, download_name=name)


# ------------------------------------------------------------------------------ the Support Unit's forms


def _outcome_form(**kwargs) -> forms.OutcomeForm:
    form = forms.OutcomeForm(**kwargs)
    form.addressee_countries.choices = _choices(services.country_choices())
    form.addressee_bodies.choices = _choices(services.body_choices())
    form.addressee_organisations.choices = _choices(services.organisation_choices())
    return form


@bp.route("/sessions/<ref>/outcomes/new", methods=["GET", "POST"])
@login_required
def outcome_new(ref: str):
    require(current_user, Action.OUTCOME_EDIT)
    session = session_by_reference(ref)
    form = _outcome_form()
    context = {"form": form, "session": session, "outcome": None}
    bind_form(form, "outcomes/outcome_form.html", session=session, outcome=None)
    if form.validate_on_submit():
        outcome = services.record_outcome(
            current_user,
            cycle=session.roundtable.cycle,
            session=session,
            number=form.number.data,
            source=form.source.data or "",
            **form.values(),
        )
        flash(_("Outcome %(ref)s recorded.", ref=outcome.reference), "success")
        return redirect(url_for(".outcome_detail", reference=outcome.reference))
    return render_template("outcomes/outcome_form.html", **context), 422 if form.errors else 200


@bp.route("/outcomes/<reference>/edit", methods=["GET", "POST"])
@login_required
def outcome_edit(reference: str):
    require(current_user, Action.OUTCOME_EDIT)
    outcome = services.outcome_by_reference(current_user, reference)
    if request.method == "GET":
        form = _outcome_form(obj=outcome)
        form.version_id.data = outcome.version_id
        form.themes.data = [t.code for t in outcome.themes]
        form.addressee_groups.data = [a.kind for a in outcome.addressees if a.kind not in NAMED_ADDRESSEES]
        form.addressee_countries.data = [a.country_id for a in outcome.addressees if a.country_id]
        form.addressee_bodies.data = [a.body_id for a in outcome.addressees if a.body_id]
        form.addressee_organisations.data = [a.organisation_id for a in outcome.addressees if a.organisation_id]
    else:
        form = _outcome_form()
    del form.number
    context = {"session": outcome.session, "outcome": outcome}
    bind_form(form, "outcomes/outcome_form.html", **context)
    if form.validate_on_submit():
        services.update_outcome(
            current_user, outcome, version_id=form.version(), reason=form.reason.data or "", **form.values()
        )
        flash(_("Outcome saved."), "success")
        return redirect(url_for(".outcome_detail", reference=outcome.reference))
    return render_template("outcomes/outcome_form.html", form=form, **context), 422 if form.errors else 200


def _session_press(ref: str):
    require(current_user, Action.OUTCOME_EDIT)
    return session_by_reference(ref)


def _back_to_session(session):
    return redirect(url_for("roundtables.session_detail", ref=session.reference) + "#outcomes")


@bp.post("/sessions/<ref>/outcomes/publish")
@login_required
def outcomes_publish(ref: str):
    session = _session_press(ref)
    form = forms.FlaskForm()
    if not form.validate_on_submit():
        raise ValidationFailed({"": _("The form expired; try again.")})
    count = services.publish_session_outcomes(current_user, session)
    flash(_("%(n)s outcomes published; their text is now frozen.", n=count), "success")
    return _back_to_session(session)


def _require_valid(form) -> None:
    """A small form posted from a session's or an outcome's page: refused with the first error of each field."""
    if not form.validate_on_submit():
        raise ValidationFailed({name: errs[0] for name, errs in form.errors.items()})


@bp.post("/sessions/<ref>/statements")
@login_required
def statement_add(ref: str):
    session = _session_press(ref)
    form = forms.StatementForm()
    _require_valid(form)
    services.add_statement(
        current_user, session, kind=form.kind.data, text=form.text.data or "", source=form.source.data or ""
    )
    flash(_("Recorded."), "success")
    return _back_to_session(session)


def _link_form(**kwargs) -> forms.LinkForm:
    form = forms.LinkForm(**kwargs)
    form.project_id.choices = _choices([(0, _("— none —")), *services.project_choices()])
    form.meeting_id.choices = _choices([(0, _("— none —")), *services.working_group_meeting_choices()])
    return form


def _translation_form(**kwargs) -> forms.TranslationForm:
    form = forms.TranslationForm(**kwargs)
    form.language.choices = list(services.translation_languages().items())
    return form


@bp.post("/outcomes/<reference>/translations")
@login_required
def translation_save(reference: str):
    require(current_user, Action.OUTCOME_EDIT)
    outcome = services.outcome_by_reference(current_user, reference)
    form = _translation_form()
    _require_valid(form)
    translation = services.save_translation(
        current_user, outcome, language=form.language.data, title=form.title.data, text=form.text.data
    )
    flash(
        _("Translation saved (%(language)s).", language=services.translation_languages()[translation.language]),
        "success",
    )
    return redirect(url_for(".outcome_detail", reference=outcome.reference))


@bp.post("/outcomes/<reference>/links")
@login_required
def link_add(reference: str):
    require(current_user, Action.OUTCOME_EDIT)
    outcome = services.outcome_by_reference(current_user, reference)
    form = _link_form()
    _require_valid(form)
    services.add_link(
        current_user,
        outcome,
        earlier_reference=form.earlier_reference.data or "",
        session_reference=form.session_reference.data or "",
        project_id=form.project_id.data,
        meeting_id=form.meeting_id.data,
        note=form.note.data or "",
    )
    flash(_("Link added."), "success")
    return redirect(url_for(".outcome_detail", reference=outcome.reference))


def _action_form(**kwargs) -> forms.ActionForm:
    form = forms.ActionForm(**kwargs)
    parties = [(forms.party_code(country_id=i), n) for i, n in services.country_choices()]
    parties += [(forms.party_code(organisation_id=i), n) for i, n in services.organisation_choices()]
    form.owner.choices = _choices(parties)
    form.co_owners.choices = _choices(parties)
    return form


@bp.route("/outcomes/<reference>/actions/new", methods=["GET", "POST"])
@login_required
def action_new(reference: str):
    require(current_user, Action.OUTCOME_EDIT)
    outcome = services.outcome_by_reference(current_user, reference)
    form = _action_form()
    bind_form(form, "outcomes/action_form.html", outcome=outcome)
    if form.validate_on_submit():
        action = services.add_action(
            current_user,
            outcome,
            description=form.description.data or "",
            owner=forms.party_of(form.owner.data),
            co_owners=[forms.party_of(c) for c in form.co_owners.data or []],
            due_on=form.due_on.data,
            due_precision=form.due_precision.data,
            indicator=form.indicator.data or "",
            target=form.target.data or "",
        )
        flash(_("Follow-up action added."), "success")
        return redirect(url_for(".action_detail", action_id=action.id))
    return render_template("outcomes/action_form.html", form=form, outcome=outcome), 422 if form.errors else 200


@bp.route("/cycles/<int:year>/carry-over", methods=["GET", "POST"])
@login_required
def carry_over(year: int):
    require(current_user, Action.OUTCOME_EDIT)
    cycle = cycle_or_404(year)
    actions = services.open_actions(cycle)
    form = forms.CarryOverForm()
    form.action_ids.choices = _choices([(a.id, a.description) for a in actions])
    context = {"cycle": cycle, "actions": actions, "next_cycle": services.next_cycle(cycle), "today": today()}
    bind_form(form, "outcomes/carry_over.html", **context)
    if form.validate_on_submit():
        carried = services.carry_over(current_user, cycle, form.action_ids.data, note=form.note.data or "")
        flash(_("%(n)s actions carried over.", n=len(carried)), "success")
        return redirect(url_for(".carry_over", year=cycle.year))
    return render_template("outcomes/carry_over.html", form=form, **context), 422 if form.errors else 200


# --------------------------------------------------------------------------------------- the Chair's review


class ReviewParts(NamedTuple):
    """What the review shows alike to every reader who sees as much: kept rendered while the data is unchanged."""

    #: the counts, the charts, the roll-ups and the page of actions, as HTML
    body: Markup
    #: what the filters offer
    choices: services.FilterChoices
    #: what a review of the cycle may be about
    outcome_choices: list[tuple[int, str]]


def _review_parts(cycle, filters) -> ReviewParts:
    def render(page_number: int, day: date) -> ReviewParts:
        body = render_template(
            "outcomes/_review_body.html",
            cycle=cycle,
            filters=filters,
            summary=services.review_summary(current_user, filters),
            page=services.follow_up_page(current_user, filters, page_number, per_page=25),
            today=day,
        )
        return ReviewParts(
            body=Markup(body),  # noqa: S704 # nosec B704 - rendered by the template, which escapes
            choices=services.filter_choices(cycle),
            outcome_choices=services.reviewable_outcome_choices(cycle) if cycle else [],
        )

    return _kept_follow_up("outcomes.review", cycle, filters, render)


def _review_form(parts: ReviewParts, **kwargs) -> forms.ReviewForm:
    form = forms.ReviewForm(**kwargs)
    form.outcome_id.choices = _choices([(0, _("The whole cycle")), *parts.outcome_choices])
    return form


def _review_context(cycle, filters, **overrides) -> dict:
    parts = _review_parts(cycle, filters)
    context = {
        "cycle": cycle,
        "filters": filters,
        "parts": parts,
        "reviews": services.reviews_of(cycle),
        "review_form": _review_form(parts, formdata=None)
        if cycle and can(current_user, Action.FOLLOW_UP_REVIEW)
        else None,
    }
    context.update(overrides)
    return context


@bp.get("/cycles/<int:year>/follow-up/review")
@login_required
def review(year: int):
    require(current_user, Action.FOLLOW_UP_REVIEW_VIEW)
    cycle = cycle_or_404(year)
    return render_template("outcomes/review.html", **_review_context(cycle, _filters(cycle)))


@bp.get("/follow-up/review")
@login_required
def review_all():
    require(current_user, Action.FOLLOW_UP_REVIEW_VIEW)
    return render_template("outcomes/review.html", **_review_context(None, _filters()))


@bp.post("/cycles/<int:year>/follow-up/reviews")
@login_required
def review_add(year: int):
    require(current_user, Action.FOLLOW_UP_REVIEW)
    cycle = cycle_or_404(year)
    filters = _filters(cycle)
    form = _review_form(_review_parts(cycle, filters))
    bind_form(form, "outcomes/review.html", **_review_context(cycle, filters, review_form=form))
    if not form.validate_on_submit():
        return render_template("outcomes/review.html", **_review_context(cycle, filters, review_form=form)), 422
    outcome = services.outcome_in_cycle(cycle, form.outcome_id.data) if form.outcome_id.data else None
    review = services.record_review(
        current_user,
        cycle,
        outcome=outcome,
        comment=form.comment.data or "",
        requests_update=form.requests_update.data,
        update_due_on=form.update_due_on.data,
    )
    if review.requests:
        message = ngettext(
            "Review recorded; %(num)s open action now shows a request for an update.",
            "Review recorded; %(num)s open actions now show a request for an update.",
            len(review.requests),
        )
    else:
        message = _("Review recorded.")
    flash(message, "success")
    return redirect(url_for(".review", year=cycle.year, **filters.as_args()))


# ------------------------------------------------------------------------------------------- our follow-up


@bp.get("/follow-up/ours")
@login_required
def our_follow_up():
    page = services.our_follow_up(current_user, request.args.get("page", 1, type=int))
    return render_template(
        "outcomes/our_follow_up.html",
        page=page,
        requests=services.open_requests_for(principal_of(current_user).focal_country_ids),
        today=today(),
    )
