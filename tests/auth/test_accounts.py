"""Signing in and out, lockout, rate limit, password changes, invitations and one-time links."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from forum.core.audit import AuditEntry, AuditVerb
from forum.core.dates import utcnow
from forum.core.outbox import MailMessage
from forum.directory.models import AccountToken, Person, User
from forum.extensions import db, limiter
from forum.structure.models import Body, BodyKind, Membership, MembershipRole

PASSWORD = "demo-password"


def _sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_signing_in_and_out(client, demo_user):
    response = _sign_in(client, "focal.mexico@example.org")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert demo_user("focal.mexico@example.org").last_sign_in_at is not None
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.verb == AuditVerb.SIGN_IN))
    client.post("/sign-out")
    assert client.get("/profile").status_code == 302


def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong(client):
    wrong_password = _sign_in(client, "focal.mexico@example.org", "not-the-password")
    unknown_user = _sign_in(client, "nobody@example.org", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 422
    assert b"The e-mail address or the password is not right." in wrong_password.data
    assert b"The e-mail address or the password is not right." in unknown_user.data


def test_repeated_failures_lock_the_account_until_the_time_has_passed(app, client, demo_user):
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        _sign_in(client, "focal.morocco@example.org", "not-the-password")
    locked = _sign_in(client, "focal.morocco@example.org")
    assert locked.status_code == 422
    assert b"locked" in locked.data
    user = demo_user("focal.morocco@example.org")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _sign_in(client, "focal.morocco@example.org").status_code == 302


def test_sign_in_attempts_are_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "3 per minute")
    limiter.reset()
    statuses = [_sign_in(client, "nobody@example.org", "x").status_code for _ in range(5)]
    limiter.reset()
    assert statuses == [422, 422, 422, 429, 429]


def test_signing_in_starts_a_fresh_session(client):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    _sign_in(client, "focal.mexico@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_changing_the_password_ends_the_other_sessions(app, client, demo_user):
    other = app.test_client()
    _sign_in(other, "focal.philippines@example.org")
    _sign_in(client, "focal.philippines@example.org")
    response = client.post(
        "/profile/password",
        data={"current": PASSWORD, "new": "another-long-password", "confirm": "another-long-password"},
    )
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302
    assert _sign_in(app.test_client(), "focal.philippines@example.org", "another-long-password").status_code == 302


def test_a_password_change_is_refused_with_a_reason_and_changes_nothing(client, demo_user):
    _sign_in(client, "focal.philippines@example.org")
    before = demo_user("focal.philippines@example.org").password_hash
    cases = [
        ({"current": "wrong-password", "new": "long-enough-1", "confirm": "long-enough-1"}, b"not your current"),
        ({"current": PASSWORD, "new": "short", "confirm": "short"}, b"at least 10"),
        ({"current": PASSWORD, "new": "long-enough-1", "confirm": "long-enough-2"}, b"not the same"),
        ({"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD}, b"different from the current"),
    ]
    for data, message in cases:
        response = client.post("/profile/password", data=data)
        assert response.status_code == 422
        assert message in response.data
    assert demo_user("focal.philippines@example.org").password_hash == before


def _invite(client, person_id=0, email="new.person@example.org", **extra):
    data = {"person_id": person_id, "email": email, "acts_for_organisation_id": 0, "new_person_organisation_id": 0}
    data.update(extra)
    return client.post("/accounts/invite", data=data)


def _person_without_account() -> Person:
    return db.session.scalars(
        sa.select(Person).where(~Person.id.in_(sa.select(User.person_id))).order_by(Person.id)
    ).first()


def test_an_invitation_records_the_role_and_mails_a_link_that_works_once(app, client_for):
    person = _person_without_account()
    forum_friends = db.session.scalars(sa.select(Body).where(Body.kind == BodyKind.FRIENDS_OF_THE_FORUM)).first()
    response = _invite(
        client_for("support@example.org"),
        person.id,
        acts_for_country_name="Philippines",
        **{"roles-0-body_id": forum_friends.id, "roles-0-role": "focal_point"},
    )
    assert response.status_code == 302
    user = db.session.scalars(sa.select(User).where(User.email == "new.person@example.org")).one()
    assert user.password_hash is None
    assert user.acts_for_country.name == "Philippines"
    membership = db.session.scalars(
        sa.select(Membership)
        .where(Membership.person_id == person.id, Membership.body_id == forum_friends.id)
        .order_by(Membership.id.desc())
    ).first()
    assert membership.role == MembershipRole.FOCAL_POINT
    assert membership.on_behalf_of.name == "Philippines"
    mail = db.session.scalars(sa.select(MailMessage).where(MailMessage.recipient == "new.person@example.org")).one()
    link = re.search(r"/welcome/\S+", mail.body_text).group(0)
    assert db.session.scalar(sa.select(sa.func.count(AccountToken.id)).where(AccountToken.user_id == user.id)) == 1
    assert link.split("/")[-1] not in {t.token_hash for t in db.session.scalars(sa.select(AccountToken))}

    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    answer = visitor.post(link, data={"password": "my-own-password", "confirm": "my-own-password"})
    assert answer.status_code == 302
    assert visitor.get("/profile").status_code == 200
    assert app.test_client().get(link).status_code == 410


def test_an_expired_or_unknown_link_is_a_clear_page(app, client_for):
    person = _person_without_account()
    _invite(client_for("support@example.org"), person.id)
    mail = db.session.scalars(sa.select(MailMessage).where(MailMessage.recipient == "new.person@example.org")).one()
    link = re.search(r"/welcome/\S+", mail.body_text).group(0)
    token = db.session.scalars(sa.select(AccountToken).order_by(AccountToken.id.desc())).first()
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = app.test_client().get(link)
    assert expired.status_code == 410
    assert b"expired" in expired.data
    unknown = app.test_client().get("/welcome/made-up")
    assert unknown.status_code == 410
    assert b"not valid" in unknown.data


def test_an_invitation_with_bad_input_is_refused_and_saves_nothing(client_for):
    client = client_for("support@example.org")
    taken = db.session.scalars(sa.select(User)).first()
    person = _person_without_account()
    users_before = db.session.scalar(sa.select(sa.func.count(User.id)))
    mails_before = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    cases = [
        ({"person_id": person.id, "email": taken.email}, b"already uses this e-mail"),
        ({"person_id": taken.person_id, "email": "x@example.org"}, b"already has an account"),
        ({"person_id": person.id, "email": "not-an-address"}, b"Invalid email"),
        ({"person_id": person.id, "email": "y@example.org", "acts_for_country_name": "Atlantis"}, b"Unknown country"),
        ({"person_id": person.id, "email": "y@example.org", "roles-0-role": "focal_point"}, b"Choose the body"),
        ({"person_id": "abc", "email": "y@example.org"}, b"Invalid Choice"),
    ]
    for data, message in cases:
        response = _invite(client, **data)
        assert response.status_code == 422, data
        assert message in response.data, data
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users_before
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == mails_before


def test_the_forgotten_password_answer_is_the_same_for_known_and_unknown_addresses(client):
    known = client.post("/password/forgot", data={"email": "focal.mexico@example.org"}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.data.count(b"If an account uses this address") == 1
    assert unknown.data.count(b"If an account uses this address") == 1
    recipients = list(
        db.session.scalars(sa.select(MailMessage.recipient).where(MailMessage.template == "password_reset"))
    )
    assert recipients == ["focal.mexico@example.org"]


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(app, client_for, demo_user):
    focal = demo_user("focal.switzerland@example.org")
    their_session = app.test_client()
    _sign_in(their_session, "focal.switzerland@example.org")
    response = client_for("support@example.org").post(f"/accounts/{focal.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert their_session.get("/profile").status_code == 302
    assert _sign_in(app.test_client(), "focal.switzerland@example.org").status_code == 422


def test_only_the_support_unit_manages_accounts(client_for, demo_user):
    target = demo_user("focal.mexico@example.org")
    for email in ("focal.philippines@example.org", "chair@example.org"):
        client = client_for(email)
        assert client.get("/accounts").status_code == 403
        assert client.post("/accounts/invite", data={"email": "z@example.org"}).status_code == 403
        assert client.post(f"/accounts/{target.id}/active", data={"active": "0"}).status_code == 403
    assert target.is_active


def test_the_profile_page_has_a_plain_title_and_the_token_section_in_its_body(client_for):
    page = client_for("focal.mexico@example.org").get("/profile").get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert "API tokens" not in title
    assert page.index("API tokens") > page.index("<main")
