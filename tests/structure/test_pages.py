"""The public pages of the operating structure tell the 2010 story, and stay within their query budget."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import Country, Organisation, Person
from forum.extensions import db
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind, ForumCycle, MemberKind, Membership, MembershipRole

QUERY_BUDGET = 15


def _body(kind: BodyKind, name_part: str = "") -> Body:
    stmt = sa.select(Body).where(Body.kind == kind, Body.name.contains(name_part)).order_by(Body.id)
    return db.session.scalars(stmt).first()


def test_the_home_page_lists_every_cycle_with_its_chair(client):
    text = client.get("/").get_data(as_text=True)
    for year, chair in [
        (2007, "Belgium"),
        (2008, "Philippines"),
        (2009, "Greece"),
        (2010, "Mexico"),
        (2011, "Switzerland"),
        (2014, "Sweden"),
    ]:
        assert f">{year}</a>" in text
        assert chair in text
    assert "No summit this year" in text  # 2011
    assert "fictional demonstration" in text


@pytest.mark.parametrize(
    ("year", "previous", "following"),
    [(2009, "Philippines", "Mexico"), (2010, "Greece", "Switzerland"), (2011, "Mexico", "Sweden")],
)
def test_a_cycle_page_shows_the_troika_from_its_neighbours(client, year, previous, following):
    text = client.get(f"/cycles/{year}").get_data(as_text=True)
    troika = text[text.index("Previous chair") : text.index("Office holders")]
    assert troika.index(previous) < troika.index("Next chair") < troika.index(following)


def test_the_2010_cycle_page_shows_who_held_office_and_when(client):
    text = client.get("/cycles/2010").get_data(as_text=True)
    assert "Juan Manuel Gómez Robledo" in text
    assert "Julián Ventura Valero" in text
    assert "Salvador Beltrán del Río" in text
    assert "Puerto Vallarta" in text


def test_an_unknown_cycle_is_not_found(client):
    assert client.get("/cycles/1999").status_code == 404


def test_the_steering_group_on_9_november_2010_has_35_governments(client):
    body = _body(BodyKind.STEERING_GROUP)
    text = client.get(f"/bodies/{body.id}?on=2010-11-09").get_data(as_text=True)
    assert "35 members on 9 Nov 2010" in text


def test_a_malformed_date_is_explained_and_the_page_still_shows(client):
    body = _body(BodyKind.STEERING_GROUP)
    response = client.get(f"/bodies/{body.id}?on=2010-02-31")
    assert response.status_code == 200
    assert "is not a date" in response.get_data(as_text=True)


def test_the_morocco_page_shows_each_2010_role(client):
    text = client.get("/countries/ma").get_data(as_text=True)
    assert "Steering Group" in text
    assert "Co-chair" in text
    assert "Withdrew" in text
    assert "assessment team" in text.lower()


def test_the_civil_society_bodies_are_listed_apart(client):
    text = client.get("/bodies").get_data(as_text=True)
    civil = text.index("Civil Society Days</h2>")
    assert text.index("International Advisory Committee") > civil
    assert text.index("Steering Group") < civil


def test_a_person_page_never_shows_an_e_mail_address(client, demo_user):
    user = demo_user("focal.mexico@example.org")
    text = client.get(f"/people/{user.person_id}").get_data(as_text=True)
    assert user.person.name in text
    assert "@example.org" not in text


def _grow_tenfold():
    """Ten times the demo's memberships, bodies, people and organisations, around the pages measured."""
    countries = list(db.session.scalars(sa.select(Country).order_by(Country.id).limit(60)))
    morocco = directory.find_country("Morocco")
    steering = _body(BodyKind.STEERING_GROUP)
    for i in range(40):
        body = Body(name=f"Generated working group {i}", kind=BodyKind.WORKING_GROUP)
        db.session.add(body)
        db.session.flush()
        org = Organisation(name=f"Generated organisation {i}", kind=directory.OrganisationKind.OTHER)
        person = Person(name=f"Generated person {i}")
        db.session.add_all([org, person])
        db.session.flush()
        for j, country in enumerate(countries):
            db.session.add(
                Membership(
                    body_id=body.id,
                    member_kind=MemberKind.GOVERNMENT,
                    country_id=country.id,
                    starts_on=date(2000 + j % 20, 1, 1),
                )
            )
        db.session.add(
            Membership(
                body_id=body.id,
                member_kind=MemberKind.GOVERNMENT,
                country_id=morocco.id,
                role=MembershipRole.CO_CHAIR,
                starts_on=date(2010, 1, 1),
            )
        )
        db.session.add(
            Membership(
                body_id=steering.id,
                member_kind=MemberKind.ORGANISATION,
                organisation_id=org.id,
                role=MembershipRole.OBSERVER,
                starts_on=date(2010, 1, 1),
            )
        )
        db.session.add(
            Membership(
                body_id=steering.id,
                member_kind=MemberKind.PERSON,
                person_id=person.id,
                on_behalf_of_country_id=morocco.id,
                role=MembershipRole.FOCAL_POINT,
                starts_on=date(2010, 1, 1),
            )
        )
    db.session.flush()


