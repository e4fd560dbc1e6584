"""Demo roundtables: the three 2010 roundtables and seven sessions as the Report of Proceedings tells them, and
the fictional current-year cycle with live preparation checklists.

Facts cite seeds/002 (GFMD 2010 Report of Proceedings) by line. The report gives the summit's government days
(10-11 November 2010, L166) but not each session's hours, so the 2010 slots are estimates and say so (the same
slots as the summit programme in forum/meetings/demo.py). The teams come from Annex 5, the matrix of co-chairs
and government teams (L1074-1112): 41 governments across the seven sessions, counting the co-chairs.

Idempotent: each record is looked up by its natural key first; a session's roles, team and checklist states are
filled only in the run that creates the session.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import Organisation, Person
from forum.extensions import db
from forum.roundtables import services
from forum.roundtables.models import (
    ChecklistItem,
    ChecklistTemplateItem,
    OwnerRole,
    RoleKind,
    Roundtable,
    RoundtableSession,
    TeamMemberKind,
)
from forum.structure.models import ForumCycle

SRC = "GFMD 2010 Report of Proceedings"
DEMO_NOTE = "Demonstration data: fictional."
VALLARTA = "America/Mexico_City"  # Puerto Vallarta, Jalisco, keeps central Mexican time
ACCRA = "Africa/Accra"

TEMPLATE = [
    # (position, title, owner, days from the session, what it involves)
    (10, "Concept note", OwnerRole.CO_CHAIRS, -112, "The co-chairs' two-page outline of the session's questions."),
    (20, "Session team formed", OwnerRole.SUPPORT_UNIT, -98, "Governments and organisations confirmed in the team."),
    (30, "Background paper: first draft", OwnerRole.CO_CHAIRS, -70, "Circulated to the team for comments."),
    (40, "Comments from the team", OwnerRole.SESSION_TEAM, -49, "Team members' written comments on the draft."),
    (50, "Background paper: final", OwnerRole.CO_CHAIRS, -28, "The version sent to all delegations."),
    (60, "Translation into French and Spanish", OwnerRole.SUPPORT_UNIT, -21, "The final paper in all three languages."),
    (70, "Speakers and panellists confirmed", OwnerRole.CO_CHAIRS, -21, "Names, offices and the order of speaking."),
    (80, "Rapporteur and note-takers named", OwnerRole.COORDINATOR, -14, "Who writes the session report."),
    (90, "Session report", OwnerRole.RAPPORTEUR, 28, "The rapporteur's report with the session's outcomes."),
]

ROUNDTABLES_2010 = [
    # (number, title, coordinator, source)
    (
        1,
        "Partnerships for migration and human development: shared prosperity – shared responsibility",
        "Jorge Durand",
        f"{SRC}, L307-309",
    ),
    (2, "Human mobility and human development", "Irena Omelaniuk", f"{SRC}, L419-421"),
    (
        3,
        "Policy and institutional coherence to address the relationship between migration and development",
        "Rolph Kurt Jenny",
        f"{SRC}, L608-610",
    ),
]

SESSIONS_2010 = [
    # (rt, number, title, co-chairs in the body's order, day, hour, guiding questions, source)
    (
        1,
        1,
        "Partnerships for more regular and protected migration",
        ["Brazil", "France"],
        10,
        15,
        "",
        f"{SRC}, L315-317; Annex 5",
    ),
    (
        1,
        2,
        "Joint strategies to address irregular migration",
        ["Ecuador", "Netherlands"],
        10,
        15,
        "",
        f"{SRC}, L363-365; Annex 5",
    ),
    (
        2,
        1,
        "Reducing the costs of migration and maximizing human development",
        ["Sri Lanka", "Sweden", "UAE"],
        10,
        17,
        "How can governments ensure that recruiters and other intermediaries keep migration expenses low for "
        "migrants?\n"
        "Ensuring migrants have access to social benefits\n"
        "What other policy areas affect migration costs and the ability of migrants and their families to choose to "
        "migrate and circulate in pursuit of better prospects?",
        f"{SRC}, L435-493; Annex 5",
    ),
    (
        2,
        2,
        "Migration, gender and family",
        ["Mexico"],
        10,
        17,
        "Policies and programs to support and provide benefits to families in 'transnational' situations.\n"
        "Partnerships to assist children who are alone in the country of origin and those separated from their "
        "parents in countries of destination.\n"
        "How to address the concerns of unregistered children in countries of destination with parents in "
        "undocumented or irregular situations.\n"
        "Tools and mechanisms to orient, support, protect and empower female migrants at all points in the migration "
        "cycle.",
        f"{SRC}, L526-580; Annex 5",
    ),
    (
        3,
        1,
        "Assessing the impact of migration on the economic and social development and addressing its "
        "cause-effect relationship",
        ["Argentina", "Kenya", "Switzerland"],
        11,
        9,
        "",
        f"{SRC}, L616-618; Annex 5",
    ),
    (
        3,
        2,
        "Assessing the relevance and impact of climate change on migration and development",
        ["Bangladesh", "United Kingdom"],
        11,
        9,
        "",
        f"{SRC}, L665; Annex 5",
    ),
    (
        3,
        3,
        "How can RCPs and Inter-regional Fora best include the migration and development nexus?",
        ["Indonesia", "Morocco", "Spain"],
        11,
        11,
        "The whole-of-government approach, and what capacities and mechanisms taking part in RCPs and IRFs needs.\n"
        "Knowledge, data and tools such as Migration Profiles, and the GFMD's role in them.\n"
        "Cross-fertilisation among RCPs and IRFs.\n"
        "Feedback between RCPs and IRFs and the GFMD.\n"
        "Support for countries outside any RCP, and the creation of new RCPs.",
        f"{SRC}, L706-752; Annex 5",
    ),
]

# Annex 5 (L1074-1112): government team members, then international organisations, per session
TEAMS_2010 = {
    (1, 1): (
        ["Australia", "Bangladesh", "Belgium", "Canada", "Germany", "Israel", "Mauritius", "Mexico", "Nigeria"]
        + ["Portugal", "USA"],
        ["IOM", "OECD"],
    ),
    (1, 2): (
        [
            "Argentina",
            "Azerbaijan",
            "Greece",
            "Italy",
            "Mexico",
            "Morocco",
            "Niger",
            "Nigeria",
            "Philippines",
            "Republic of Moldova",
        ],
        ["IOM"],
    ),
    (2, 1): (
        [
            "Bangladesh",
            "Chile",
            "Ecuador",
            "Ethiopia",
            "Germany",
            "Greece",
            "Japan",
            "Kenya",
            "Mauritius",
            "Mexico",
            "Morocco",
            "Republic of Moldova",
            "South Africa",
            "Spain",
        ],
        ["EU Delegation", "IOM", "ILO", "WHO"],
    ),
    (2, 2): (
        [
            "Armenia",
            "Chile",
            "Ecuador",
            "Greece",
            "Israel",
            "Philippines",
            "Portugal",
            "Spain",
            "Sudan",
            "Ukraine",
            "UK",
        ],
        ["IFAD", "UNIFEM", "UNICEF", "IOM", "ILO", "WHO"],
    ),
    (3, 1): (
        ["Colombia", "France", "Mauritius", "Mexico", "Morocco", "Republic of Moldova", "Sudan"],
        ["EU Delegation", "IFAD", "IOM"],
    ),
    (3, 2): (["Chile", "Ecuador", "France", "Germany", "Ghana", "Mauritius", "Mexico", "Switzerland"], ["IOM"]),
    (3, 3): (
        ["Australia", "Bangladesh", "Ecuador", "Mexico", "Niger", "Republic of Moldova", "Thailand", "USA"],
        ["IOM"],
    ),
}

# people named in the roundtable chapters (names and offices only)
PEOPLE_2010 = [
    # (honorific, name, title, organisation, country)
    ("Mr.", "Manuel Imson", "Labour Attaché", None, "Philippines"),
    ("Mr.", "Paulo Cavaleri", "Roundtable rapporteur", None, None),
    ("Ms.", "Dominique Mineur", "Roundtable rapporteur", None, None),
    ("Ms.", "Eugenia Lujan", "Note-taker", None, None),
    ("Mr.", "Juan Carlos Narvaez", "Note-taker", None, None),
    ("Ms.", "Karina Velasco", "Note-taker", None, None),
    ("Mr.", "Johan Fick", "Session rapporteur", None, "South Africa"),
    ("Mr.", "Vaheh Gevorgyan", "Session rapporteur", None, "Armenia"),
    ("Mr.", "Juan Carlos Calleros", "Note-taker", "Center for Migration Studies (Mexico)", "Mexico"),
    ("Mr.", "Aaron Terrazas", "Note-taker", "MPI", None),
    ("Mr.", "Azzouz Samri", "Plenipotentiary Minister", None, "Morocco"),
    (
        "Amb.",
        "María Bassols",
        "Chief of Cabinet of the Secretary General for Migration and Consular Affairs",
        None,
        "Spain",
    ),
    ("Prof.", "Susan Martin", "Session rapporteur", None, None),
    ("Prof.", "Ronald Skeldon", "Session rapporteur and background paper author", None, None),
    ("Mr.", "David DiGiovanna", "Session rapporteur", None, None),
    ("Ms.", "Milena Novy-Marx", "Note-taker", "MacArthur Foundation", "United States of America"),
    ("Ms.", "Nina Frias Valle", "Note-taker", "Center for Migration Studies (Mexico)", "Mexico"),
]

ROLES_2010 = [
    # (rt, session or None for the whole roundtable, kind, person, note, source)
    (
        1,
        None,
        RoleKind.SESSION_RAPPORTEUR,
        "Manuel Imson",
        "RT1 rapporteur; the report does not say for which session",
        f"{SRC}, L321",
    ),
    (
        1,
        None,
        RoleKind.SESSION_RAPPORTEUR,
        "Paulo Cavaleri",
        "RT1 rapporteur; the report does not say for which session",
        f"{SRC}, L321",
    ),
    (
        1,
        None,
        RoleKind.SESSION_RAPPORTEUR,
        "Dominique Mineur",
        "RT1 rapporteur; the report does not say for which session",
        f"{SRC}, L321",
    ),
    (1, None, RoleKind.NOTE_TAKER, "Eugenia Lujan", "", f"{SRC}, L321"),
    (1, None, RoleKind.NOTE_TAKER, "Juan Carlos Narvaez", "", f"{SRC}, L321"),
    (1, None, RoleKind.NOTE_TAKER, "Karina Velasco", "", f"{SRC}, L321"),
    (1, None, RoleKind.PLENARY_REPORTER, "Manuel Imson", "Labour Attaché, the Philippines", f"{SRC}, L845"),
    (2, 1, RoleKind.SESSION_RAPPORTEUR, "Johan Fick", "South Africa", f"{SRC}, L427"),
    (2, 2, RoleKind.SESSION_RAPPORTEUR, "Vaheh Gevorgyan", "Armenia", f"{SRC}, L427"),
    (2, None, RoleKind.NOTE_TAKER, "Juan Carlos Calleros", "Center for Migration Studies, Mexico", f"{SRC}, L427"),
    (2, None, RoleKind.NOTE_TAKER, "Aaron Terrazas", "MPI Washington", f"{SRC}, L427"),
    (2, None, RoleKind.PLENARY_REPORTER, "Azzouz Samri", "Plenipotentiary Minister, Morocco", f"{SRC}, L845"),
    (3, None, RoleKind.GENERAL_RAPPORTEUR, "María Bassols", "", f"{SRC}, L622"),
    (3, 1, RoleKind.SESSION_RAPPORTEUR, "Susan Martin", "", f"{SRC}, L622"),
    (3, 2, RoleKind.SESSION_RAPPORTEUR, "Ronald Skeldon", "", f"{SRC}, L622"),
    (3, 3, RoleKind.SESSION_RAPPORTEUR, "David DiGiovanna", "", f"{SRC}, L622"),
    (3, None, RoleKind.NOTE_TAKER, "Milena Novy-Marx", "MacArthur Foundation, USA", f"{SRC}, L622"),
    (3, None, RoleKind.NOTE_TAKER, "Nina Frias Valle", "Center for Migration Studies, Mexico", f"{SRC}, L622"),
    (3, None, RoleKind.PLENARY_REPORTER, "María Bassols", "Spain", f"{SRC}, L845"),
]

# what the report shows was done for each 2010 session (the rest it does not record)
PAPERS_2010 = {
    (1, 1): "The background paper written by Mexico (L311).",
    (1, 2): "The background paper written by Mexico (L311).",
    (2, 2): "The session was built on its Background Paper and the paper's guiding questions (L530-532).",
    (3, 1): "Background paper prepared by Dr. Khalid Koser (L622).",
    (3, 2): "Background paper prepared by Prof. Ronald Skeldon (L622).",
    (3, 3): "Background paper prepared by Ms. Maureen Achieng (L622).",
}
#: a one-page PDF saying it is a placeholder, so the demo has an evidence document to download
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 12 Tf 20 50 Td (Demonstration draft: fictional.) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NOT_RECORDED = "Not recorded: the 2010 Report of Proceedings does not say when or whether this step was done."


def load_roundtables() -> None:
    """Load the checklist template, the 2010 roundtables and the demonstration cycle's roundtables."""
    _ensure_template()
    cycles = {c.year: c for c in db.session.scalars(sa.select(ForumCycle))}
    if 2010 in cycles:
        _load_2010(cycles[2010])
    demo = next((c for c in cycles.values() if c.is_fictional and c.year == today().year), None)
    if demo is not None:
        _load_demo_cycle(demo)


