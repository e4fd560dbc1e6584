"""The Support Unit's account pages: inviting (an existing or a new person, with zero or more roles), sending a
new link, deactivating and reactivating, the account list; and who may not do any of it."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from forum.core.audit import AuditEntry, AuditVerb
from forum.core.dates import today, utcnow
from forum.core.outbox import MailMessage
from forum.directory.models import AccountToken, Organisation, Person, User
from forum.extensions import db
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind, MemberKind, Membership, MembershipRole

SUPPORT = "support@example.org"


def _invite(client, **fields):
    data = {"person_id": 0, "acts_for_organisation_id": 0, "new_person_organisation_id": 0}
    for row in range(3):  # a browser sends every row of the form, blank ones too
        data.update({f"roles-{row}-body_id": 0, f"roles-{row}-role": ""})
    data.update(fields)
    return client.post("/accounts/invite", data=data)


def _body(kind: BodyKind) -> Body:
    return db.session.scalars(sa.select(Body).where(Body.kind == kind).order_by(Body.id)).first()


def _links_to(email: str, path: str) -> list[str]:
    bodies = db.session.scalars(
        sa.select(MailMessage.body_text).where(MailMessage.recipient == email).order_by(MailMessage.id)
    )
    return [re.search(rf"{path}\S+", body).group(0) for body in bodies]


def _counts() -> tuple[int, int, int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Person, Membership, MailMessage, AccountToken)
    )


def test_the_support_unit_invites_a_new_person_with_two_roles(app, client_for):
    ilo = db.session.scalars(sa.select(Organisation).where(Organisation.acronym == "ILO")).one()
    working_group = _body(BodyKind.WORKING_GROUP)
    friends = _body(BodyKind.FRIENDS_OF_THE_FORUM)
    response = _invite(
        client_for(SUPPORT),
        new_person_name="Ada Fictional-Example",
        new_person_organisation_id=ilo.id,
        email="Ada.Example@Example.org",
        acts_for_organisation_id=ilo.id,
        **{
            "roles-0-body_id": working_group.id,
            "roles-0-role": "member",
            "roles-2-body_id": friends.id,
            "roles-2-role": "observer",
        },
    )
    assert response.status_code == 302, re.findall(r'-error">([^<]*)<', response.get_data(as_text=True))
    person = db.session.scalars(sa.select(Person).where(Person.name == "Ada Fictional-Example")).one()
    assert person.organisation_id == ilo.id
    user = db.session.scalars(sa.select(User).where(User.person_id == person.id)).one()
    assert user.email == "ada.example@example.org"
    assert user.acts_for_organisation_id == ilo.id
    assert user.password_hash is None
    memberships = db.session.scalars(sa.select(Membership).where(Membership.person_id == person.id)).all()
    assert {(m.body_id, m.role, m.starts_on, m.member_kind) for m in memberships} == {
        (working_group.id, MembershipRole.MEMBER, today(), MemberKind.PERSON),
        (friends.id, MembershipRole.OBSERVER, today(), MemberKind.PERSON),
    }
    audited = set(
        db.session.execute(
            sa.select(AuditEntry.object_type, AuditEntry.verb).where(
                sa.or_(
                    sa.and_(AuditEntry.object_type == "Person", AuditEntry.object_id == person.id),
                    sa.and_(AuditEntry.object_type == "User", AuditEntry.object_id == user.id),
                )
            )
        ).all()
    )
    assert audited == {("Person", AuditVerb.CREATE), ("User", AuditVerb.CREATE), ("User", AuditVerb.ACCOUNT)}
    mail = db.session.scalars(sa.select(MailMessage).where(MailMessage.recipient == user.email)).one()
    assert mail.subject == "Your account on the GFMD Forum"
    assert "Dear Ada Fictional-Example" in mail.body_text
    assert re.search(r"^http://\S+/welcome/\S{20,}$", mail.body_text, re.M)


def test_an_invitation_without_a_role_is_fine(client_for):
    response = _invite(client_for(SUPPORT), new_person_name="Bo Fictional-Example", email="bo@example.org")
    assert response.status_code == 302
    person = db.session.scalars(sa.select(Person).where(Person.name == "Bo Fictional-Example")).one()
    assert db.session.scalar(sa.select(sa.func.count(Membership.id)).where(Membership.person_id == person.id)) == 0
    assert _links_to("bo@example.org", "/welcome/")


def test_the_invite_form_offers_more_role_rows_without_script(client_for):
    client = client_for(SUPPORT)
    page = client.get("/accounts/invite").get_data(as_text=True)
    assert page.count('name="roles-') == 6  # three rows of body and role
    assert "Body of role 1" in page
    more = client.get("/accounts/invite?rows=6").get_data(as_text=True)
    assert more.count('name="roles-') == 12
    assert client.get("/accounts/invite?rows=999").get_data(as_text=True).count('name="roles-') == 24


def _error_for(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    return match.group(1) if match else ""


def test_bad_invitations_say_what_is_wrong_beside_the_field_and_save_nothing(client_for):
    client = client_for(SUPPORT)
    friends = _body(BodyKind.FRIENDS_OF_THE_FORUM)
    someone = db.session.scalars(
        sa.select(Person).where(~Person.id.in_(sa.select(User.person_id))).order_by(Person.id)
    ).first()
    before = _counts()
    cases = [
        ({"email": "a@example.org"}, "person_id", "Choose a person from the directory"),
        (
            {"person_id": someone.id, "new_person_name": "Someone Else", "email": "a@example.org"},
            "new_person_name",
            "not both",
        ),
        ({"new_person_name": someone.name, "email": "a@example.org"}, "new_person_name", "already in the directory"),
        (
            {"new_person_name": "C Example", "new_person_country_name": "Atlantis", "email": "a@example.org"},
            "new_person_country_name",
            "Unknown country",
        ),
        (
            {"new_person_name": "C Example", "email": "a@example.org", "roles-1-body_id": friends.id},
            "roles-1-role",
            "Choose the role",
        ),
        (
            {"new_person_name": "C Example", "email": "a@example.org", "roles-0-role": "member"},
            "roles-0-body_id",
            "Choose the body",
        ),
        (
            {
                "new_person_name": "C Example",
                "email": "a@example.org",
                "roles-0-body_id": friends.id,
                "roles-0-role": "member",
                "roles-1-body_id": friends.id,
                "roles-1-role": "member",
            },
            "roles-1-role",
            "already given above",
        ),
        (
            {
                "new_person_name": "C Example",
                "email": "a@example.org",
                "roles-0-body_id": friends.id,
                "roles-0-role": "focal_point",
            },
            "acts_for_country_name",
            "A focal point acts for a government",
        ),
        (
            {"new_person_name": "C Example", "email": "a@example.org", "roles-0-body_id": 999999, "roles-0-role": "x"},
            "roles-0-body_id",
            "Not a valid choice",
        ),
        (
            {
                "new_person_name": "C Example",
                "email": "a@example.org",
                "acts_for_country_name": "Mexico",
                "acts_for_organisation_id": db.session.scalars(sa.select(Organisation.id)).first(),
            },
            "acts_for_organisation_id",
            "not both",
        ),
    ]
    for data, field_id, message in cases:
        response = _invite(client, **data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, data
        assert message in _error_for(page, field_id), (data, field_id)
    assert _counts() == before


def test_a_role_the_person_already_holds_is_refused_on_its_row(client_for, demo_user):
    friends = _body(BodyKind.FRIENDS_OF_THE_FORUM)
    person = db.session.scalars(
        sa.select(Person).where(~Person.id.in_(sa.select(User.person_id))).order_by(Person.id)
    ).first()
    held = structure.create_membership(
        demo_user(SUPPORT),
        body_id=friends.id,
        member_kind=MemberKind.PERSON,
        person_id=person.id,
        role=MembershipRole.OBSERVER,
        starts_on=today(),
    )
    before = _counts()
    response = _invite(
        client_for(SUPPORT),
        person_id=held.person_id,
        email="holder@example.org",
        **{"roles-0-body_id": held.body_id, "roles-0-role": held.role.value},
    )
    assert response.status_code == 422
    assert "already holds this role" in _error_for(response.get_data(as_text=True), "roles-0-role")
    assert _counts() == before


def test_a_new_link_replaces_the_old_one(app, client_for):
    client = client_for(SUPPORT)
    _invite(client, new_person_name="Di Fictional-Example", email="di@example.org")
    user = db.session.scalars(sa.select(User).where(User.email == "di@example.org")).one()
    response = client.post(f"/accounts/{user.id}/invitation")
    assert response.status_code == 302
    first, second = _links_to("di@example.org", "/welcome/")
    assert first != second
    visitor = app.test_client()
    assert visitor.get(first).status_code == 410
    assert visitor.post(second, data={"password": "a-good-password", "confirm": "a-good-password"}).status_code == 302
    notes = db.session.scalars(
        sa.select(AuditEntry.note).where(AuditEntry.object_type == "User", AuditEntry.object_id == user.id)
    ).all()
    assert "invitation sent again" in notes
    # once the account is open, there is no invitation to send again
    assert client.post(f"/accounts/{user.id}/invitation").status_code == 422
    assert len(_links_to("di@example.org", "/welcome/")) == 2


def test_the_welcome_form_refuses_bad_passwords_and_the_link_keeps_working(app, client_for):
    _invite(client_for(SUPPORT), new_person_name="Ed Fictional-Example", email="ed@example.org")
    (link,) = _links_to("ed@example.org", "/welcome/")
    visitor = app.test_client()
    for data, message in [
        ({"password": "short", "confirm": "short"}, b"at least 10"),
        ({"password": "long-enough-1", "confirm": "long-enough-2"}, b"not the same"),
        ({"password": "", "confirm": ""}, b"This field is required"),
        ({"password": "x" * 300, "confirm": "x" * 300}, b"256"),
    ]:
        response = visitor.post(link, data=data)
        assert response.status_code == 422, data
        assert message in response.data, data
    user = db.session.scalars(sa.select(User).where(User.email == "ed@example.org")).one()
    assert user.password_hash is None
    assert visitor.get("/profile").status_code == 302
    token = db.session.scalars(sa.select(AccountToken).where(AccountToken.user_id == user.id)).one()
    assert token.used_at is None
    assert visitor.post(link, data={"password": "long-enough-1", "confirm": "long-enough-1"}).status_code == 302
    assert visitor.get("/profile").status_code == 200


def test_the_account_list_searches_and_shows_invitation_states(client_for, count_queries):
    client = client_for(SUPPORT)
    _invite(client, new_person_name="Fay Fictional-Example", email="fay@example.org")
    _invite(client, new_person_name="Gus Fictional-Example", email="gus@example.org")
    gus = db.session.scalars(sa.select(User).where(User.email == "gus@example.org")).one()
    token = db.session.scalars(sa.select(AccountToken).where(AccountToken.user_id == gus.id)).one()
    token.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    with count_queries() as counter:
        page = client.get("/accounts?q=fictional-example").get_data(as_text=True)
    assert len(counter) <= 15
    assert "Fay Fictional-Example" in page
    assert "Gus Fictional-Example" in page
    assert "support@example.org" not in page
    assert page.count("invitation pending") == 1
    assert page.count("invitation expired") == 1
    everyone = client.get("/accounts").get_data(as_text=True)
    assert "focal.mexico@example.org" in everyone


def test_deactivating_and_reactivating_an_account(app, client_for, demo_user):
    focal = demo_user("focal.morocco@example.org")
    support = client_for(SUPPORT)
    assert support.post(f"/accounts/{focal.id}/active", data={"active": "0"}).status_code == 302
    assert (
        app.test_client().post("/sign-in", data={"email": focal.email, "password": "demo-password"}).status_code == 422
    )
    assert support.post(f"/accounts/{focal.id}/active", data={"active": "1"}).status_code == 302
    assert demo_user("focal.morocco@example.org").is_active
    assert (
        app.test_client().post("/sign-in", data={"email": focal.email, "password": "demo-password"}).status_code == 302
    )
    changes = db.session.scalars(
        sa.select(AuditEntry.changes)
        .where(AuditEntry.object_type == "User", AuditEntry.object_id == focal.id, AuditEntry.verb == AuditVerb.ACCOUNT)
        .order_by(AuditEntry.id)
    ).all()
    assert [c["is_active"] for c in changes if "is_active" in c] == [[True, False], [False, True]]


def test_the_support_unit_cannot_deactivate_itself(client_for, demo_user):
    me = demo_user(SUPPORT)
    assert client_for(SUPPORT).post(f"/accounts/{me.id}/active", data={"active": "0"}).status_code == 422
    assert demo_user(SUPPORT).is_active


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, demo_user):
    target = demo_user("focal.mexico@example.org")
    before = _counts()
    listing = client.get("/accounts")
    assert listing.status_code == 302
    assert "/sign-in" in listing.headers["Location"]
    assert client.get("/accounts/invite").status_code == 302
    assert _invite(client, new_person_name="Hal Example", email="hal@example.org").status_code == 302
    assert client.post(f"/accounts/{target.id}/invitation").status_code == 302
    assert client.post(f"/accounts/{target.id}/active", data={"active": "0"}).status_code == 302
    assert _counts() == before
    assert demo_user("focal.mexico@example.org").is_active


def test_focal_points_and_the_chair_cannot_invite_or_resend(client_for, demo_user):
    target = demo_user("focal.mexico@example.org")
    before = _counts()
    for email in ("focal.philippines@example.org", "chair@example.org"):
        client = client_for(email)
        assert client.get("/accounts/invite").status_code == 403
        assert _invite(client, new_person_name="Ivy Example", email="ivy@example.org").status_code == 403
        assert client.post(f"/accounts/{target.id}/invitation").status_code == 403
    assert _counts() == before
