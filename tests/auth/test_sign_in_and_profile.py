"""More of signing in (where it leads, the lockout counter, rehashing, sign-out by POST only), forgotten
passwords end to end, and the profile page (roles, time zone)."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher

from forum.auth.passwords import needs_rehash, verify_password
from forum.core.dates import today
from forum.core.outbox import MailMessage
from forum.directory.models import AccountToken, User
from forum.extensions import db, limiter
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind, MemberKind, MembershipRole

PASSWORD = "demo-password"


def _sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_goes_to_the_page_asked_for_but_never_off_site(app):
    inside = _sign_in(app.test_client(), "focal.mexico@example.org", next_url="/profile")
    assert inside.headers["Location"].endswith("/profile")
    for target in ("https://evil.example/", "//evil.example/x"):
        outside = _sign_in(app.test_client(), "focal.mexico@example.org", next_url=target)
        assert outside.status_code == 302
        assert "evil.example" not in outside.headers["Location"]


def test_the_sign_in_page_is_where_a_protected_page_sends_you(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_successful_sign_in_resets_the_failure_count(app, client, demo_user):
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        _sign_in(client, "focal.mexico@example.org", "wrong-password")
    assert demo_user("focal.mexico@example.org").failed_sign_ins == app.config["LOCKOUT_THRESHOLD"] - 1
    assert _sign_in(client, "focal.mexico@example.org").status_code == 302
    user = demo_user("focal.mexico@example.org")
    assert user.failed_sign_ins == 0
    assert user.locked_until is None


def test_a_locked_account_refuses_even_the_right_password_and_says_to_wait(app, client, demo_user):
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        _sign_in(client, "focal.mexico@example.org", "wrong-password")
    assert demo_user("focal.mexico@example.org").locked_until is not None
    refused = _sign_in(app.test_client(), "focal.mexico@example.org")
    assert refused.status_code == 422
    assert b"Try again later" in refused.data
    assert app.test_client().get("/profile").status_code == 302


def test_an_old_password_hash_is_upgraded_at_sign_in(client, demo_user):
    user = demo_user("focal.mexico@example.org")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert needs_rehash(user.password_hash)
    assert _sign_in(client, "focal.mexico@example.org").status_code == 302
    upgraded = demo_user("focal.mexico@example.org").password_hash
    assert not needs_rehash(upgraded)
    assert verify_password(upgraded, PASSWORD)


def test_signing_out_takes_a_post(client):
    _sign_in(client, "focal.mexico@example.org")
    assert client.get("/sign-out").status_code == 405
    assert client.get("/profile").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert client.get("/profile").status_code == 302


def test_a_forgotten_password_is_reset_through_a_link_that_works_once(app, client, demo_user):
    client.post("/password/forgot", data={"email": "Focal.Philippines@example.org"})
    mail = db.session.scalars(sa.select(MailMessage).where(MailMessage.template == "password_reset")).one()
    assert mail.recipient == "focal.philippines@example.org"
    link = re.search(r"/password/reset/\S+", mail.body_text).group(0)
    assert client.get(link).status_code == 200
    assert client.post(link, data={"password": "new-long-password", "confirm": "new-long-password"}).status_code == 302
    assert client.get("/profile").status_code == 200
    assert _sign_in(app.test_client(), "focal.philippines@example.org").status_code == 422
    assert _sign_in(app.test_client(), "focal.philippines@example.org", "new-long-password").status_code == 302
    used = app.test_client().get(link)
    assert used.status_code == 410
    assert b"already been used" in used.data


def test_a_reset_link_is_not_an_invitation_link(app, client):
    client.post("/password/forgot", data={"email": "focal.philippines@example.org"})
    body = db.session.scalars(sa.select(MailMessage.body_text).where(MailMessage.template == "password_reset")).one()
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    assert app.test_client().get(f"/welcome/{token}").status_code == 410


def test_no_reset_mail_for_an_unknown_or_inactive_address(client, demo_user):
    focal = demo_user("focal.morocco@example.org")
    focal.is_active = False
    db.session.commit()
    mails_before = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    for email in ("nobody@example.org", "focal.morocco@example.org"):
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(AccountToken.id)).where(AccountToken.user_id == focal.id)) == 0
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == mails_before


def test_a_bad_forgotten_password_form_is_refused(client):
    mails_before = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    for data in ({}, {"email": "not-an-address"}, {"email": "x" * 300 + "@example.org"}):
        assert client.post("/password/forgot", data=data).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == mails_before


def test_forgotten_password_requests_are_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "2 per minute")
    limiter.reset()
    statuses = [client.post("/password/forgot", data={"email": "nobody@example.org"}).status_code for _ in range(3)]
    limiter.reset()
    assert statuses == [302, 302, 429]


def test_the_profile_shows_who_i_am_and_my_roles_now_and_at_other_times(client_for, demo_user):
    me = demo_user("focal.mexico@example.org")
    structure.create_membership(
        demo_user("support@example.org"),
        body_id=db.session.scalars(sa.select(Body.id).where(Body.kind == BodyKind.FRIENDS_OF_THE_FORUM)).first(),
        member_kind=MemberKind.PERSON,
        person_id=me.person_id,
        role=MembershipRole.OBSERVER,
        starts_on=today() + timedelta(days=30),
    )
    page = client_for("focal.mexico@example.org").get("/profile").get_data(as_text=True)
    assert "focal.mexico@example.org" in page
    assert "Acts for the government of" in page
    assert "Mexico" in page
    current = page[page.index("My current roles") : page.index("Roles at other times")]
    later = page[page.index("Roles at other times") :]
    assert "Focal point" in current
    assert "Observer" not in current
    assert "Observer" in later


def test_choosing_a_time_zone(client_for, demo_user):
    client = client_for("focal.philippines@example.org")
    assert 'value="Asia/Manila"' in client.get("/profile").get_data(as_text=True)
    assert client.post("/profile/timezone", data={"timezone": "Asia/Manila"}).status_code == 302
    assert demo_user("focal.philippines@example.org").timezone == "Asia/Manila"
    for bad in ("Mars/Olympus_Mons", "", "x" * 100):
        response = client.post("/profile/timezone", data={"timezone": bad})
        assert response.status_code == 422
    assert demo_user("focal.philippines@example.org").timezone == "Asia/Manila"


def test_a_password_change_keeps_this_session_and_moves_the_epoch(client, demo_user):
    _sign_in(client, "focal.mexico@example.org")
    epoch = demo_user("focal.mexico@example.org").session_epoch
    client.post(
        "/profile/password", data={"current": PASSWORD, "new": "another-password", "confirm": "another-password"}
    )
    user = db.session.scalars(sa.select(User).where(User.email == "focal.mexico@example.org")).one()
    assert user.session_epoch == epoch + 1
    assert client.get("/profile").status_code == 200
