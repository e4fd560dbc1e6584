"""Notification pages: the in-app list, "my tasks", preferences (signed in or through the link in each mail),
and the Support Unit's reminder rules and outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError

from forum.core.i18n import gettext as _
from forum.core.outbox import MailStatus
from forum.core.permissions import Action, require
from forum.core.web import bind_form
from forum.notifications import forms, services
from forum.notifications.kinds import KINDS
from forum.notifications.models import DELIVERY_LABELS

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _unread() -> int:
    try:
        return services.unread_count(current_user)
    except SQLAlchemyError:  # the error page of a lost database connection must still render
        return 0


@bp.app_context_processor
def _helpers():
    return {"unread_notifications": _unread}


# ------------------------------------------------------------------------------------- the user's pages


@bp.get("/")
@login_required
def inbox():
    page = services.inbox_page(
        current_user, page=request.args.get("page", 1, type=int), unread_only=request.args.get("unread") == "1"
    )
    return render_template("notifications/inbox.html", page=page, form=FlaskForm(), kinds=KINDS)


@bp.post("/<int:notification_id>/read")
@login_required
def notification_read(notification_id: int):
    services.mark_read(current_user, notification_id)
    return redirect(url_for(".inbox"))


@bp.post("/read-all")
@login_required
def notifications_read_all():
    services.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".inbox"))


@bp.get("/tasks")
@login_required
def my_tasks():
    return render_template("notifications/my_tasks.html", tasks=services.my_tasks(current_user))


def _preferences(user, action: str):
    form = forms.preferences_form(services.preferences_of(user, user), user.timezone, services.mandatory_kinds())
    context = {"user": user, "action": action, "labels": DELIVERY_LABELS}
    bind_form(form, "notifications/preferences.html", **context)
    if form.validate_on_submit():
        services.save_preferences(user, user, **form.to_kwargs())
        flash(_("Your notification settings are saved."), "success")
        return redirect(action)
    return render_template("notifications/preferences.html", form=form, **context), 422 if form.errors else 200


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    return _preferences(current_user, url_for(".preferences"))


@bp.route("/preferences/<token>", methods=["GET", "POST"])
def preferences_by_token(token: str):
    """The link in every mail: it opens the settings of the account it was sent to, without signing in."""
    user = services.user_from_token(token)
    return _preferences(user, url_for(".preferences_by_token", token=token))


# ----------------------------------------------------------------------------------- Support Unit: rules


@bp.get("/rules")
@login_required
def rule_list():
    return render_template("notifications/rule_list.html", rules=services.rule_list(current_user), kinds=KINDS)


def _rule_form(rule):
    form = forms.ReminderRuleForm(obj=rule)
    if request.method == "GET" and rule is not None:
        form.recipient_roles.data = rule.roles
        form.version_id.data = rule.version_id
    context = {"rule": rule, "kinds": KINDS, "preview": None}
    bind_form(form, "notifications/rule_form.html", **context)
    if form.validate_on_submit():
        if "preview" in request.form:
            context["preview"] = services.preview_rule(current_user, **form.to_kwargs())
            return render_template("notifications/rule_form.html", form=form, **context)
        if rule is None:
            rule = services.create_rule(current_user, **form.to_kwargs())
        else:
            services.update_rule(current_user, rule, version_id=form.version(), **form.to_kwargs())
        flash(_("The reminder rule is saved."), "success")
        return redirect(url_for(".rule_list"))
    return render_template("notifications/rule_form.html", form=form, **context), 422 if form.errors else 200


@bp.route("/rules/new", methods=["GET", "POST"])
@login_required
def rule_new():
    require(current_user, Action.REMINDER_RULE_EDIT)
    return _rule_form(None)


@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
@login_required
def rule_edit(rule_id: int):
    return _rule_form(services.get_rule(current_user, rule_id))


# ---------------------------------------------------------------------------------- Support Unit: outbox


@bp.get("/outbox")
@login_required
def outbox():
    status = request.args.get("status", "")
    page = services.outbox_page(
        current_user,
        status=MailStatus(status) if status in MailStatus._value2member_map_ else None,
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "notifications/outbox.html",
        page=page,
        status=status,
        counts=services.outbox_counts(current_user),
        paused=services.sending_paused(),
        form=FlaskForm(),
        statuses=list(MailStatus),
    )


@bp.post("/outbox/<int:message_id>/resend")
@login_required
def outbox_resend(message_id: int):
    services.resend_message(current_user, message_id)
    flash(_("The message is queued again."), "success")
    return redirect(url_for(".outbox", status="failed"))


@bp.post("/outbox/pause")
@login_required
def outbox_pause():
    require(current_user, Action.OUTBOX_MANAGE)  # before looking at the input: others learn nothing from it
    choice = request.form.get("paused")
    if choice not in ("0", "1"):
        abort(400)
    paused = choice == "1"
    services.set_sending_paused(current_user, paused)
    flash(_("All sending is paused.") if paused else _("Sending has resumed."), "success")
    return redirect(url_for(".outbox"))