def _ensure_template() -> None:
    have = {t.title for t in db.session.scalars(sa.select(ChecklistTemplateItem))}
    for position, title, owner, offset, description in TEMPLATE:
        if title not in have:
            services.create_template_item(
                SYSTEM,
                position=position,
                title=title,
                owner_role=owner,
                due_offset_days=offset,
                description=description,
                is_active=True,
            )


def _person(honorific: str | None, name: str, title: str, organisation: str | None, country: str | None) -> Person:
    found = db.session.scalar(sa.select(Person).where(Person.name == name))
    if found is not None:
        return found
    org = directory.find_organisation(organisation) if organisation else None
    nation = directory.find_country(country) if country else None
    return directory.create_person(
        SYSTEM,
        honorific=honorific,
        name=name,
        title=title,
        organisation_id=org.id if org else None,
        country_id=nation.id if nation else None,
    )


def _roundtable(cycle: ForumCycle, number: int, title: str, coordinator: Person | None, source: str) -> Roundtable:
    found = db.session.scalar(sa.select(Roundtable).where(Roundtable.cycle_id == cycle.id, Roundtable.number == number))
    if found is not None:
        return found
    return services.create_roundtable(
        SYSTEM,
        cycle,
        number=number,
        title=title,
        coordinator_person_id=coordinator.id if coordinator else None,
        coordinator_country_id=None,
        description="",
        source=source,
    )


