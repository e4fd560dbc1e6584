"""Personal API tokens: created and revoked by their owner, stored hashed, the only way into /api/v1/me."""

from __future__ import annotations

import re

import sqlalchemy as sa

from forum.api.models import ApiToken
from forum.extensions import db


def _create(client, name="reporting script") -> str:
    page = client.post("/profile/api-tokens", data={"name": name}).get_data(as_text=True)
    return re.search(r"gfmd_[A-Za-z0-9_-]+", page).group(0)


def test_a_token_opens_the_api_as_its_owner_and_is_stored_only_as_a_hash(client_for):
    client = client_for("focal.morocco@example.org")
    raw = _create(client)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert raw not in (stored.token_hash, stored.prefix)
    answer = client_for(None).get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    assert answer.json["acts_for"] == "Morocco"
    assert {r["role"] for r in answer.json["roles"]} == {"focal_point"}
    assert stored.last_used_at is not None


def test_the_token_is_shown_once_and_never_put_in_the_session(client_for):
    client = client_for("focal.morocco@example.org")
    raw = _create(client)
    with client.session_transaction() as session:
        assert raw not in str(dict(session))
    assert raw not in client.get("/profile").get_data(as_text=True)


def test_a_revoked_token_no_longer_works(client_for):
    client = client_for("focal.mexico@example.org")
    raw = _create(client)
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert client.post(f"/profile/api-tokens/{token.id}/revoke").status_code == 302
    answer = client_for(None).get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 401
    assert answer.json["status"] == 401


def test_nobody_revokes_someone_else_s_token(client_for):
    _create(client_for("focal.mexico@example.org"))
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert client_for("focal.philippines@example.org").post(f"/profile/api-tokens/{token.id}/revoke").status_code == 404
    assert token.revoked_at is None


def test_without_a_token_or_with_only_a_browser_session_the_api_says_401(client_for):
    assert client_for("support@example.org").get("/api/v1/me").status_code == 401
    assert client_for(None).get("/api/v1/me", headers={"Authorization": "Bearer made-up"}).status_code == 401


def test_a_token_needs_a_name(client_for):
    answer = client_for("focal.mexico@example.org").post("/profile/api-tokens", data={"name": ""})
    assert answer.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
