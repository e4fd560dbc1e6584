"""Security by default: headers, cookies, CSRF, refusal of unsafe production settings, clean error pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config.settings import DEFAULT_SECRET_KEY, ProductionConfig
from forum import create_app
from forum.core.errors import InvalidTransition, StaleObject
from forum.directory.models import User
from forum.extensions import db


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/language", data={"lang": "fr", "next": "/"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert not any(c.startswith("lang=") for c in response.headers.getlist("Set-Cookie"))
    assert b"The form expired" in response.data


def test_session_cookies_are_http_only_and_same_site(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_cookies_are_secure_and_sent_with_hsts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://forum@localhost/forum")
    monkeypatch.delenv("FORUM_DEMO_PASSWORD", raising=False)
    settings = ProductionConfig()
    settings.validate()
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.REMEMBER_COOKIE_SECURE is True
    assert settings.DEMO_PASSWORD is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SECRET_KEY", DEFAULT_SECRET_KEY, "SECRET_KEY"),
        ("SECRET_KEY", "short", "SECRET_KEY"),
        ("DATABASE_URL", "sqlite:///forum.sqlite", "PostgreSQL"),
        ("FORUM_DEMO_PASSWORD", "demo-password", "FORUM_DEMO_PASSWORD"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(monkeypatch, variable, value, message):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://forum@localhost/forum")
    monkeypatch.delenv("FORUM_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("FORUM_ENV", "production")
    with pytest.raises(RuntimeError, match=message):
        create_app()


def test_passwords_are_stored_as_argon2id_hashes(db_session):
    hashes = db.session.scalars(sa.select(User.password_hash).where(User.password_hash.is_not(None))).all()
    assert hashes
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_an_unexpected_error_shows_a_clean_page_without_a_trace(app, client, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "core.hello", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/hello")
    assert response.status_code == 500
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_an_oversized_request_is_refused_with_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/language", data={"lang": "x" * (limit + 10)})
    assert response.status_code == 413


def test_an_unknown_page_is_a_404_page_not_a_trace(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Traceback" not in response.data


def test_nul_characters_are_dropped_from_query_strings_and_forms(app, client):
    """PostgreSQL refuses NUL in text: it is dropped on arrival, so such input means the same on every database."""
    response = client.get("/api/v1/organisations", query_string={"q": "\x00Migration\x00"})
    assert response.status_code == 200
    with app.test_request_context("/", method="POST", data={"na\x00me": "Mi\x00gration"}):
        from flask import request

        assert request.form.to_dict() == {"name": "Migration"}
        assert request.args.to_dict() == {}


def test_a_value_the_database_cannot_store_is_a_400_not_a_500(app, client, monkeypatch):
    def unstorable():
        raise sa.exc.DataError("INSERT …", {}, Exception("value out of range"))

    monkeypatch.setitem(app.view_functions, "core.hello", unstorable)
    response = client.get("/hello")
    assert response.status_code == 400
    assert b"cannot be stored" in response.data
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("error", [StaleObject(), InvalidTransition("Not in this state.")])
def test_the_api_answers_conflicts_with_its_json_error_object(app, client, monkeypatch, error):
    def conflicting():
        raise error

    monkeypatch.setitem(app.view_functions, "api.cycles", conflicting)
    response = client.get("/api/v1/cycles")
    assert response.status_code == 409
    assert response.is_json
    assert set(response.get_json()) == {"status", "error", "message"}