def _session(rt: Roundtable, number: int, **values) -> tuple[RoundtableSession, bool]:
    found = db.session.scalar(
        sa.select(RoundtableSession).where(RoundtableSession.roundtable_id == rt.id, RoundtableSession.number == number)
    )
    if found is not None:
        return found, False
    return services.create_session(SYSTEM, rt, number=number, **values), True


def _organisation(name: str) -> Organisation:
    org = directory.find_organisation(name)
    if org is None:
        raise LookupError(f"unknown organisation in demo data: {name}")
    return org


def _country_id(name: str) -> int:
    country = directory.find_country(name)
    if country is None:
        raise LookupError(f"unknown country in demo data: {name}")
    return country.id


def _item(session: RoundtableSession, title: str) -> ChecklistItem:
    return next(i for i in session.checklist if i.title == title)


def _load_2010(cycle: ForumCycle) -> None:
    people = {p[1]: _person(*p) for p in PEOPLE_2010}
    roundtables = {}
    for number, title, coordinator, source in ROUNDTABLES_2010:
        roundtables[number] = _roundtable(cycle, number, title, directory.find_person(coordinator), source)
    sessions: dict[tuple[int, int], RoundtableSession] = {}
    created: set[tuple[int, int]] = set()
    for rt_number, number, title, chairs, day, hour, questions, source in SESSIONS_2010:
        local = datetime(2010, 11, day, hour, 0)
        session, is_new = _session(
            roundtables[rt_number],
            number,
            title=title,
            guiding_questions=questions,
            starts_local=local,
            timezone=VALLARTA,
            is_date_estimated=True,
            room="",
            source=source,
        )
        sessions[(rt_number, number)] = session
        if not is_new:
            continue
        created.add((rt_number, number))
        for chair in chairs:
            services.add_role(SYSTEM, session, kind=RoleKind.CO_CHAIR, country_id=_country_id(chair), source=source)
        governments, organisations = TEAMS_2010[(rt_number, number)]
        for name in governments:
            services.add_team_member(
                SYSTEM,
                session,
                kind=TeamMemberKind.GOVERNMENT,
                country_id=_country_id(name),
                source=f"{SRC}, Annex 5 (L1074-1112)",
            )
        for name in organisations:
            services.add_team_member(
                SYSTEM,
                session,
                kind=TeamMemberKind.INTERNATIONAL_ORGANISATION,
                organisation_id=_organisation(name).id,
                note="Listed as “EU Delegation”" if name == "EU Delegation" else "",
                source=f"{SRC}, Annex 5 (L1074-1112)",
            )
        services.set_team_closed(SYSTEM, session, closed=True)
    for rt_number, number, kind, person, note, source in ROLES_2010:
        key = (rt_number, number or 1)
        if key not in created:
            continue
        services.add_role(
            SYSTEM,
            sessions[key],
            kind=kind,
            person_id=people[person].id,
            note=note,
            source=source,
            at_roundtable=number is None,
        )
    for key in created:
        _close_2010_checklist(sessions[key], key)


