"""Demo data for the Platform for Partnerships: the three projects that launched it in 2010, and fictional
projects of the demonstration cycle in every state of the workflow. Loading twice adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import User
from forum.extensions import db
from forum.partnerships import services
from forum.partnerships.models import (
    DecisionOutcome,
    OfferKind,
    PartnerRole,
    PartnershipProject,
    ProjectEvent,
    ProjectOffer,
    ProjectStage,
    Recommendation,
)
from forum.roundtables.demo import DEMO_PDF
from forum.structure import services as structure
from forum.structure.models import Body, BodyKind

SOURCE = "GFMD 2010 Report of Proceedings"

#: the three kick-off projects of the working session on the PfP (seeds/002 L783-805)
KICK_OFF = [
    dict(
        title="Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries",
        lead="Mexico",
        co=["Netherlands", "Switzerland"],
        themes=["T7", "T9"],
        stage=ProjectStage.IMPLEMENTATION,
        summary=(
            "A reference handbook for governments of origin and destination countries on involving their "
            "diasporas in development: promising practices, the constraints met and how governments, often with "
            "civil society, overcame them. It answers the Athens 2009 roundtable's finding that no such guide "
            "existed."
        ),
        objectives="Collect practice through survey questionnaires, interviews and a validation workshop.",
        outcomes="Athens 2009, Roundtable 1.2: a reference guide for diaspora engagement was lacking.",
        needs_partners="Governments willing to answer the survey and take part in the validation workshop.",
        offers="",
        partners=[
            ("International Organization for Migration", PartnerRole.IMPLEMENTER),
            ("Migration Policy Institute", PartnerRole.IMPLEMENTER),
        ],
        source=f"{SOURCE}, L783-787",
    ),
    dict(
        title="Protecting Unaccompanied Migrant Children",
        lead="Mexico",
        co=[],
        themes=["T2", "T11"],
        stage=ProjectStage.IMPLEMENTATION,
        summary=(
            "Mexico's National Migration Institute trains migration officials as child protection officers for "
            "unaccompanied migrant children, with technical support from UNICEF, UNHCR and IOM. More than 300 "
            "officers have been trained; the training is offered to other states through the Platform."
        ),
        objectives="Better protection of unaccompanied migrant children; a community of practice of officers.",
        outcomes="The 2008 roundtable on protecting and empowering migrants; the 2010 roundtable themes.",
        needs_partners="States interested in training their officers.",
        offers=(
            "Training free of charge: the trainees' states pay their travel and accommodation, Mexico the "
            "facilitators'."
        ),
        partners=[
            ("UNICEF", PartnerRole.TECHNICAL_PARTNER),
            ("Office of the United Nations High Commissioner for Refugees", PartnerRole.TECHNICAL_PARTNER),
            ("International Organization for Migration", PartnerRole.TECHNICAL_PARTNER),
        ],
        source=f"{SOURCE}, L789-795",
    ),
    dict(
        title="Developing Migration Profiles",
        lead="Switzerland",
        co=["Morocco"],
        themes=["T12", "T9"],
        stage=ProjectStage.IMPLEMENTATION,
        summary=(
            "Migration profiles help governments report migration data regularly, find gaps in data and "
            "capacity, and build coherence through national technical working groups. The Platform showcases "
            "countries' profiles, builds a global database and supports workshops, template work and twinning."
        ),
        objectives="A global database of profiles; comparable templates; twinning of home and host countries.",
        outcomes="The 2009 GFMD recommendation on migration profiles.",
        needs_partners="Countries ready to share their profiles and join regional workshops.",
        offers="",
        partners=[
            ("International Organization for Migration", PartnerRole.IMPLEMENTER),
            ("European Commission", PartnerRole.SUPPORTER),
        ],
        source=f"{SOURCE}, L797-805 (sponsored by the ad hoc Working Group on Policy Coherence, Data and Research)",
    ),
]


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _body(kind: BodyKind, name_part: str = "") -> Body:
    stmt = sa.select(Body).where(Body.kind == kind, Body.name.contains(name_part)).order_by(Body.id)
    return db.session.scalars(stmt).first()


def _draft(actor: Any, spec: dict, cycle_id: int | None, *, confirm: bool = True) -> PartnershipProject:
    start = spec.get("starts_on", date(2010, 1, 1))
    project = services.create_project(
        actor,
        lead_country_id=directory.find_country(spec["lead"]).id,
        co_proposer_ids=[directory.find_country(name).id for name in spec["co"]],
        theme_codes=spec["themes"],
        cycle_id=cycle_id,
        title=spec["title"],
        summary=spec["summary"],
        objectives=spec["objectives"],
        outcomes_followed=spec["outcomes"],
        stage=spec["stage"],
        starts_on=start,
        needs_partners=spec["needs_partners"],
        offers=spec["offers"],
        contact_name=spec.get("contact", "Platform for Partnerships focal point"),
        contact_email=spec.get("email", "pfp@example.org"),
        source=spec.get("source", ""),
    )
    for name, role in spec.get("partners", []):
        services.add_partner(actor, project, role=role, organisation_id=directory.find_organisation(name).id)
    if spec["co"] and confirm:
        services.confirm_co_proposal(SYSTEM, project)
    return project


def _through(project: PartnershipProject, steps: list[str], body: Body | None, outcome=None) -> None:
    """Walk a project along the workflow as the Support Unit and the reviewing body would."""
    support = _user("support@example.org")
    if "submit" in steps:
        services.submit_project(SYSTEM, project)
    if "screen" in steps:
        services.start_screening(support, project)
    if "return" in steps:
        services.return_project(
            support,
            project,
            comment="Please add the time frame of the second phase and say which partners are already on board.",
        )
    if "route" in steps:
        services.route_project(support, project, body_id=body.id)
    if "comment" in steps:
        services.comment_on_review(
            SYSTEM,
            project,
            text="Fits the group's work plan; ask for a budget outline.",
            recommendation=Recommendation.ACCEPT,
        )
    if "decide" in steps:
        services.decide_project(
            support,
            project,
            outcome=outcome,
            note="" if outcome == DecisionOutcome.ACCEPTED else "The group asks for a narrower first phase.",
            decision_record=f"{body.name}, meeting of {today().isoformat()}",
            report_every_months=6 if outcome == DecisionOutcome.ACCEPTED else None,
        )
    if "publish" in steps:
        services.publish_decision(support, project)


def load_partnerships() -> None:
    existing = set(db.session.scalars(sa.select(PartnershipProject.title)))
    cycle_2010 = structure.cycle_by_year(2010)
    coherence = _body(BodyKind.WORKING_GROUP, "Policy Coherence")
    for spec in KICK_OFF:
        if spec["title"] in existing:
            continue
        project = _draft(SYSTEM, spec, cycle_2010.id)
        body = coherence if "Profiles" in spec["title"] else _body(BodyKind.STEERING_GROUP)
        _through(project, ["submit", "screen", "route", "decide", "publish"], body, DecisionOutcome.ACCEPTED)
        _launched_at_puerto_vallarta(project)
    demo = structure.cycle_by_year(today().year)
    if demo is None:
        return
    focal = {
        name: _user(f"focal.{name.lower()}@example.org") for name in ("Mexico", "Philippines", "Morocco", "Switzerland")
    }
    protect = _body(BodyKind.WORKING_GROUP, "Protecting")
    start = date(today().year, 3, 1)
    fictional = [
        ("Recruitment cost calculator for migrant workers", "Philippines", ["Mexico"], [], None, None),
        ("Return and reintegration counselling network", "Morocco", [], ["submit"], None, None),
        ("Skills recognition compact for care workers", "Philippines", [], ["submit", "screen"], None, None),
        ("Diaspora investment guarantee pilot", "Mexico", [], ["submit", "screen", "return"], None, None),
        (
            "Regional migration data dashboards",
            "Switzerland",
            [],
            ["submit", "screen", "route", "comment"],
            coherence,
            None,
        ),
        (
            "Pre-departure orientation in three languages",
            "Philippines",
            [],
            ["submit", "screen", "route", "comment", "decide"],
            protect,
            DecisionOutcome.ACCEPTED,
        ),
        (
            "Pension portability toolkit",
            "Morocco",
            ["Switzerland"],
            ["submit", "screen", "route", "decide", "publish"],
            coherence,
            DecisionOutcome.ACCEPTED,
        ),
        (
            "Border health screening exchange",
            "Mexico",
            [],
            ["submit", "screen", "route", "decide", "publish"],
            protect,
            DecisionOutcome.DECLINED,
        ),
    ]
    for title, lead, co, steps, body, outcome in fictional:
        if title in existing:
            continue
        spec = dict(
            title=title,
            lead=lead,
            co=co,
            themes=["T3", "T10"],
            stage=ProjectStage.DESIGN,
            starts_on=start,
            summary=f"{title}: a fictional demonstration project, proposed by {lead} to show the Platform's "
            "workflow from draft to publication.",
            objectives="Demonstration data: invented for this cycle.",
            outcomes="",
            offers="",
            needs_partners="Two or three partner governments and one international organisation.",
            contact=focal[lead].person.name,
            email=focal[lead].email,
        )
        # the first one stays a draft whose co-proposer (Mexico) has yet to confirm
        project = _draft(focal[lead], spec, demo.id, confirm=bool(steps))
        _through(project, steps, body, outcome)
    _follow_up(focal)


#: the working session on the PfP, 11 November 2010, 11:00 in Puerto Vallarta (17:00 UTC), where the three
#: kick-off projects were presented (seeds/002 L762-807)
PFP_SESSION_2010 = datetime(2010, 11, 11, 17, 0, tzinfo=UTC)


def _launched_at_puerto_vallarta(project: PartnershipProject) -> None:
    """Demonstration only: the kick-off projects went through the workflow at load time; their history is put
    back to 2010, a minute per step, ending with publication at the working session."""
    history = sa.select(ProjectEvent).where(ProjectEvent.project_id == project.id)
    events = list(db.session.scalars(history.order_by(ProjectEvent.at, ProjectEvent.id)))
    start = PFP_SESSION_2010 - timedelta(minutes=len(events))
    for step, event in enumerate(events):
        event.at = start + timedelta(minutes=step)
    project.submitted_at = project.routed_at = project.decided_at = start
    project.published_at = PFP_SESSION_2010
    project.decision_record = project.decision_record.split(", meeting of ")[0] + ", 2010"
    db.session.commit()


def _project(title: str) -> PartnershipProject:
    return db.session.scalars(sa.select(PartnershipProject).where(PartnershipProject.title == title)).one()


def _report_due(project: PartnershipProject, due: date) -> None:
    """Demonstration only: the report schedule as if the project had been published earlier."""
    project.next_report_due_on = due
    db.session.commit()


def _follow_up(focal: dict[str, User]) -> None:
    """Offers in every state, progress reports (on time, late, one due and one missing) and documents; added
    once, on the first load."""
    if db.session.scalar(sa.select(ProjectOffer.id).limit(1)) is not None:
        return
    support = _user("support@example.org")
    children = _project("Protecting Unaccompanied Migrant Children")
    profiles = _project("Developing Migration Profiles")
    handbook = _project(KICK_OFF[0]["title"])
    pensions = _project("Pension portability toolkit")
    philippines = directory.find_country("Philippines")
    # pending: the Philippines would send officers to Mexico's training (the permission matrix answers it)
    services.make_offer(
        focal["Philippines"],
        children,
        party=f"country:{philippines.id}",
        kind=OfferKind.SUPPORT,
        role=PartnerRole.SUPPORTER,
        what="Twelve migration officers for the next training cycle, and a trainer from our own programme.",
        terms="We pay our officers' travel and accommodation, as the project asks.",
    )
    # accepted: Mexico shares its profile and hosts a regional workshop; it joins as an implementer
    mexico_offer = services.make_offer(
        focal["Mexico"],
        profiles,
        party=f"country:{directory.find_country('Mexico').id}",
        kind=OfferKind.SUPPORT,
        role=PartnerRole.IMPLEMENTER,
        what="Our national migration profile, and a regional workshop in Mexico City for Central America.",
        terms="Mexico hosts the workshop; participants' travel is theirs.",
        amount=40000,
        currency="USD",
    )
    services.reply_to_offer(focal["Switzerland"], mexico_offer, accept=True, reply="Welcome on board.")
    # declined: the Philippines' interest in the pension toolkit comes before the toolkit covers Asia
    declined = services.make_offer(
        focal["Philippines"],
        pensions,
        party=f"country:{philippines.id}",
        kind=OfferKind.INTEREST,
        role=PartnerRole.TECHNICAL_PARTNER,
        what="Our social security agreements with twelve countries, as cases for the toolkit.",
    )
    services.reply_to_offer(
        focal["Morocco"],
        declined,
        accept=False,
        reply="The first phase covers the Mediterranean only; we will come back to you for the second.",
    )
    # pending, recorded by the Support Unit for an organisation without an account of its own
    services.make_offer(
        support,
        handbook,
        party=f"organisation:{directory.find_organisation('ILO').id}",
        kind=OfferKind.INTEREST,
        role=PartnerRole.TECHNICAL_PARTNER,
        what="A chapter on diaspora skills and labour market information (said at the Steering Group meeting).",
    )
    day = today()
    # on time: the profiles project reports ten days before its date
    _report_due(profiles, day + timedelta(days=10))
    services.submit_report(
        focal["Switzerland"],
        profiles,
        period_start=day - timedelta(days=180),
        period_end=day - timedelta(days=1),
        progress="Four new profiles drafted; the template was revised with the national working groups.",
        results="Profiles of Ghana, Moldova and Morocco validated; the global database opened to partners.",
        next_steps="Regional workshop in Mexico City; twinning of two home and two host countries.",
    )
    # late: the handbook's report came forty days after its date
    _report_due(handbook, day - timedelta(days=40))
    services.submit_report(
        focal["Mexico"],
        handbook,
        period_start=day - timedelta(days=220),
        period_end=day - timedelta(days=41),
        progress="The survey went to all GFMD governments; 56 answered. The validation workshop is planned.",
        stage_after=ProjectStage.COMPLETION,
        results="A first draft of the handbook, with 40 practices from 30 countries.",
        next_steps="Validation workshop, then publication in English, French and Spanish.",
    )
    _report_due(children, day - timedelta(days=20))  # late and still missing
    _report_due(pensions, day + timedelta(days=12))  # due within the month
    services.add_attachment(
        focal["Philippines"],
        _project("Recruitment cost calculator for migrant workers"),
        upload=services.Upload("Concept note (demonstration).pdf", DEMO_PDF),
        description="Concept note for the co-proposers",
    )
    services.add_attachment(
        focal["Switzerland"],
        profiles,
        upload=services.Upload("Migration profile template (demonstration).pdf", DEMO_PDF),
        description="The revised template",
    )
