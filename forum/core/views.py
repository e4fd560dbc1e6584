"""Shared pages: the audit log (Support Unit), language choice, and a bare benchmark route."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_login import current_user, login_required

from forum import LANGUAGE_NAMES, LANGUAGES, RIGHT_TO_LEFT
from forum.core import services
from forum.core.web import safe_next

bp = Blueprint("core", __name__)


@bp.get("/hello")
def hello():
    """The benchmark's yardstick: the same app and server, no database, no template."""
    return "hello"


@bp.app_context_processor
def _languages():
    """The switcher at the foot of every page (each language named in itself), and the right-to-left ones."""
    return {"interface_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], "rtl_languages": RIGHT_TO_LEFT}


@bp.post("/language")
def language_set():
    """The reader's choice, kept for a year in a cookie (signed in or not) and used by every later request."""
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    response = redirect(safe_next(request.form.get("next"), "/"))
    response.set_cookie(
        "lang",
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


@bp.get("/audit")
@login_required
def audit_log():
    page = services.audit_page(
        current_user,
        object_type=request.args.get("object_type", "").strip() or None,
        object_id=request.args.get("object_id", type=int),
        actor_id=request.args.get("actor_id", type=int),
        page=request.args.get("page", 1, type=int),
    )
    return render_template("core/audit_log.html", page=page, object_types=services.audited_types())