PAGES = {
    "home": lambda: "/",
    "cycle": lambda: "/cycles/2010",
    "body": lambda: f"/bodies/{_body(BodyKind.STEERING_GROUP).id}?on=2010-11-09",
    "country": lambda: "/countries/ma",
    "bodies": lambda: "/bodies",
    "person": lambda: f"/people/{directory.find_person('Julián Ventura Valero').id}",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_keep_their_query_budget_as_the_data_grows_tenfold(client, count_queries, page):
    with count_queries() as small:
        assert client.get(PAGES[page]()).status_code == 200
    _grow_tenfold()
    with count_queries() as large:
        assert client.get(PAGES[page]()).status_code == 200
    assert len(small) <= QUERY_BUDGET
    assert len(large) <= QUERY_BUDGET
    assert len(large) == len(small), "the query count must not grow with the data"


def test_the_support_unit_records_a_membership_and_it_is_audited(client_for):
    body = _body(BodyKind.WORKING_GROUP, "Policy Coherence")
    response = client_for("support@example.org").post(
        f"/bodies/{body.id}/memberships/new",
        data={
            "member_kind": "government",
            "country_name": "UAE",
            "organisation_id": 0,
            "person_id": 0,
            "role": "member",
            "starts_on": "2026-03-01",
            "starts_precision": "day",
            "ends_precision": "day",
            "status": "active",
            "replaces_id": 0,
        },
    )
    assert response.status_code == 302
    added = db.session.scalars(sa.select(Membership).order_by(Membership.id.desc())).first()
    assert added.country.name == "United Arab Emirates"
    assert db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "Membership", AuditEntry.object_id == added.id)
    ).one()


def test_an_overlapping_duplicate_membership_is_refused(client_for):
    steering = _body(BodyKind.STEERING_GROUP)
    before = db.session.scalar(sa.select(sa.func.count(Membership.id)))
    response = client_for("support@example.org").post(
        f"/bodies/{steering.id}/memberships/new",
        data={
            "member_kind": "government",
            "country_name": "Morocco",
            "organisation_id": 0,
            "person_id": 0,
            "role": "member",
            "starts_on": "2010-06-01",
            "starts_precision": "day",
            "ends_precision": "day",
            "status": "active",
            "replaces_id": 0,
        },
    )
    assert response.status_code == 422
    assert b"already holds this role" in response.data
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == before


