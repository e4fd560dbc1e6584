"""What every page shares: error pages, security headers, template helpers, and form re-rendering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from forum.core.dates import fuzzy_date_label, in_zone
from forum.core.errors import ForumError, NotFound, PermissionDenied, StaleObject, ValidationFailed
from forum.core.html import options_html
from forum.core.i18n import gettext as _
from forum.core.permissions import Action, can, principal_of
from forum.extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class Parameters(ImmutableMultiDict):
    """Query-string and form values without NUL characters: no text field may hold one (PostgreSQL refuses them), so
    they are dropped on arrival and the same input means the same thing on every database."""

    def __init__(self, mapping: Any = None):
        pairs = MultiDict(mapping).items(multi=True)
        super().__init__([(_without_nul(key), _without_nul(value)) for key, value in pairs])


class ForumRequest(Request):
    parameter_storage_class = Parameters


def get_or_404(model: type, ident: Any):
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound()
    return obj


def bind_form(form: Any, template: str, **context: Any) -> None:
    """Remember how to show this form again if the service refuses its input (ValidationFailed, StaleObject)."""
    g.form_binding = (form, template, context)


#: the largest id a route's `<int:…>` takes (forum.DatabaseIntConverter): a placeholder no real id can be
_ID_PLACEHOLDER = 2**31 - 1


def id_urls(endpoint: str, argument: str, **values: Any) -> Callable[[int], str]:
    """The URLs of one endpoint for many ids (a board's two hundred items), built once with `url_for` and then
    written for each id: a call to url_for costs microseconds, a list of links hundreds of them."""
    head, _, tail = url_for(endpoint, **values, **{argument: _ID_PLACEHOLDER}).partition(str(_ID_PLACEHOLDER))
    return lambda ident: f"{head}{int(ident)}{tail}"


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site may be a redirect target (no scheme, no host)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


def _rerender(error: ForumError, status: int):
    binding = g.get("form_binding")
    if binding is None:
        back = safe_next(request.referrer and urlsplit(request.referrer).path, url_for("structure.home"))
        return render_template("errors/refused.html", message=error.message, back=back), status
    form, template, context = binding
    if isinstance(error, ValidationFailed):
        for field_name, message in error.errors.items():
            field = getattr(form, field_name, None) if field_name else None
            if field is not None and hasattr(field, "errors"):
                field.errors = [*list(field.errors), message]
            else:
                form.form_errors.append(message)
    else:
        form.form_errors.append(error.message)
    return render_template(template, form=form, **context), status


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, message: str):
    """The API's one error shape: {"status", "error", "message"}."""
    return jsonify(status=status, error=HTTP_STATUS_CODES.get(status, "Error"), message=message), status


def init_app(app: Flask) -> None:
    app.request_class = ForumRequest

    @app.errorhandler(PermissionDenied)
    def _forbidden(error):
        if _is_api():
            return _api_error(403, error.message or "You may not do this.")
        return render_template("errors/403.html"), 403

    @app.errorhandler(NotFound)
    def _not_found(error):
        if _is_api():
            return _api_error(404, error.message or "There is nothing here.")
        return render_template("errors/404.html"), 404

    @app.errorhandler(ValidationFailed)
    def _invalid(error):
        db.session.rollback()
        if _is_api():
            return _api_error(400, error.message)
        return _rerender(error, 422)

    @app.errorhandler(StaleObject)
    def _stale(error):
        db.session.rollback()
        error.message = error.message or _(
            "This record changed since you opened it. Your changes were not saved; reload to see the current version."
        )
        if _is_api():
            return _api_error(409, error.message)
        return _rerender(error, 409)

    @app.errorhandler(ForumError)
    def _other(error):
        db.session.rollback()
        if _is_api():
            return _api_error(error.status_code, error.message)
        return _rerender(error, error.status_code)

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template("errors/400.html", reason=_("The form expired or was not sent from this site.")), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if _is_api() and error.code:
            return _api_error(error.code, error.description or "")
        if error.code in (403, 404, 400, 413, 429, 405):
            return render_template(f"errors/{error.code}.html", reason=error.description), error.code
        return error

    @app.errorhandler(DataError)
    def _unstorable(error):
        # a value the database cannot hold (out of range, malformed) that got past the forms: the input's fault
        db.session.rollback()
        message = _("A value in the request cannot be stored. Nothing was saved; check the input and try again.")
        if _is_api():
            return _api_error(400, message)
        return render_template("errors/400.html", reason=message), 400

    @app.errorhandler(Exception)
    def _server_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if _is_api():
            return _api_error(500, "Something went wrong; nothing was half-saved. Try again in a moment.")
        return render_template("errors/500.html"), 500

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    @app.context_processor
    def _template_helpers():
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "Action": Action,
            "principal": principal_of(current_user),
            "get_locale": get_locale,
        }

    app.add_template_global(options_html, "options")
    app.add_template_filter(fuzzy_date_label, "fuzzy_date")
    app.add_template_filter(in_zone, "in_zone")
