"""Shared pages: the audit log (Support Unit), language choice, and a bare benchmark route."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_login import current_user, login_required

from forum import LANGUAGES
from forum.core import services
from forum.core.web import safe_next

bp = Blueprint("core", __name__)


@bp.get("/hello")
def hello():
    """The benchmark's yardstick: the same app and server, no database, no template."""
    return "hello"


@bp.post("/language")
def language_set():
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    response = redirect(safe_next(request.form.get("next"), "/"))
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
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
