"""Sign-in and sign-out, the user's own account, one-time links, and the Support Unit's account list."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum.api import services as api_tokens
from forum.auth import forms, services
from forum.core.errors import ValidationFailed
from forum.core.i18n import gettext as _
from forum.core.permissions import Action, require
from forum.core.web import bind_form, get_or_404, safe_next
from forum.directory import services as directory
from forum.directory.models import TokenPurpose, User
from forum.extensions import limiter
from forum.structure import services as structure

bp = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _start_session(user: User) -> None:
    session.clear()  # a fresh session for the signed-in user: nothing set before sign-in carries over
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("structure.home"))
    form = forms.SignInForm()
    bind_form(form, "auth/sign_in.html")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        _start_session(user)
        flash(_("Welcome, %(name)s.", name=user.person.name), "success")
        return redirect(safe_next(request.args.get("next"), url_for("structure.home")))
    return render_template("auth/sign_in.html", form=form), 422 if form.errors else 200


@bp.post("/sign-out")
def sign_out():
    forms.ConfirmForm().validate_on_submit()  # CSRF is checked before the view; the form has nothing else
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("structure.home"))


def _profile_page(password_form=None, timezone_form=None, token_form=None, new_token=None, status=200):
    user = current_user._get_current_object()
    return render_template(
        "auth/profile.html",
        user=user,
        roles=services.roles_of_user(user),
        password_form=password_form or forms.ChangePasswordForm(formdata=None),
        timezone_form=timezone_form or forms.TimezoneForm(formdata=None, timezone=user.timezone),
        token_form=token_form or forms.ApiTokenForm(formdata=None),
        tokens=api_tokens.tokens_of(user),
        new_token=new_token,
        action_form=forms.ConfirmForm(),
    ), status


@bp.get("/profile")
@login_required
def profile():
    return _profile_page()


@bp.post("/profile/password")
@login_required
def password_change():
    form = forms.ChangePasswordForm()
    if not form.validate_on_submit():
        return _profile_page(password_form=form, status=422)
    try:
        user = services.change_password(
            current_user._get_current_object(), current=form.current.data, new=form.new.data, confirm=form.confirm.data
        )
    except ValidationFailed as refused:
        for name, message in refused.errors.items():
            getattr(form, name).errors = [message]
        return _profile_page(password_form=form, status=422)
    _start_session(user)  # this session carries the new epoch; every other one has ended
    flash(_("Your password has been changed. Your other sessions have been signed out."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/timezone")
@login_required
def timezone_set():
    form = forms.TimezoneForm()
    if not form.validate_on_submit():
        return _profile_page(timezone_form=form, status=422)
    try:
        services.set_timezone(current_user._get_current_object(), form.timezone.data.strip())
    except ValidationFailed as refused:
        form.timezone.errors = [refused.errors["timezone"]]
        return _profile_page(timezone_form=form, status=422)
    flash(_("Times are now shown in %(zone)s.", zone=form.timezone.data.strip()), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/api-tokens")
@login_required
def api_token_create():
    form = forms.ApiTokenForm()
    if not form.validate_on_submit():
        return _profile_page(token_form=form, status=422)
    try:
        raw = api_tokens.create_token(current_user._get_current_object(), form.name.data)
    except ValidationFailed as refused:
        form.name.errors = [refused.errors["name"]]
        return _profile_page(token_form=form, status=422)
    # shown once, in this answer only: never in a flash message, which travels in the session cookie
    return _profile_page(new_token=raw)


@bp.post("/profile/api-tokens/<int:token_id>/revoke")
@login_required
def api_token_revoke(token_id: int):
    if forms.ConfirmForm().validate_on_submit():
        api_tokens.revoke_token(current_user._get_current_object(), token_id)
        flash(_("The token is revoked: it no longer opens the API."), "success")
    return redirect(url_for("auth.profile"))


def _token_page(raw: str, purpose: TokenPurpose, template: str):
    check = services.check_token(raw, purpose)
    if check.user is None:
        return render_template("auth/link_problem.html", problem=check.problem), 410
    form = forms.SetPasswordForm()
    bind_form(form, template, person=check.user.person)
    if form.validate_on_submit():
        user = services.redeem_token(raw, purpose, form.password.data, form.confirm.data)
        _start_session(user)
        flash(_("Your password is set and you are signed in."), "success")
        return redirect(url_for("auth.profile"))
    return render_template(template, form=form, person=check.user.person), 422 if form.errors else 200


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    return _token_page(token, TokenPurpose.INVITATION, "auth/welcome.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def password_reset(token: str):
    return _token_page(token, TokenPurpose.PASSWORD_RESET, "auth/password_reset.html")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def password_forgot():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account uses this address, a link to choose a new password is on its way."), "info")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/password_forgot.html", form=form), 422 if form.errors else 200


# ------------------------------------------------------------------------------------- Support Unit pages


@bp.get("/accounts")
@login_required
def account_list():
    search = request.args.get("q", "").strip()[:100]
    page = services.account_page(current_user, search=search or None, page=request.args.get("page", 1, type=int))
    states = {user.id: services.invitation_state(user) for user in page.items}
    return render_template(
        "auth/account_list.html", page=page, states=states, search=search, action_form=forms.ConfirmForm()
    )


def _invite_form() -> forms.InviteForm:
    form = forms.InviteForm()
    wanted_rows = min(max(request.args.get("rows", 3, type=int), 3), 12)  # "more rows" is a plain link, no script
    while len(form.roles) < wanted_rows:
        form.roles.append_entry()
    organisations = [(0, "—"), *directory.organisation_choices()]
    form.person_id.choices = [(0, "—"), *directory.person_choices()]
    form.new_person_organisation_id.choices = organisations
    form.acts_for_organisation_id.choices = organisations
    bodies = [(0, "—")] + [(b.id, str(b)) for b in structure.bodies_overview()]
    for row in form.roles:
        row.form.body_id.choices = bodies
    return form


@bp.route("/accounts/invite", methods=["GET", "POST"])
@login_required
def account_invite():
    require(current_user, Action.ACCOUNT_INVITE)
    form = _invite_form()
    bind_form(form, "auth/account_invite.html")
    if form.validate_on_submit():
        user = services.invite_account(
            current_user,
            person_id=form.person_id.data,
            new_person_name=form.new_person_name.data,
            new_person_organisation_id=form.new_person_organisation_id.data,
            new_person_country_id=directory.country_id_from_name(
                form.new_person_country_name.data, "new_person_country_name"
            ),
            email=form.email.data,
            acts_for_country_id=directory.country_id_from_name(
                form.acts_for_country_name.data, "acts_for_country_name"
            ),
            acts_for_organisation_id=form.acts_for_organisation_id.data,
            roles=form.role_rows(),
        )
        flash(_("%(name)s is invited: the link is in the mail outbox.", name=user.person.name), "success")
        return redirect(url_for("auth.account_list"))
    return render_template("auth/account_invite.html", form=form), 422 if form.errors else 200


@bp.post("/accounts/<int:user_id>/invitation")
@login_required
def account_reinvite(user_id: int):
    user = get_or_404(User, user_id)
    if forms.ConfirmForm().validate_on_submit():
        services.resend_invitation(current_user, user)
        flash(_("A new invitation link has been sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.account_list"))


@bp.post("/accounts/<int:user_id>/active")
@login_required
def account_active(user_id: int):
    user = get_or_404(User, user_id)
    require(current_user, Action.ACCOUNT_INVITE, user)
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        abort(400)
    if forms.ConfirmForm().validate_on_submit():
        active = wanted == "1"
        services.set_active(current_user, user, active)
        flash(_("The account is active.") if active else _("The account is deactivated."), "success")
    return redirect(url_for("auth.account_list"))