def _close_2010_checklist(session: RoundtableSession, key: tuple[int, int]) -> None:
    """2010 happened: each step is done where the report shows it, otherwise set aside as not recorded."""
    db.session.refresh(session)
    evidence = {
        "Background paper: final": PAPERS_2010.get(key),
        "Session team formed": "Annex 5 lists the session's co-chairs and government team (L1074-1112).",
        "Session report": "The roundtable chapter of the Report of Proceedings rests on the session's report "
        "(L321, L427, L622).",
    }
    for item in list(session.checklist):
        note = evidence.get(item.title)
        if note:
            services.mark_done(SYSTEM, item, version_id=item.version_id, evidence_note=note)
        else:
            services.mark_not_applicable(SYSTEM, item, version_id=item.version_id, reason=NOT_RECORDED)


# ---------------------------------------------------------------------------------------------------- fictional cycle

DEMO_COORDINATORS = [
    ("Dr.", "Nadia Mensah", "Roundtable coordinator (demonstration)"),
    ("Mr.", "Tomás Ruiz", "Roundtable coordinator (demonstration)"),
    ("Ms.", "Ingrid Holm", "Roundtable coordinator (demonstration)"),
]

DEMO_ROUNDTABLES = [
    (1, "Skills partnerships between countries of origin and destination"),
    (2, "Lowering the costs of moving and sending money home"),
    (3, "Data and evidence for migration policy"),
]

