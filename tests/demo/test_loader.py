"""The demo data tells the true 2010 story and can be loaded again without duplicating anything."""

from datetime import date

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.demo import loader
from forum.directory.models import Country, Organisation, Person, User
from forum.extensions import db
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind, ForumCycle, MemberKind, Membership, MembershipStatus

TABLES = (Country, Organisation, Person, User, ForumCycle, Body, Membership)


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in TABLES}


def _member_names(body: Body, day: date) -> set[str]:
    return {str(m.member) for m in structure.members_on(body, day)}


def _body(name: str) -> Body:
    return db.session.scalars(sa.select(Body).where(Body.name == name)).one()


def test_loading_the_demo_twice_adds_nothing(db_session):
    before = _counts()
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    loader.load_demo()
    assert _counts() == before
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before


def test_cycles_run_from_brussels_2007_to_sweden_2014_and_a_fictional_current_year(db_session):
    cycles = {c.year: c for c in structure.cycles_overview()}
    assert {2007, 2008, 2009, 2010, 2011, 2014} <= set(cycles)
    assert cycles[2007].chair_country.name == "Belgium"
    assert cycles[2010].summit_city == "Puerto Vallarta"
    assert not cycles[2011].has_summit
    fictional = [c for c in cycles.values() if c.is_fictional]
    assert len(fictional) == 1
    assert fictional[0].summit_starts_on > date.today()


def _troika_countries(year: int) -> tuple[str | None, str, str | None]:
    troika = structure.troika_of(structure.cycle_by_year(year))
    return (
        troika.previous.chair_country.name if troika.previous else None,
        troika.current.chair_country.name,
        troika.next.chair_country.name if troika.next else None,
    )


def test_troika_is_computed_from_neighbouring_cycles(db_session):
    assert _troika_countries(2009) == ("Philippines", "Greece", "Mexico")
    assert _troika_countries(2010) == ("Greece", "Mexico", "Switzerland")
    assert _troika_countries(2011) == ("Mexico", "Switzerland", "Sweden")


def test_steering_group_on_9_november_2010_has_the_35_governments_of_footnote_3(db_session):
    members = _member_names(_body("Steering Group"), date(2010, 11, 9))
    assert len(members) == 35
    assert {"Republic of Korea", "United Arab Emirates", "United States of America", "Morocco"} <= members


def test_extended_troika_after_october_2010_reflects_the_replacement_and_withdrawal(db_session):
    troika = _body("Extended Troika 2010")
    assert _member_names(troika, date(2010, 12, 1)) == {"Belgium", "Philippines", "Greece", "Switzerland", "Sweden"}
    assert {"Spain", "Morocco"} <= _member_names(troika, date(2010, 6, 1))
    switzerland = next(m for m in structure.body_history(troika) if str(m.member) == "Switzerland")
    assert str(switzerland.replaces.member) == "Spain"
    assert switzerland.replaces.status == MembershipStatus.REPLACED


def test_greece_declined_the_assessment_team_but_stayed_in_the_steering_group(db_session):
    assessment = _body("Future of the Forum assessment team")
    assert "Greece" not in _member_names(assessment, date(2010, 11, 9))
    assert len(_member_names(assessment, date(2010, 11, 9))) == 13
    assert "Greece" in _member_names(_body("Steering Group"), date(2010, 11, 9))


def test_morocco_holds_independent_roles_in_2010(db_session):
    morocco = db.session.scalars(sa.select(Country).where(Country.iso2 == "MA")).one()
    roles = {(m.body.kind, m.role, m.status) for m in structure.roles_of(MemberKind.GOVERNMENT, morocco.id)}
    assert (BodyKind.EXTENDED_TROIKA, "member", MembershipStatus.WITHDRAWN) in roles
    assert (BodyKind.STEERING_GROUP, "member", MembershipStatus.ENDED) in roles
    assert (BodyKind.WORKING_GROUP, "co_chair", MembershipStatus.ENDED) in roles
    assert any(kind == BodyKind.ASSESSMENT_TEAM for kind, _, _ in roles)


def test_the_chair_in_office_and_the_executive_director_changed_during_2010(db_session):
    cycle = structure.cycle_by_year(2010)
    holders = structure.office_holders(cycle)
    chairs = [m.person.name for m in holders if m.role == "chair_in_office"]
    assert chairs == ["Juan Manuel Gómez Robledo", "Julián Ventura Valero"]
    directors_on_8_oct = [
        m.person.name for m in holders if m.role == "executive_director" and m.active_on(date(2010, 10, 8))
    ]
    assert "Salvador Beltrán del Río Madrid" in directors_on_8_oct
    assert "Cecilia Romero Castillo" not in directors_on_8_oct


def test_country_aliases_from_the_documents_resolve(db_session):
    from forum.directory.services import find_country

    for alias, iso in [("UAE", "AE"), ("USA", "US"), ("UK", "GB"), ("South Korea", "KR"),
                       ("Republic of Korea", "KR"), ("Moldova", "MD"), ("Republic of Moldova", "MD")]:
        assert find_country(alias).iso2 == iso, alias
    assert find_country("Atlantis") is None


def test_demo_people_have_no_real_contact_details(db_session):
    emails = [e for e in db.session.scalars(sa.select(Person.email)) if e]
    assert emails
    assert all(e.endswith("@example.org") for e in emails)
