"""Demo meetings: the 2010 preparatory meetings and the Puerto Vallarta programme, and the fictional current cycle.

Facts cite seeds/002 (GFMD 2010 Report of Proceedings) by line. The report names three Friends of the Forum and
five Steering Group meetings in Geneva before the summit (L110; venues from the ILO and UNOG, L1072) but gives
none of their dates: those meetings carry estimated dates and say so. The summit days are the report's (L140,
L166); only the closing plenary has hours (L843), so every other session's slot is an estimate as well.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.permissions import SYSTEM
from forum.extensions import db
from forum.meetings import services
from forum.meetings.models import Meeting, MeetingKind, ProgrammeRoleKind, Reply
from forum.structure.models import Body, BodyKind, ForumCycle, Track

SRC = "GFMD 2010 Report of Proceedings"
GENEVA = "Europe/Zurich"
VALLARTA = "America/Mexico_City"
ACCRA = "Africa/Accra"
ESTIMATED = "The report gives no date for this meeting; the date shown is an estimate."
SLOT_ESTIMATED = "The report gives the summit days but not this session's hours; the slot shown is an estimate."
DEMO = "Demonstration data: fictional."

K = MeetingKind
R = ProgrammeRoleKind


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))


def _meeting(cycle: ForumCycle, title: str, **values: Any) -> tuple[Meeting, bool]:
    """The meeting with this title in this cycle, created through the service if it is not there yet."""
    found = db.session.scalar(sa.select(Meeting).where(Meeting.cycle_id == cycle.id, Meeting.title == title))
    if found is not None:
        return found, False
    values.setdefault("kind", K.BODY_MEETING)
    values.setdefault("is_public", True)
    meeting = services.create_meeting(SYSTEM, cycle_id=cycle.id, title=title, **values)
    return services.meeting_detail(SYSTEM, meeting.id), True


def _session(cycle, title, day, start, end, zone, track, kind, roles=(), **values) -> Meeting:
    meeting, created = _meeting(
        cycle,
        title,
        kind=kind,
        track=track,
        in_programme=True,
        starts_local=_at(day, *start),
        ends_local=_at(day, *end),
        timezone=zone,
        **values,
    )
    if created:
        for kind_, label in roles:
            services.add_programme_role(SYSTEM, meeting, kind=kind_, label=label)
    return meeting


def _body(name: str, kind: BodyKind | None = None) -> Body | None:
    stmt = sa.select(Body).where(Body.name == name)
    if kind is not None:
        stmt = stmt.where(Body.kind == kind)
    return db.session.scalar(stmt.order_by(Body.id).limit(1))


def load_meetings() -> None:
    """Load the demo meetings (idempotent: a meeting is looked up by cycle and title first)."""
    cycles = {c.year: c for c in db.session.scalars(sa.select(ForumCycle))}
    if 2010 in cycles:
        _load_2010(cycles[2010])
    demo = cycles.get(today().year)
    if demo is not None and demo.is_fictional:
        _load_demo_cycle(demo)


def _load_2010(cycle: ForumCycle) -> None:
    steering = _body("Steering Group", BodyKind.STEERING_GROUP)
    friends = _body("Friends of the Forum", BodyKind.FRIENDS_OF_THE_FORUM)
    geneva = dict(city="Geneva", timezone=GENEVA, is_date_estimated=True, description=ESTIMATED)
    sg_days = [date(2010, 2, 10), date(2010, 4, 14), date(2010, 6, 9), date(2010, 9, 8), date(2010, 10, 20)]
    for number, day in enumerate(sg_days, start=1):
        meeting, created = _meeting(
            cycle,
            f"Steering Group meeting {number} of 5 (2010)",
            body_id=steering.id if steering else None,
            starts_local=_at(day, 10),
            ends_local=_at(day, 13),
            source=f"{SRC}, L110 (five SG meetings), L1072 (Geneva venues)",
            **geneva,
        )
        if created and number == 1:
            services.add_agenda_item(
                SYSTEM,
                meeting,
                title="Preliminary Draft Budget of GFMD 2010",
                presenter="The Chair",
                minutes_allotted=None,
                document_title="Preliminary Draft Budget (Annex 2 of the Report of Proceedings)",
                document_url="",
            )
            services.publish_agenda(SYSTEM, meeting)
        if created:
            services.change_status(SYSTEM, meeting, "send_invitations")
            services.change_status(SYSTEM, meeting, "hold")
    for number, day in enumerate([date(2010, 3, 17), date(2010, 6, 23), date(2010, 10, 6)], start=1):
        meeting, created = _meeting(
            cycle,
            f"Friends of the Forum meeting {number} of 3 (2010)",
            body_id=friends.id if friends else None,
            starts_local=_at(day, 15),
            ends_local=_at(day, 18),
            source=f"{SRC}, L110 (three FoF meetings), L1072 (Geneva venues)",
            **geneva,
        )
        if created:
            services.change_status(SYSTEM, meeting, "send_invitations")
            services.change_status(SYSTEM, meeting, "hold")
    _programme_2010(cycle)


def _programme_2010(cycle: ForumCycle) -> None:
    csd, common, gov = Track.CIVIL_SOCIETY, Track.COMMON_SPACE, Track.GOVERNMENT
    d8, d9, d10, d11 = (date(2010, 11, n) for n in (8, 9, 10, 11))
    place = dict(city="Puerto Vallarta")
    est = dict(description=SLOT_ESTIMATED, is_date_estimated=True)
    held = []
    held.append(
        _session(
            cycle,
            "Civil Society Days, day 1: simultaneous sessions and the four working groups",
            d8,
            (9, 0),
            (18, 0),
            VALLARTA,
            csd,
            K.CIVIL_SOCIETY_SESSION,
            source=f"{SRC}, L140-154",
            description="Civil-society working groups, one per general subject, debating the sessions' first "
            "conclusions (these are the Civil Society Days' own groups, not the governments' working groups). "
            + SLOT_ESTIMATED,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Civil Society Days, day 2: regional discussions, the Political Statement and the closing ceremony",
            d9,
            (9, 0),
            (18, 0),
            VALLARTA,
            csd,
            K.CIVIL_SOCIETY_SESSION,
            roles=[(R.CHAIR, "Mr. Emilio Álvarez Icaza Longoria, Honorary President of the Civil Society Days")],
            source=f"{SRC}, L148, L154",
            description="Regional discussions, including the Future of the Forum, then the outline of the "
            "Political Statement. " + SLOT_ESTIMATED,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Opening ceremony of the Government Meeting",
            d10,
            (9, 0),
            (10, 0),
            VALLARTA,
            gov,
            K.PLENARY,
            roles=[
                (R.CHAIR, "Amb. Julián Ventura Valero, Chair of GFMD 2010"),
                (R.SPEAKER, "Mr. John K. Bingham, presenting the Civil Society Days Statement"),
            ],
            source=f"{SRC}, L166-172, L1116",
            **est,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Common Space panel 1: Improving Public Perceptions of Migrants",
            d10,
            (10, 0),
            (12, 0),
            VALLARTA,
            common,
            K.PANEL,
            roles=[
                (R.MODERATOR, "Ambassador Sergio Marchi, ICTSD"),
                (R.PANELLIST, "Ms. Navanethem Pillay, UN High Commissioner for Human Rights"),
                (R.PANELLIST, "Mr. Khandker Mosharraf Hossain, Minister of Labour and Manpower, Bangladesh"),
                (R.PANELLIST, "Mr. Dirk Jaspers, CELADE"),
                (R.PANELLIST, "Ms. Najla Chahda, Caritas Lebanon Migration Center"),
                (R.PANELLIST, "Mr. Eric Schwartz, US Department of State"),
                (R.PANELLIST, "Dr. Raúl Delgado Wise, Autonomous University of Zacatecas"),
            ],
            source=f"{SRC}, L222-233",
            **est,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Common Space panel 2: Migration for human development – enhancing partnerships",
            d10,
            (12, 0),
            (14, 0),
            VALLARTA,
            common,
            K.PANEL,
            roles=[
                (
                    R.MODERATOR,
                    "Dr. René Zenteno Quintero, Undersecretary for Population, Migration and Religious Affairs",
                ),
                (R.PANELLIST, "Ms. Lorena Escudero, National Ministry for Migrants, Ecuador"),
                (R.PANELLIST, "Mr. Stefano Manservigi, European Commission"),
                (R.PANELLIST, "Ms. Mebrat Beyene, Ministry of Foreign Affairs, Ethiopia"),
                (R.PANELLIST, "Mr. Colin Rajah, Migrant Rights International"),
                (R.PANELLIST, "Ambassador William Lacy Swing, IOM"),
                (R.PANELLIST, "Mr. Emilio Álvarez Icaza Longoria, Honorary Chair of the Civil Society Days"),
            ],
            source=f"{SRC}, L268-275",
            **est,
            **place,
        )
    )
    roundtables = [
        ("1.1", "Partnerships for more regular and protected migration", "Brazil; France", d10, (15, 0)),
        ("1.2", "Joint strategies to address irregular migration", "Ecuador; the Netherlands", d10, (15, 0)),
        (
            "2.1",
            "Reducing the costs of migration and maximizing human development",
            "Sri Lanka; Sweden; United Arab Emirates",
            d10,
            (17, 0),
        ),
        ("2.2", "Migration, gender and family", "Mexico (chair)", d10, (17, 0)),
        (
            "3.1",
            "Assessing the impact of migration on economic and social development",
            "Argentina; Kenya; Switzerland",
            d11,
            (9, 0),
        ),
        (
            "3.2",
            "Assessing the relevance and impact of climate change on migration and development",
            "Bangladesh; the United Kingdom",
            d11,
            (9, 0),
        ),
        (
            "3.3",
            "How can RCPs and Inter-regional Fora best include the migration and development nexus?",
            "Indonesia; Morocco; Spain",
            d11,
            (11, 0),
        ),
    ]
    for number, title, chairs, day, start in roundtables:
        session = _session(
            cycle,
            f"Roundtable {number}: {title}",
            day,
            start,
            (start[0] + 2, 0),
            VALLARTA,
            gov,
            K.ROUNDTABLE_SESSION,
            roles=[(R.CO_CHAIR, chairs)],
            source=f"{SRC}, L305-760 and Annex 5",
            **est,
            **place,
        )
        held.append(session)
        if number == "3.2":
            climate = session
    held.append(
        _session(
            cycle,
            "Working session on the Platform for Partnerships",
            d11,
            (11, 0),
            (13, 0),
            VALLARTA,
            gov,
            K.WORKING_SESSION,
            roles=[(R.MODERATOR, "Mr. Chukwu-Emeka Chikezie"), (R.SPEAKER, "Ms. Wies Maria Maas, PfP Administrator")],
            source=f"{SRC}, L762-807",
            **est,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Special session on the Future of the Forum",
            d11,
            (14, 30),
            (17, 0),
            VALLARTA,
            gov,
            K.SPECIAL_SESSION,
            roles=[
                (R.CO_CHAIR, "The Mexican Chair-in-Office"),
                (R.CO_CHAIR, "Mr. Peter Sutherland, Special Representative of the Secretary-General"),
            ],
            source=f"{SRC}, L809-841",
            **est,
            **place,
        )
    )
    held.append(
        _session(
            cycle,
            "Closing plenary",
            d11,
            (17, 30),
            (19, 0),
            VALLARTA,
            gov,
            K.PLENARY,
            roles=[
                (R.RAPPORTEUR, "Mr. Manuel Imson, for Roundtable 1"),
                (R.RAPPORTEUR, "Mr. Azzouz Samri, for Roundtable 2"),
                (R.RAPPORTEUR, "Ambassador María Bassols, for Roundtable 3"),
                (R.SPEAKER, "H.E. Mr. Eduard Gnesa, incoming 2011 Chair"),
            ],
            source=f"{SRC}, L843-867 (17.30-19.00)",
            **place,
        )
    )
    for session in held:
        if session.status.value == "planned":
            services.change_status(SYSTEM, session, "hold")
    if climate.interventions is None:
        # "some 43 interventions" in RT 3.2 (L667): recorded on the session as the report counts them
        climate.interventions = 43
        db.session.commit()


def _load_demo_cycle(cycle: ForumCycle) -> None:
    now = today()
    steering = _body("Steering Group", BodyKind.STEERING_GROUP)
    friends = _body("Friends of the Forum", BodyKind.FRIENDS_OF_THE_FORUM)
    coherence = _body("Ad hoc Working Group on Policy Coherence, Data and Research")
    protect = _body("Ad hoc Working Group on Protecting and Empowering Migrants for Development")
    base = dict(city="Geneva", timezone=GENEVA, description=DEMO, address="Palais des Nations")

    held, created = _meeting(
        cycle,
        f"Steering Group, first meeting of {cycle.year}",
        body_id=steering.id,
        starts_local=_at(now - timedelta(days=40), 10),
        ends_local=_at(now - timedelta(days=40), 13),
        **base,
    )
    if created:
        services.add_agenda_item(
            SYSTEM,
            held,
            title="Themes concept paper of the demonstration Chair",
            presenter="Chair-in-Office",
            minutes_allotted=45,
        )
        services.add_agenda_item(
            SYSTEM, held, title="Preliminary budget", presenter="Support Unit", minutes_allotted=30
        )
        services.publish_agenda(SYSTEM, held)
        services.change_status(SYSTEM, held, "send_invitations")
        for invitation in services.invitations_of(held)[:6]:
            services.reply_to_invitation(SYSTEM, invitation, reply=Reply.ATTENDING)
        services.change_status(SYSTEM, held, "hold")
        attended = {i.id for i in services.invitations_of(held)[:5]}
        services.record_attendance(SYSTEM, held, attended_ids=attended, interventions={i: 2 for i in attended})
        services.save_minutes(
            SYSTEM,
            held,
            text="The Steering Group discussed the themes concept paper and the "
            "preliminary budget of the demonstration cycle. (Fictional.)",
        )
        services.add_decision(SYSTEM, held, text="The Steering Group endorses the themes concept paper.")
        services.change_minutes(SYSTEM, held, "circulate")
        services.change_minutes(SYSTEM, held, "finalise")

    second, created = _meeting(
        cycle,
        f"Steering Group, second meeting of {cycle.year}",
        body_id=steering.id,
        starts_local=_at(now + timedelta(days=14), 10),
        ends_local=_at(now + timedelta(days=14), 13),
        **base,
    )
    if created:
        services.add_agenda_item(
            SYSTEM,
            second,
            title="Roundtable preparation: state of the teams",
            presenter="Support Unit",
            minutes_allotted=40,
            document_title="Roundtable board",
            document_url="https://example.org/board",
        )
        services.add_agenda_item(
            SYSTEM, second, title="Summit logistics", presenter="Host country", minutes_allotted=20
        )
        services.publish_agenda(SYSTEM, second)
        services.change_status(SYSTEM, second, "send_invitations")

    fof, created = _meeting(
        cycle,
        f"Friends of the Forum, {cycle.year} briefing",
        body_id=friends.id,
        starts_local=_at(now + timedelta(days=30), 15),
        ends_local=_at(now + timedelta(days=30), 17),
        **base,
    )
    if created:
        services.add_agenda_item(SYSTEM, fof, title="Briefing on the summit programme", presenter="Chair-in-Office")

    if coherence is not None:
        wg, created = _meeting(
            cycle,
            "Working group on policy coherence: data workshop (internal)",
            body_id=coherence.id,
            is_public=False,
            starts_local=_at(now + timedelta(days=21), 14),
            ends_local=_at(now + timedelta(days=21), 16),
            timezone=GENEVA,
            online_url="https://example.org/meet",
            description=DEMO,
        )
    if protect is not None:
        postponed, created = _meeting(
            cycle,
            "Working group on protecting migrants: recruitment costs",
            body_id=protect.id,
            starts_local=_at(now + timedelta(days=7), 9),
            ends_local=_at(now + timedelta(days=7), 12),
            **base,
        )
        if created:
            services.change_status(SYSTEM, postponed, "postpone", comment="The co-chairs asked for more time.")
    cancelled, created = _meeting(
        cycle,
        "Extended Troika consultation (online)",
        starts_local=_at(now + timedelta(days=3), 12),
        ends_local=_at(now + timedelta(days=3), 13),
        timezone="UTC",
        online_url="https://example.org/troika",
        description=DEMO,
    )
    if created:
        services.change_status(SYSTEM, cancelled, "cancel", comment="Merged into the Steering Group meeting.")
    _programme_demo(cycle)


def _programme_demo(cycle: ForumCycle) -> None:
    if cycle.summit_starts_on is None:
        return
    d1 = cycle.summit_starts_on
    d2, d3, d4 = (d1 + timedelta(days=n) for n in (1, 2, 3))
    place = dict(city=cycle.summit_city or "Accra", description=DEMO)
    csd, common, gov = Track.CIVIL_SOCIETY, Track.COMMON_SPACE, Track.GOVERNMENT
    _session(
        cycle,
        "Civil Society Days: opening and working groups",
        d1,
        (9, 0),
        (17, 0),
        ACCRA,
        csd,
        K.CIVIL_SOCIETY_SESSION,
        room="Hall A",
        **place,
    )
    _session(
        cycle,
        "Civil Society Days: roundtables and statement",
        d2,
        (9, 0),
        (17, 0),
        ACCRA,
        csd,
        K.CIVIL_SOCIETY_SESSION,
        room="Hall A",
        **place,
    )
    _session(
        cycle,
        "Common Space: skills partnerships",
        d3,
        (10, 0),
        (12, 30),
        ACCRA,
        common,
        K.PANEL,
        roles=[
            (R.MODERATOR, "A moderator (fictional)"),
            (R.PANELLIST, "A government minister (fictional)"),
            (R.PANELLIST, "A civil-society speaker (fictional)"),
        ],
        room="Plenary hall",
        **place,
    )
    _session(
        cycle,
        "Government Days: opening plenary",
        d3,
        (9, 0),
        (10, 0),
        ACCRA,
        gov,
        K.PLENARY,
        room="Plenary hall",
        **place,
    )
    _session(
        cycle,
        "Government Days: roundtable sessions",
        d3,
        (14, 0),
        (17, 30),
        ACCRA,
        gov,
        K.ROUNDTABLE_SESSION,
        room="Rooms 1-3",
        **place,
    )
    _session(
        cycle,
        "Government Days: closing plenary",
        d4,
        (15, 0),
        (17, 0),
        ACCRA,
        gov,
        K.PLENARY,
        room="Plenary hall",
        **place,
    )