DEMO_SESSIONS = [
    # (rt, number, title, co-chairs, summit day, hour, room, team (governments), organisations)
    (
        1,
        1,
        "Recognising skills across borders",
        ["Mexico", "Ghana"],
        0,
        9,
        "Room A",
        ["Morocco", "Germany", "Kenya"],
        ["ILO", "IOM"],
    ),
    (
        1,
        2,
        "Training in the country of origin for jobs abroad",
        ["Germany"],
        0,
        14,
        "Room B",
        ["Philippines", "Bangladesh"],
        ["ILO"],
    ),
    (
        2,
        1,
        "Recruitment fees paid by employers, not migrants",
        ["Philippines", "United Arab Emirates"],
        1,
        9,
        "Room A",
        ["Mexico", "Bangladesh", "Ecuador"],
        ["IOM"],
    ),
    (2, 2, "Cheaper, faster remittances", ["Sweden", "Kenya", "Ecuador"], 1, 14, "Room B", ["Ghana"], ["World Bank"]),
    (
        3,
        1,
        "Migration profiles that governments keep up to date",
        ["Morocco", "Switzerland"],
        2,
        9,
        "Room A",
        ["France", "Mexico"],
        ["OECD", "IOM"],
    ),
    (3, 2, "Measuring what follow-up achieved", ["Bangladesh"], 2, 14, "Room B", ["Switzerland"], ["UNITAR"]),
]