def test_a_second_chair_for_a_year_and_an_end_before_the_start_are_refused(client_for):
    before = db.session.scalar(sa.select(sa.func.count(ForumCycle.id)))
    response = client_for("support@example.org").post(
        "/cycles/new",
        data={
            "year": 2010,
            "chair_country_name": "Ghana",
            "starts_on": "2010-01-01",
            "ends_on": "2009-01-01",
            "status": "committed",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has a chair: Mexico" in text
    assert "cannot end before it starts" in text
    assert db.session.scalar(sa.select(sa.func.count(ForumCycle.id))) == before


def test_editing_a_stale_form_is_refused_and_nothing_is_lost(client_for):
    cycle = structure.cycle_by_year(2014)
    stale_version = cycle.version_id
    structure.update_cycle(SYSTEM, cycle, version_id=stale_version, theme="A theme saved first")
    response = client_for("support@example.org").post(
        "/cycles/2014/edit",
        data={
            "year": 2014,
            "chair_country_name": "Sweden",
            "starts_on": "2014-01-01",
            "ends_on": "2014-12-31",
            "status": "committed",
            "theme": "A theme saved second",
            "version_id": stale_version,
        },
    )
    assert response.status_code == 409
    assert b"changed since you opened it" in response.data
    assert structure.cycle_by_year(2014).theme == "A theme saved first"


def test_the_support_unit_adds_an_organisation_with_aliases(client_for):
    response = client_for("support@example.org").post(
        "/organisations/new",
        data={
            "name": "Migration Policy Example Institute",
            "acronym": "MPEI",
            "kind": "academia",
            "country_name": "Switzerland",
            "aliases": "MPE Institute\nInstitut MPE",
        },
    )
    assert response.status_code == 302
    assert directory.find_organisation("MPE Institute").acronym == "MPEI"


def test_edit_pages_are_refused_to_focal_points_and_anonymous_visitors(client_for):
    body = _body(BodyKind.STEERING_GROUP)
    for url in (
        "/cycles/new",
        "/cycles/2010/edit",
        f"/bodies/{body.id}/edit",
        f"/bodies/{body.id}/memberships/new",
        "/organisations/new",
        "/people/new",
    ):
        assert client_for("focal.mexico@example.org").get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302


def test_a_body_history_downloads_as_csv_and_xlsx_with_formulas_neutralised(client_for, client):
    troika = _body(BodyKind.EXTENDED_TROIKA)
    client_for("support@example.org").post(
        f"/bodies/{troika.id}/memberships/new",
        data={"member_kind": "government", "country_name": "Ghana", "organisation_id": 0, "person_id": 0,
              "role": "observer", "starts_on": "2010-11-01", "starts_precision": "day", "ends_precision": "day",
              "status": "active", "replaces_id": 0, "note": "=HYPERLINK(\"http://evil.example\")"},
    )
    csv_text = client.get(f"/bodies/{troika.id}/memberships.csv").get_data(as_text=True)
    assert "Switzerland" in csv_text
    assert "Spain" in csv_text
    assert "'=HYPERLINK" in csv_text
    xlsx = client.get(f"/bodies/{troika.id}/memberships.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.data[:2] == b"PK"
    assert client.get(f"/bodies/{troika.id}/memberships.pdf").status_code == 404


def test_a_membership_names_its_organisation_or_person_and_unknown_names_are_refused(client_for):
    """The form takes a name, not a choice among every organisation and person of the directory."""
    body = _body(BodyKind.WORKING_GROUP, "Policy Coherence")
    su = client_for("support@example.org")
    url = f"/bodies/{body.id}/memberships/new"
    form = {"role": "member", "starts_on": "2026-03-01", "starts_precision": "day", "ends_precision": "day",
            "status": "active", "replaces_id": 0}
    page = su.get(url).get_data(as_text=True)
    assert 'name="person_name"' in page
    assert page.count("<option") < 100  # the role, status and precision lists, not the directory
    before = db.session.scalar(sa.select(sa.func.count(Membership.id)))
    unknown = su.post(url, data={**form, "member_kind": "organisation", "organisation_name": "Nowhere Institute"})
    assert unknown.status_code == 422
    assert "Unknown organisation: “Nowhere Institute”" in unknown.get_data(as_text=True)
    empty = su.post(url, data={**form, "member_kind": "person"})
    assert empty.status_code == 422
    assert "Give the person&#39;s name as the directory has it." in empty.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == before
    assert su.post(url, data={**form, "member_kind": "organisation", "organisation_name": "IOM"}).status_code == 302
    added = db.session.scalars(sa.select(Membership).order_by(Membership.id.desc())).first()
    assert added.organisation.acronym == "IOM"
    edit = su.get(f"/memberships/{added.id}/edit").get_data(as_text=True)
    assert f'value="{added.organisation.name}"' in edit
