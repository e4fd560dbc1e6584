"""The GFMD demo data: the forum as the 2010 Report of Proceedings describes it, plus one fictional cycle.

Idempotent: every record is looked up by its natural key first, so a second run adds nothing. Everything is
created through the services with the SYSTEM actor, so the demo exercises the same rules as a user would.
Facts cite the seed lines they come from (seeds/002 = GFMD 2010 Report of Proceedings; seeds/001 = UNITAR).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from forum.core.dates import today
from forum.core.models import DatePrecision
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import Country, Organisation, OrganisationKind, Person, User
from forum.extensions import db
from forum.structure import services as structure
from forum.structure.models import (
    Body,
    BodyKind,
    CycleStatus,
    ForumCycle,
    MemberKind,
    Membership,
    MembershipRole,
    MembershipStatus,
    Track,
)

YEAR, MONTH, DAY = DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY
SOURCE_2010 = "GFMD 2010 Report of Proceedings"

ORGANISATIONS = [
    # (name, acronym, kind, aliases)
    ("International Organization for Migration", "IOM", OrganisationKind.INTERNATIONAL_ORGANISATION, ""),
    ("International Labour Organization", "ILO", OrganisationKind.UN_AGENCY, "International Labour Office"),
    ("Organisation for Economic Co-operation and Development", "OECD", OrganisationKind.INTERNATIONAL_ORGANISATION, ""),
    ("Office of the United Nations High Commissioner for Refugees", "UNHCR", OrganisationKind.UN_AGENCY, ""),
    ("Global Migration Group", "GMG", OrganisationKind.UN_AGENCY, ""),
    ("Migration Policy Institute", "MPI", OrganisationKind.ACADEMIA, "MPI Washington"),
    ("International Centre for Migration Policy Development", "ICMPD", OrganisationKind.INTERNATIONAL_ORGANISATION, ""),
    ("Regional Conference on Migration", "RCM", OrganisationKind.REGIONAL_PROCESS, "Puebla Process"),
    ("Colombo Process", None, OrganisationKind.REGIONAL_PROCESS, ""),
    ("South American Conference on Migration", "CSM", OrganisationKind.REGIONAL_PROCESS, ""),
    ("United Nations Children's Fund", "UNICEF", OrganisationKind.UN_AGENCY, ""),
    ("United Nations Development Programme", "UNDP", OrganisationKind.UN_AGENCY, ""),
    ("World Bank", None, OrganisationKind.INTERNATIONAL_ORGANISATION, ""),
    ("International Fund for Agricultural Development", "IFAD", OrganisationKind.UN_AGENCY, ""),
    ("World Health Organization", "WHO", OrganisationKind.UN_AGENCY, ""),
    ("European Commission", "EC", OrganisationKind.INTERNATIONAL_ORGANISATION, "EU Delegation\nEuropean Union"),
    ("United Nations Development Fund for Women", "UNIFEM", OrganisationKind.UN_AGENCY, "UN Women"),
    ("Office of the United Nations High Commissioner for Human Rights", "OHCHR", OrganisationKind.UN_AGENCY, "UNOHCHR"),
    ("United Nations Office at Geneva", "UNOG", OrganisationKind.UN_AGENCY, ""),
    ("United Nations Institute for Training and Research", "UNITAR", OrganisationKind.UN_AGENCY, ""),
    ("Joint Migration and Development Initiative", "JMDI", OrganisationKind.INTERNATIONAL_ORGANISATION, ""),
    ("BBVA Bancomer Foundation", None, OrganisationKind.FOUNDATION, "Bancomer Foundation"),
    ("John D. and Catherine T. MacArthur Foundation", None, OrganisationKind.FOUNDATION, "MacArthur Foundation"),
    ("International Catholic Migration Commission", "ICMC", OrganisationKind.CIVIL_SOCIETY, ""),
    ("Center for Migration Studies (Mexico)", None, OrganisationKind.ACADEMIA, ""),
    (
        "Ministry of Foreign Affairs of Mexico",
        "SRE",
        OrganisationKind.GOVERNMENT_AGENCY,
        "Mexican Ministry of Foreign Affairs",
    ),
    (
        "National Migration Institute of Mexico",
        "INM",
        OrganisationKind.GOVERNMENT_AGENCY,
        "NMI\nNational Migration Institute",
    ),
    ("Ministry of Interior of Mexico", "SEGOB", OrganisationKind.GOVERNMENT_AGENCY, ""),
]

MEXICO_AGENCY = {"SRE": "Ministry of Foreign Affairs of Mexico", "INM": "National Migration Institute of Mexico"}

PEOPLE = [
    # (honorific, name, title, organisation, country, aliases) — names and titles only (seeds/002 Annex 1, L903-997)
    (
        "Amb.",
        "Juan Manuel Gómez Robledo",
        "Undersecretary for Multilateral Affairs and Human Rights",
        "SRE",
        "Mexico",
        "",
    ),
    ("Amb.", "Julián Ventura Valero", "Undersecretary for North America", "SRE", "Mexico", "Julián Ventura"),
    ("Mrs.", "Cecilia Romero Castillo", "Commissioner of the National Migration Institute", "INM", "Mexico", ""),
    ("Mr.", "Salvador Beltrán del Río Madrid", "Commissioner of the National Migration Institute", "INM", "Mexico", ""),
    (
        "Dr.",
        "René Zenteno Quintero",
        "Undersecretary for Population, Migration and Religious Affairs",
        "SEGOB",
        "Mexico",
        "René Zenteno",
    ),
    ("Mr.", "Hugo Rodríguez Nicolat", "GFMD 2010 Technical Secretary", None, "Mexico", ""),
    (
        "Mr.",
        "Rolando García Alonso",
        "Coordinator for International and Interinstitutional Relationship",
        "INM",
        "Mexico",
        "",
    ),
    ("Min.", "Socorro Flores Liera", "Director General for Global Issues", "SRE", "Mexico", ""),
    ("Mrs.", "Norma Araceli Díaz Godínez", "Director for Migration", "SRE", "Mexico", ""),
    ("Mrs.", "Evelyn Vera Barreto", "Deputy Director for Migration", "SRE", "Mexico", ""),
    ("Mr.", "Ángel Kuri Cervantes", "Deputy Director for Multilateral Affairs", "INM", "Mexico", ""),
    (
        "Mrs.",
        "Claudia Bueno",
        "Adviser to the Undersecretary for Multilateral Affairs and Human Rights",
        "SRE",
        "Mexico",
        "",
    ),
    ("Mr.", "Alberto Quiroz", "Officer", "SRE", "Mexico", ""),
    ("Ms.", "Michelle Tejadilla Orozco", "Officer", "INM", "Mexico", ""),
    ("Mr.", "Salvador Berumen Sandoval", "Officer", "INM", "Mexico", ""),
    ("Mr.", "Chukwu-Emeka Chikezie", "Special Adviser to the Chair-in-Office", None, None, "Chukwu Emeka-Chikezie"),
    ("Dr.", "Jorge Durand", "Special Adviser to the Chair-in-Office", None, None, ""),
    ("Dr.", "Rolph Kurt Jenny", "Special Adviser to the Chair-in-Office", None, None, "Rolph K. Jenny\nRolph Jenny"),
    ("Min.", "Albert Moses", "Special Adviser to the Chair-in-Office", None, None, ""),
    ("Dr.", "Irena Omelaniuk", "Special Adviser to the Chair-in-Office", None, None, ""),
    ("Mrs.", "Estrella Lajom-Roman", "Head, GFMD Support Unit", None, None, "Estrella Lajom Roman"),
    ("Ms.", "Wies Maria Maas", "PfP Administrator", None, None, ""),
    (
        "Sir",
        "Peter Sutherland",
        "Special Representative of the UN Secretary-General for International Migration and Development",
        None,
        None,
        "",
    ),
    (
        "H.E. Mr.",
        "Eduard Gnesa",
        "Special Ambassador for International Collaboration on Migration Issues",
        None,
        "Switzerland",
        "Ambassador Gnesa",
    ),
    ("Mr.", "John K. Bingham", "Head of Policy", "ICMC", None, "John Bingham"),
    (
        "Mr.",
        "Emilio Álvarez Icaza Longoria",
        "Honorary President of the Civil Society Days",
        None,
        "Mexico",
        "Emilio Álvarez Icaza\nÁlvarez Icaz Longoria",
    ),
]

STEERING_GROUP_2010 = [  # seeds/002 L114, footnote 3
    "Argentina",
    "Australia",
    "Bangladesh",
    "Belgium",
    "Brazil",
    "Canada",
    "Ecuador",
    "Egypt",
    "France",
    "Germany",
    "Ghana",
    "Greece",
    "India",
    "Indonesia",
    "Israel",
    "Japan",
    "Kenya",
    "Mexico",
    "Morocco",
    "Netherlands",
    "Norway",
    "Philippines",
    "Portugal",
    "Qatar",
    "Republic of Korea",
    "Senegal",
    "South Africa",
    "Spain",
    "Sweden",
    "Switzerland",
    "Thailand",
    "Tunisia",
    "United Arab Emirates",
    "United Kingdom",
    "United States of America",
]

ASSESSMENT_TEAM_2010 = [  # seeds/002 L150, footnote 8
    "Argentina",
    "Bangladesh",
    "Brazil",
    "Canada",
    "Greece",
    "India",
    "Kenya",
    "Mexico",
    "Morocco",
    "Netherlands",
    "Philippines",
    "Sweden",
    "Switzerland",
    "United Arab Emirates",
]

#: the fictional people behind the demo sign-ins
DEMO_ACCOUNTS = [
    # (email, name, title, acts for (country), role)
    ("support@example.org", "Samuel Okafor", "Support Unit officer (demonstration account)", None, "support_unit"),
    ("chair@example.org", "Clara Vidal", "Chair-in-Office team (demonstration account)", None, "chair_team"),
    ("focal.mexico@example.org", "Lucía Herrera", "Government focal point (demonstration account)", "Mexico", "focal"),
    (
        "focal.philippines@example.org",
        "José Santos",
        "Government focal point (demonstration account)",
        "Philippines",
        "focal",
    ),
    ("focal.morocco@example.org", "Karim Benali", "Government focal point (demonstration account)", "Morocco", "focal"),
    (
        "focal.switzerland@example.org",
        "Anna Keller",
        "Government focal point (demonstration account)",
        "Switzerland",
        "focal",
    ),
]

DEMO_NOTE = "Demonstration data: fictional."


@dataclass
class Lookup:
    """Name-to-row caches for the loader, so each fact reads as one line below."""

    countries: dict[str, Country]
    organisations: dict[str, Organisation]
    people: dict[str, Person]

    def country(self, name: str) -> Country:
        if name not in self.countries:
            found = directory.find_country(name)
            if found is None:
                raise LookupError(f"unknown country in demo data: {name}")
            self.countries[name] = found
        return self.countries[name]


def load_demo() -> list[str]:
    """Load (or complete) the demo data set and say what it holds."""
    added = directory.ensure_countries()
    look = Lookup(countries={}, organisations=_ensure_organisations(), people={})
    look.people = _ensure_people(look)
    cycles = _ensure_cycles(look)
    _ensure_bodies_2010(look, cycles)
    demo_cycle = cycles[today().year]
    _ensure_demo_structure(look, demo_cycle)
    _ensure_demo_accounts(look, demo_cycle)
    db.session.commit()
    from forum.meetings.demo import load_meetings  # meetings sit above the structure

    load_meetings()
    from forum.roundtables.demo import load_roundtables  # roundtables sit above the structure

    load_roundtables()
    from forum.papers.demo import load_papers  # papers sit above the roundtables

    load_papers()
    from forum.partnerships.demo import load_partnerships  # partnerships sit above the structure

    load_partnerships()
    from forum.outcomes.demo import load_outcomes  # outcomes link to sessions and partnership projects

    load_outcomes()
    from forum.notifications.demo import load_notifications  # reminders sit above every area they remind about

    load_notifications()
    from forum.search.index import rebuild as rebuild_search  # the index covers every area above

    rebuild_search()
    counts = {
        "countries": db.session.scalar(sa.select(sa.func.count(Country.id))),
        "cycles": db.session.scalar(sa.select(sa.func.count(ForumCycle.id))),
        "bodies": db.session.scalar(sa.select(sa.func.count(Body.id))),
        "memberships": db.session.scalar(sa.select(sa.func.count(Membership.id))),
        "organisations": db.session.scalar(sa.select(sa.func.count(Organisation.id))),
        "people": db.session.scalar(sa.select(sa.func.count(Person.id))),
        "accounts": db.session.scalar(sa.select(sa.func.count(User.id))),
    }
    return [f"Demo data loaded ({added} countries added this run)."] + [f"  {k}: {v}" for k, v in counts.items()]


def _ensure_organisations() -> dict[str, Organisation]:
    by_key: dict[str, Organisation] = {}
    existing = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    for name, acronym, kind, aliases in ORGANISATIONS:
        org = existing.get(name) or directory.create_organisation(
            SYSTEM, name=name, acronym=acronym, kind=kind, country_id=None, aliases=aliases
        )
        by_key[acronym or name] = org
        by_key[name] = org
    return by_key


def _ensure_people(look: Lookup) -> dict[str, Person]:
    existing = {p.name: p for p in db.session.scalars(sa.select(Person))}
    people: dict[str, Person] = {}
    for honorific, name, title, org_key, country, aliases in PEOPLE:
        person = existing.get(name) or directory.create_person(
            SYSTEM,
            honorific=honorific,
            name=name,
            title=title,
            organisation_id=look.organisations[org_key].id if org_key else None,
            country_id=look.country(country).id if country else None,
            aliases=aliases,
        )
        people[name] = person
    return people


def _ensure_cycles(look: Lookup) -> dict[int, ForumCycle]:
    now = today()
    facts: list[dict[str, Any]] = [
        dict(
            year=2007,
            chair="Belgium",
            summit_city="Brussels",
            meeting_number=1,
            theme="Migration and socio-economic development",
            summit_starts_on=date(2007, 7, 9),
            summit_ends_on=date(2007, 7, 11),
            status=CycleStatus.CONCLUDED,
            notes="The first meeting, where the Operating Modalities set up the Troika, the Steering Group, the "
            "Friends of the Forum and the Support Unit (seeds/002 L106; 'Brussels, July 2007', seeds/001 L73).",
        ),
        dict(
            year=2008,
            chair="Philippines",
            summit_city="Manila",
            meeting_number=2,
            theme="Protecting and empowering migrants for development",
            summit_starts_on=date(2008, 10, 29),
            summit_ends_on=date(2008, 10, 30),
            status=CycleStatus.CONCLUDED,
            notes="Government meeting in Manila on 29-30 October 2008 (seeds/001 L928).",
        ),
        dict(
            year=2009,
            chair="Greece",
            summit_city="Athens",
            meeting_number=3,
            theme="Integrating migration policies into development strategies for the benefit of all",
            summit_starts_on=date(2009, 11, 4),
            summit_ends_on=date(2009, 11, 5),
            status=CycleStatus.CONCLUDED,
            notes="The November 2009 meeting in Athens (seeds/002 L722); its Roundtable 1.2 led to the 2010 "
            "diaspora handbook project (L785).",
        ),
        dict(
            year=2010,
            chair="Mexico",
            summit_city="Puerto Vallarta",
            meeting_number=4,
            theme="Partnerships for migration and human development: shared prosperity – shared responsibility",
            summit_starts_on=date(2010, 11, 8),
            summit_ends_on=date(2010, 11, 11),
            status=CycleStatus.CONCLUDED,
            notes="The fourth meeting: Civil Society Days on 8-9 November, Government Days on 10-11 November "
            "(seeds/002 L33-35). Troika and Steering Group agreed to Mexico's offer the year before (L122).",
        ),
        dict(
            year=2011,
            chair="Switzerland",
            summit_city=None,
            meeting_number=5,
            theme="Taking action on migration and development: coherence, capacity and cooperation",
            summit_starts_on=None,
            summit_ends_on=None,
            status=CycleStatus.CONCLUDED,
            notes="A chair-year without an international conference: 'the lack of material time' (seeds/002 L855); "
            "a year of action through the working groups and the Platform for Partnerships.",
        ),
        dict(
            year=2014,
            chair="Sweden",
            summit_city=None,
            meeting_number=None,
            theme=None,
            summit_starts_on=None,
            summit_ends_on=None,
            status=CycleStatus.COMMITTED,
            notes="Sweden joined the Troika in 2010 after announcing its commitment to host in 2014 (seeds/002 L112). "
            "Shown as committed, as the 2010 report knew it.",
        ),
        dict(
            year=now.year,
            chair="Ghana",
            summit_city="Accra",
            meeting_number=None,
            theme="Demonstration cycle: skills, mobility and shared prosperity",
            summit_starts_on=now + timedelta(days=100),
            summit_ends_on=now + timedelta(days=103),
            status=CycleStatus.PREPARING,
            is_fictional=True,
            starts_on=now - timedelta(days=150),
            ends_on=now + timedelta(days=215),
            notes="A fictional cycle for trying the system: its summit is a few months ahead, so preparation "
            "deadlines, reminders and follow-up are live. Nothing in it happened.",
        ),
    ]
    existing = {c.year: c for c in db.session.scalars(sa.select(ForumCycle))}
    cycles: dict[int, ForumCycle] = {}
    for fact in facts:
        year = fact["year"]
        if year in existing:
            cycles[year] = existing[year]
            continue
        cycles[year] = structure.create_cycle(
            SYSTEM,
            year=year,
            chair_country_id=look.country(fact["chair"]).id,
            theme=fact["theme"],
            summit_city=fact["summit_city"],
            meeting_number=fact["meeting_number"],
            starts_on=fact.get("starts_on", date(year, 1, 1)),
            ends_on=fact.get("ends_on", date(year, 12, 31)),
            summit_starts_on=fact["summit_starts_on"],
            summit_ends_on=fact["summit_ends_on"],
            status=fact["status"],
            is_fictional=fact.get("is_fictional", False),
            notes=fact["notes"],
        )
    return cycles


def _body(
    name: str,
    kind: BodyKind,
    *,
    track: Track = Track.GOVERNMENT,
    cycle: ForumCycle | None = None,
    acronym: str | None = None,
    description: str = "",
    established_on: date | None = None,
) -> Body:
    found = db.session.scalar(sa.select(Body).where(Body.name == name, Body.track == track))
    if found is not None:
        return found
    return structure.create_body(
        SYSTEM,
        name=name,
        acronym=acronym,
        kind=kind,
        track=track,
        cycle_id=cycle.id if cycle else None,
        description=description,
        established_on=established_on,
        dissolved_on=None,
    )


def _member(
    body: Body,
    member: Country | Organisation | Person,
    role: MembershipRole = MembershipRole.MEMBER,
    *,
    starts: date,
    starts_p: DatePrecision = DAY,
    ends: date | None = None,
    ends_p: DatePrecision = DAY,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    replaces: Membership | None = None,
    on_behalf_of: Country | None = None,
    note: str = "",
    source: str = "",
) -> Membership:
    kind, field = {
        Country: (MemberKind.GOVERNMENT, "country_id"),
        Organisation: (MemberKind.ORGANISATION, "organisation_id"),
        Person: (MemberKind.PERSON, "person_id"),
    }[type(member)]
    found = db.session.scalar(
        sa.select(Membership).where(
            Membership.body_id == body.id,
            getattr(Membership, field) == member.id,
            Membership.role == role,
            Membership.starts_on == starts,
        )
    )
    if found is not None:
        return found
    return structure.create_membership(
        SYSTEM,
        body_id=body.id,
        member_kind=kind,
        **{field: member.id},
        role=role,
        on_behalf_of_country_id=on_behalf_of.id if on_behalf_of else None,
        starts_on=starts,
        starts_precision=starts_p,
        ends_on=ends,
        ends_precision=ends_p,
        status=status,
        replaces_id=replaces.id if replaces else None,
        note=note,
        source=source,
    )


def _ensure_bodies_2010(look: Lookup, cycles: dict[int, ForumCycle]) -> None:
    c2010 = cycles[2010]
    y_start, y_end = date(2010, 1, 1), date(2010, 12, 31)
    year_2010 = dict(starts=y_start, starts_p=YEAR, ends=y_end, ends_p=YEAR, status=MembershipStatus.ENDED)
    october = date(2010, 10, 1)

    steering = _body(
        "Steering Group",
        BodyKind.STEERING_GROUP,
        acronym="SG",
        description="Governments that steer the forum's preparation with the Chair; set up by the "
        "Operating Modalities agreed in Brussels in 2007.",
    )
    for name in STEERING_GROUP_2010:
        _member(
            steering,
            look.country(name),
            **year_2010,
            source=f"{SOURCE_2010}, footnote 3 (L114)",
            note="The 2010 composition; the report records no change during the year.",
        )

    friends = _body(
        "Friends of the Forum",
        BodyKind.FRIENDS_OF_THE_FORUM,
        acronym="FoF",
        description="The wide circle of participating governments; open to all UN member states. "
        "Government focal points are recorded here.",
    )
    _member(
        friends,
        look.people["Socorro Flores Liera"],
        MembershipRole.FOCAL_POINT,
        **year_2010,
        on_behalf_of=look.country("Mexico"),
        source=f"{SOURCE_2010}, Annex 1 (L921-922)",
        note="Named 'GFMD Mexican Focal Point' in the Taskforce directory.",
    )

    support = _body(
        "Support Unit",
        BodyKind.SUPPORT_UNIT,
        acronym="SU",
        description="Administrative and organisational support to the Chair-in-Office; administers "
        "the Platform for Partnerships but never selects or implements projects.",
    )
    _member(
        support,
        look.people["Estrella Lajom-Roman"],
        MembershipRole.HEAD,
        **year_2010,
        source=f"{SOURCE_2010}, L867 and Annex 1 (L995)",
    )
    _member(
        support,
        look.people["Wies Maria Maas"],
        MembershipRole.STAFF,
        **year_2010,
        note="PfP Administrator.",
        source=f"{SOURCE_2010}, L764",
    )

    troika = _body(
        "Extended Troika 2010",
        BodyKind.EXTENDED_TROIKA,
        cycle=c2010,
        description="Past, present and future chairs around the 2010 Chair, as the report lists them.",
    )
    troika_source = f"{SOURCE_2010}, footnote 2 (L112)"
    for name in ("Belgium", "Philippines", "Greece"):
        _member(troika, look.country(name), **year_2010, source=troika_source)
    spain = _member(
        troika,
        look.country("Spain"),
        starts=y_start,
        starts_p=YEAR,
        ends=october,
        ends_p=MONTH,
        status=MembershipStatus.REPLACED,
        source=troika_source,
        note="Replaced by Switzerland.",
    )
    _member(
        troika,
        look.country("Switzerland"),
        starts=october,
        starts_p=MONTH,
        ends=y_end,
        ends_p=YEAR,
        status=MembershipStatus.ENDED,
        replaces=spain,
        source=troika_source,
        note="Took Spain's place as incoming 2011 Chair.",
    )
    _member(
        troika,
        look.country("Morocco"),
        starts=y_start,
        starts_p=YEAR,
        ends=october,
        ends_p=MONTH,
        status=MembershipStatus.WITHDRAWN,
        source=troika_source,
        note="Withdrew from the Troika; stayed on the Steering Group and the assessment team.",
    )
    _member(
        troika,
        look.country("Sweden"),
        **year_2010,
        source=troika_source,
        note="Included after announcing its commitment to host in 2014.",
    )

    office = _body(
        "Chair-in-Office 2010 (Mexico)",
        BodyKind.CHAIR_OFFICE,
        cycle=c2010,
        description="The office of the 2010 Chair: the Chair-in-Office, the Executive Director and the "
        "Technical Secretary, coordinated by the SRE and the INM.",
    )
    _member(office, look.country("Mexico"), MembershipRole.CHAIR, **year_2010, source=f"{SOURCE_2010}, L104")
    late_october = date(2010, 10, 25)
    gomez = _member(
        office,
        look.people["Juan Manuel Gómez Robledo"],
        MembershipRole.CHAIR_IN_OFFICE,
        starts=y_start,
        starts_p=YEAR,
        ends=late_october - timedelta(days=1),
        ends_p=MONTH,
        status=MembershipStatus.REPLACED,
        source=f"{SOURCE_2010}, L104",
    )
    _member(
        office,
        look.people["Julián Ventura Valero"],
        MembershipRole.CHAIR_IN_OFFICE,
        starts=late_october,
        starts_p=MONTH,
        ends=y_end,
        ends_p=YEAR,
        status=MembershipStatus.ENDED,
        replaces=gomez,
        source=f"{SOURCE_2010}, L104",
        note="Assumed the Chairmanship in late October 2010; signs the report.",
    )
    romero = _member(
        office,
        look.people["Cecilia Romero Castillo"],
        MembershipRole.EXECUTIVE_DIRECTOR,
        starts=y_start,
        starts_p=YEAR,
        ends=date(2010, 10, 6),
        status=MembershipStatus.REPLACED,
        source=f"{SOURCE_2010}, L104",
    )
    _member(
        office,
        look.people["Salvador Beltrán del Río Madrid"],
        MembershipRole.EXECUTIVE_DIRECTOR,
        starts=date(2010, 10, 7),
        ends=y_end,
        ends_p=YEAR,
        status=MembershipStatus.ENDED,
        replaces=romero,
        source=f"{SOURCE_2010}, L104 and L925",
    )
    _member(
        office,
        look.people["René Zenteno Quintero"],
        MembershipRole.EXECUTIVE_DIRECTOR,
        **year_2010,
        source=f"{SOURCE_2010}, L58-61 and L910-912",
        note="Listed as Executive Director in the directory and signs the report; the report gives no start date.",
    )
    _member(
        office,
        look.people["Hugo Rodríguez Nicolat"],
        MembershipRole.TECHNICAL_SECRETARY,
        **year_2010,
        source=f"{SOURCE_2010}, Annex 1 (L931-932)",
    )

    taskforce = _body(
        "Taskforce 2010",
        BodyKind.TASKFORCE,
        cycle=c2010,
        description="National and international experts and advisers appointed by the Chair, headed by "
        "the SRE and the INM; the roundtable coordinators come from it.",
    )
    for name in (
        "Rolando García Alonso",
        "Socorro Flores Liera",
        "Norma Araceli Díaz Godínez",
        "Evelyn Vera Barreto",
        "Ángel Kuri Cervantes",
        "Claudia Bueno",
        "Alberto Quiroz",
        "Michelle Tejadilla Orozco",
        "Salvador Berumen Sandoval",
        "Hugo Rodríguez Nicolat",
    ):
        _member(taskforce, look.people[name], **year_2010, source=f"{SOURCE_2010}, Annex 1")
    for name in ("Chukwu-Emeka Chikezie", "Jorge Durand", "Rolph Kurt Jenny", "Albert Moses", "Irena Omelaniuk"):
        _member(
            taskforce,
            look.people[name],
            MembershipRole.SPECIAL_ADVISER,
            **year_2010,
            source=f"{SOURCE_2010}, Annex 1 (L959-977)",
        )

    wg_source = f"{SOURCE_2010}, footnote 1 (L96)"
    protect = _body(
        "Ad hoc Working Group on Protecting and Empowering Migrants for Development",
        BodyKind.WORKING_GROUP,
        acronym="WG-PEM",
        description="Commissions studies and workshops that connect earlier outcomes to the current year's debates.",
    )
    for name in ("Philippines", "United Arab Emirates"):
        _member(protect, look.country(name), MembershipRole.CO_CHAIR, **year_2010, source=wg_source)
    coherence = _body(
        "Ad hoc Working Group on Policy Coherence, Data and Research",
        BodyKind.WORKING_GROUP,
        acronym="WG-PCDR",
        description="Works on policy coherence, data and research; organised the June 2010 Vienna "
        "seminar and sponsors the migration profiles project.",
    )
    for name in ("Morocco", "Switzerland"):
        _member(coherence, look.country(name), MembershipRole.CO_CHAIR, **year_2010, source=wg_source)

    assessment = _body(
        "Future of the Forum assessment team",
        BodyKind.ASSESSMENT_TEAM,
        cycle=c2010,
        description="Governments that assess the forum with the Chair in 2011-2013, in time for the "
        "2013 High-Level Dialogue; terms of reference endorsed in Puerto Vallarta.",
    )
    for name in ASSESSMENT_TEAM_2010:
        if name == "Greece":
            _member(
                assessment,
                look.country(name),
                starts=y_start,
                starts_p=YEAR,
                ends=october,
                ends_p=MONTH,
                status=MembershipStatus.DECLINED,
                source=f"{SOURCE_2010}, footnote 8 (L150)",
                note="Announced in October 2010 that it would not take part.",
            )
        else:
            _member(
                assessment,
                look.country(name),
                starts=y_start,
                starts_p=YEAR,
                ends=date(2013, 12, 31),
                ends_p=YEAR,
                status=MembershipStatus.ENDED,
                source=f"{SOURCE_2010}, footnote 8 (L150)",
            )

    iac = _body(
        "International Advisory Committee of the Civil Society Days",
        BodyKind.CIVIL_SOCIETY_BODY,
        track=Track.CIVIL_SOCIETY,
        cycle=c2010,
        acronym="IAC",
        description="Advised the BBVA Bancomer Foundation on the Civil Society Days: 15 members and 6 "
        "observers. Its working groups and roundtables are the civil-society track's own.",
    )
    _member(
        iac,
        look.people["John K. Bingham"],
        MembershipRole.CHAIR,
        starts=date(2010, 3, 15),
        starts_p=MONTH,
        ends=y_end,
        ends_p=YEAR,
        status=MembershipStatus.ENDED,
        source=f"{SOURCE_2010}, L146 and L190",
    )


def _ensure_demo_structure(look: Lookup, demo: ForumCycle) -> None:
    """Fictional bodies and memberships of the demonstration cycle, so every feature has current people."""
    start = date(demo.year, 1, 1)
    current = dict(starts=start, note=DEMO_NOTE)
    office = _body(
        f"Chair-in-Office {demo.year} (demonstration)",
        BodyKind.CHAIR_OFFICE,
        cycle=demo,
        description="The office of the fictional demonstration Chair.",
    )
    _member(office, demo.chair_country, MembershipRole.CHAIR, **current)
    steering = _body("Steering Group", BodyKind.STEERING_GROUP)
    for name in (
        "Bangladesh",
        "Ghana",
        "Mexico",
        "Morocco",
        "Philippines",
        "Switzerland",
        "Sweden",
        "Ecuador",
        "Germany",
        "Kenya",
        "United Arab Emirates",
        "France",
    ):
        _member(steering, look.country(name), **current)
    coherence = _body("Ad hoc Working Group on Policy Coherence, Data and Research", BodyKind.WORKING_GROUP)
    for name in ("Morocco", "Switzerland"):
        _member(coherence, look.country(name), MembershipRole.CO_CHAIR, **current)
    for name in ("Mexico", "Ghana"):
        _member(coherence, look.country(name), **current)
    protect = _body(
        "Ad hoc Working Group on Protecting and Empowering Migrants for Development", BodyKind.WORKING_GROUP
    )
    for name in ("Philippines", "United Arab Emirates"):
        _member(protect, look.country(name), MembershipRole.CO_CHAIR, **current)
    _member(protect, look.country("Mexico"), **current)


def _ensure_demo_accounts(look: Lookup, demo: ForumCycle) -> None:
    from forum.auth.services import create_account  # auth sits above the directory and structure

    password = current_app.config.get("DEMO_PASSWORD")
    if not password:
        raise RuntimeError("Demo accounts need FORUM_DEMO_PASSWORD (never set in production).")
    office = structure.body_of_kind(BodyKind.CHAIR_OFFICE, demo.id)
    bodies = {
        "support_unit": (structure.body_of_kind(BodyKind.SUPPORT_UNIT), MembershipRole.STAFF),
        "chair_team": (office, MembershipRole.STAFF),
        "focal": (structure.body_of_kind(BodyKind.FRIENDS_OF_THE_FORUM), MembershipRole.FOCAL_POINT),
    }
    for email, name, title, country_name, role in DEMO_ACCOUNTS:
        country = look.country(country_name) if country_name else None
        person = db.session.scalar(sa.select(Person).where(Person.email == email)) or directory.create_person(
            SYSTEM,
            name=name,
            title=title,
            country_id=country.id if country else None,
            email=email,
        )
        body, membership_role = bodies[role]
        _member(body, person, membership_role, starts=date(demo.year, 1, 1), on_behalf_of=country, note=DEMO_NOTE)
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            create_account(
                SYSTEM,
                person_id=person.id,
                email=email,
                password=password,
                acts_for_country_id=country.id if country else None,
            )
