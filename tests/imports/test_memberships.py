"""Importing a body's memberships: the preview shows what each line creates, Confirm writes exactly those lines
through create_membership (each audited), and a file with bad lines writes nothing and says what is wrong where."""

from __future__ import annotations

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.directory.models import Country
from forum.extensions import db
from forum.structure.models import Body, BodyKind, MemberKind, Membership, MembershipRole, MembershipStatus
from tests.imports.helpers import MEXICO, SU, audit_count, confirmation, count, csv_text, upload

HEADER = (
    "member_kind,country,organisation,person,on_behalf_of,role,starts_on,starts_precision,ends_on,ends_precision,"
    "status,note,source"
)
VALID = csv_text(
    HEADER,
    "government,Iceland,,,,member,2011-01-01,year,,,,Joined in 2011,Import test",
    "government,BT,,,,member,2011-03-01,month,2012-12-31,day,,,",
    "organisation,,IOM,,,observer,2011-01-01,,,,,,",
    'person,,,Cecilia Romero Castillo,Mexico,focal_point,2011-01-01,,,,,"Focal point, for Mexico",',
)


def _steering_group() -> Body:
    return db.session.scalar(sa.select(Body).where(Body.kind == BodyKind.STEERING_GROUP))


def _url(body: Body, step: str = "") -> str:
    return f"/bodies/{body.id}/memberships/import{step}"


def test_the_support_unit_previews_then_writes_exactly_the_rows(client_for):
    body, client = _steering_group(), client_for(SU)
    before, audits = count(Membership, Membership.body_id == body.id), audit_count()

    preview = upload(client, _url(body), VALID)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Every line is valid" in page
    assert "Iceland: Member, 2011 – … (Active)" in page
    assert "Bhutan: Member, March 2011 – 31 Dec 2012 (Term ended)" in page
    assert "International Organization for Migration (IOM): Observer" in page
    assert count(Membership, Membership.body_id == body.id) == before, "a preview writes nothing"
    assert audit_count() == audits

    done = client.post(_url(body, "/confirm"), data=confirmation(page))
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/bodies/{body.id}")
    assert count(Membership, Membership.body_id == body.id) == before + 4
    iceland = db.session.scalar(
        sa.select(Membership)
        .join(Country, Country.id == Membership.country_id)
        .where(Membership.body_id == body.id, Country.iso2 == "IS")
    )
    assert (iceland.member_kind, iceland.role, iceland.status) == (
        MemberKind.GOVERNMENT,
        MembershipRole.MEMBER,
        MembershipStatus.ACTIVE,
    )
    assert (iceland.starts_precision, iceland.note, iceland.source) == ("year", "Joined in 2011", "Import test")
    focal = db.session.scalar(
        sa.select(Membership).where(Membership.body_id == body.id, Membership.role == MembershipRole.FOCAL_POINT)
    )
    assert (focal.person.name, focal.on_behalf_of.name) == ("Cecilia Romero Castillo", "Mexico")
    # each membership audited by the service, as from the form, and the import itself once
    created = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "Membership", AuditEntry.id > 0).order_by(AuditEntry.id)
    ).all()[-4:]
    assert all(entry.verb == "create" and entry.actor_label for entry in created)
    assert audit_count() == audits + 5
    summary = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (summary.object_type, summary.object_id) == ("Body", body.id)
    assert "4 rows from rows.csv" in summary.note
    assert "4 memberships imported." in client.get(done.headers["Location"]).get_data(as_text=True)


def test_a_file_with_bad_lines_writes_nothing_and_names_each_line_and_problem(client_for):
    body, client = _steering_group(), client_for(SU)
    before, audits = count(Membership), audit_count()
    bad = csv_text(
        HEADER,
        "government,Iceland,,,,member,2011-01-01,,,,,,",  # 2: fine
        "government,Atlantis,,,,member,2011-01-01,,,,,,",  # 3: unknown country
        "government,Norway,,,,chairman,2011-01-01,,,,,,",  # 4: unknown role
        "government,Bhutan,,,,member,2010-13-45,,,,,,",  # 5: no such date
        "government,Iceland,,,,member,2011-01-01,,,,,,",  # 6: the same as line 2
        "government,Mexico,,,,member,2011-01-01,,,,,,",  # 7: Mexico already sits on the Steering Group then
        f"government,Nepal,,,,member,2011-01-01,,,,,{'x' * 2001},",  # 8: note too long
        "organisation,Chile,IOM,,,member,2011-01-01,,,,,,",  # 9: a government named for an organisation member
        "government,Chile,,,,member,2011-05-01,,2011-01-01,,,,",  # 10: ends before it starts
    )
    response = upload(client, _url(body), bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "8 lines of 9 have problems." in page
    assert "Nothing was written." in page
    for line, message in [
        (3, "Unknown country: “Atlantis”"),
        (4, "Unknown role: “chairman”"),
        (5, "“2010-13-45” is not a date"),
        (6, "The same as line 2 of this file."),
        (7, "This member already holds this role in this body"),
        (8, "Too long: 2001 characters, at most 2000."),
        (9, "Name this kind of member in the organisation column only"),
        (10, "A membership cannot end before it starts."),
    ]:
        assert f'href="#line-{line}">Line {line}</a>' in page, line
        item = page[page.index(f'href="#line-{line}">') :].split("</li>")[0]
        assert message in item, (line, item)
    assert 'href="#line-2"' not in page, "a valid line is not listed as a problem"
    assert 'name="fingerprint"' not in page, "no Confirm button for a file with problems"
    assert count(Membership) == before
    assert audit_count() == audits


def test_a_focal_point_or_anonymous_user_cannot_import(client_for):
    body = _steering_group()
    before = count(Membership)
    for url in (_url(body), _url(body, "/template.csv")):
        assert client_for(MEXICO).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
    assert upload(client_for(MEXICO), _url(body), VALID).status_code == 403
    anonymous = upload(client_for(None), _url(body), VALID)
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]
    # nor confirm a preview made by the Support Unit
    fields = confirmation(upload(client_for(SU), _url(body), VALID).get_data(as_text=True))
    assert client_for(MEXICO).post(_url(body, "/confirm"), data=fields).status_code == 403
    assert client_for(None).post(_url(body, "/confirm"), data=fields).status_code == 302
    assert count(Membership) == before


def test_the_body_page_links_to_the_import_for_the_support_unit_only(client_for):
    body = _steering_group()
    assert _url(body) in client_for(SU).get(f"/bodies/{body.id}").get_data(as_text=True)
    assert _url(body) not in client_for(MEXICO).get(f"/bodies/{body.id}").get_data(as_text=True)
    assert _url(body) not in client_for(None).get(f"/bodies/{body.id}").get_data(as_text=True)