def _load_demo_cycle(cycle: ForumCycle) -> None:
    summit = cycle.summit_starts_on or (today() + timedelta(days=100))
    coordinators = [
        db.session.scalar(sa.select(Person).where(Person.name == name))
        or directory.create_person(SYSTEM, honorific=honorific, name=name, title=title)
        for honorific, name, title in DEMO_COORDINATORS
    ]
    roundtables = {
        number: _roundtable(cycle, number, title, coordinators[number - 1], DEMO_NOTE)
        for number, title in DEMO_ROUNDTABLES
    }
    for rt_number, number, title, chairs, day, hour, room, governments, organisations in DEMO_SESSIONS:
        local = datetime.combine(summit + timedelta(days=day), time(hour, 0))
        session, is_new = _session(
            roundtables[rt_number],
            number,
            title=title,
            guiding_questions="",
            starts_local=local,
            timezone=ACCRA,
            is_date_estimated=False,
            room=room,
            source=DEMO_NOTE,
        )
        if not is_new:
            continue
        for chair in chairs:
            services.add_role(SYSTEM, session, kind=RoleKind.CO_CHAIR, country_id=_country_id(chair))
        for name in governments:
            services.add_team_member(SYSTEM, session, kind=TeamMemberKind.GOVERNMENT, country_id=_country_id(name))
        for name in organisations:
            services.add_team_member(
                SYSTEM, session, kind=TeamMemberKind.INTERNATIONAL_ORGANISATION, organisation_id=_organisation(name).id
            )
        _demo_states(session, (rt_number, number))


def _demo_states(session: RoundtableSession, key: tuple[int, int]) -> None:
    """A mix for the board: concept notes done (one overdue), a paper drafted early, a step set aside."""
    db.session.refresh(session)
    if key != (2, 2):
        item = _item(session, "Concept note")
        services.mark_done(
            SYSTEM,
            item,
            version_id=item.version_id,
            evidence_note="Concept note circulated to the Steering Group (demonstration).",
        )
    if key in {(1, 1), (3, 1)}:
        item = _item(session, "Session team formed")
        services.mark_done(SYSTEM, item, version_id=item.version_id, evidence_url="https://example.org/demo/team")
    if key == (1, 1):
        item = _item(session, "Background paper: first draft")
        services.mark_done(
            SYSTEM,
            item,
            version_id=item.version_id,
            evidence_note="Draft shared early (demonstration).",
            evidence_file=services.Upload("Draft background paper (demonstration).pdf", DEMO_PDF),
        )
    if key == (3, 2):
        item = _item(session, "Translation into French and Spanish")
        services.mark_not_applicable(
            SYSTEM, item, version_id=item.version_id, reason="The session is held in English only (demonstration)."
        )
    # open requests for the demo accounts to decide: Mexico's focal point co-chairs 1.1
    if key == (1, 1):
        services.sign_up(SYSTEM, session, country_id=_country_id("Philippines"))
    if key == (1, 2):
        services.sign_up(SYSTEM, session, country_id=_country_id("Morocco"))
