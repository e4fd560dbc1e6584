"""Demo data for outcomes and follow-up.

- 2010: the 45 numbered outcomes of the seven Puerto Vallarta sessions (seeds/002 L351-760), in our own words
  and kept close to the report; the findings, suggestions and minority views it records apart from them; the
  follow-up the report itself names (the Dubai workshop, the UAE's plans, the three PfP kick-off projects, the
  proposed working group on gender) with its state as the report knew it. At the hand-over the open actions go on
  under the Swiss Chair, who carried the initiatives on through the working groups and the PfP (L855).
- 2009: what Athens concluded that the 2010 projects took up (L785, L799), as a cycle-level series.
- 2014: the proposed recommendations for the 2013 High-Level Dialogue (seeds/003, Section IV) with their
  responsible actors, indicators and targets, under Sweden's chairmanship of 2013-2014.
- The demonstration cycle: fictional follow-up of those real outcomes by the demo governments, in every state,
  some overdue, with a Chair's review and an open request for an update.

Loading twice adds nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from forum.core.dates import today
from forum.core.models import DatePrecision
from forum.core.permissions import SYSTEM
from forum.directory.models import Country, Organisation
from forum.extensions import db
from forum.outcomes import services
from forum.outcomes.models import (
    AddresseeKind,
    CommitmentStrength,
    FollowUpAction,
    FollowUpStatus,
    Outcome,
    OutcomeKind,
    StatementKind,
)
from forum.outcomes.services import AddresseeInput, PartyInput
from forum.partnerships.models import PartnershipProject
from forum.roundtables.demo import DEMO_PDF
from forum.roundtables.models import Roundtable, RoundtableSession
from forum.roundtables.services import Upload
from forum.structure.models import ForumCycle

REPORT = "GFMD 2010 Report of Proceedings"
HLD_SOURCE = "GMG, proposed recommendations for the 2013 High-Level Dialogue (seeds/003)"

P, INST, R, PA = OutcomeKind.POLICY, OutcomeKind.INSTITUTIONAL, OutcomeKind.RESEARCH, OutcomeKind.PARTNERSHIP
WILL, MUST, SHOULD, COULD = (
    CommitmentStrength.COMMITMENT,
    CommitmentStrength.OBLIGATION,
    CommitmentStrength.RECOMMENDATION,
    CommitmentStrength.SUGGESTION,
)
GOV, GFMD, IOS, CSO, PRIV = "governments", "gfmd", "international_organisations", "civil_society", "private_sector"

#: (session "rt.session", number, title, text in our words, kind, strength, addressees, themes, report line)
OUTCOMES_2010 = [
    (
        "1.1",
        1,
        "An interactive map and databases of migration flows",
        "Build an interactive map of migration that helps delegates prepare the Forum's discussions, and databases "
        "of migration flows that give objective, reliable information for carrying out migration and development "
        "policies.",
        R,
        SHOULD,
        [GFMD],
        ["T12"],
        "L353",
    ),
    (
        "1.1",
        2,
        "Respect for the international conventions",
        "Every country should see that the relevant international conventions are respected.",
        P,
        SHOULD,
        [GOV],
        ["T2"],
        "L354",
    ),
    (
        "1.1",
        3,
        "Information for people thinking of migrating",
        "Support programmes that give prospective migrants the information they need to decide well and to avoid "
        "bad experiences of migration.",
        P,
        SHOULD,
        [GOV],
        ["T2", "T11"],
        "L355",
    ),
    (
        "1.1",
        4,
        "Brain drain and brain gain",
        "Partnerships have to tackle brain drain, and at the same time use for development the brain gain and the "
        "transfer of knowledge that migration also brings.",
        P,
        SHOULD,
        [GOV],
        ["T9", "T10"],
        "L357",
    ),
    (
        "1.1",
        5,
        "Jobs in the countries of origin",
        "Encourage the creation of jobs in countries of origin, so that circular and return migration become real "
        "options.",
        P,
        SHOULD,
        [GOV],
        ["T3"],
        "L358",
    ),
    (
        "1.1",
        6,
        "No criminalisation, and a fair picture of migration",
        "Countries of origin and destination should not treat migrants as criminals, and should spread knowledge at "
        "every level to correct mistaken or biased views of migration and migrants; migrants, in turn, need to know "
        "the challenges of migrating.",
        P,
        SHOULD,
        [GOV],
        ["T2", "T6"],
        "L359",
    ),
    (
        "1.1",
        7,
        "Complete policies for returning migrants",
        "Countries need full policies and programmes for migrants who return, whether they do so voluntarily or are "
        "made to; for forced returns, countries of origin and destination need to work together.",
        P,
        SHOULD,
        [GOV],
        ["T10"],
        "L360",
    ),
    (
        "1.1",
        8,
        "The Platform for Partnerships as a tool for sharing practice",
        "Given the many bilateral and regional partnerships discussed in the session, the Platform for Partnerships "
        "should be used to share good practices.",
        INST,
        SHOULD,
        [GFMD],
        ["T10"],
        "L361",
    ),
    (
        "1.2",
        1,
        "Irregular migration stays on the agenda",
        "Governments need to keep discussing the challenges of irregular migration at future meetings of the Forum, "
        "and the subject should stay on the agenda of the GFMD and of coming international conferences.",
        INST,
        MUST,
        [GOV, GFMD],
        ["T4"],
        "L407",
    ),
    (
        "1.2",
        2,
        "Fair circular and temporary migration schemes",
        "Governments should consider circular or temporary migration schemes, on condition that they give fair access "
        "to human rights and a path to permanent residence and citizenship.",
        P,
        COULD,
        [GOV],
        ["T3", "T4"],
        "L408",
    ),
    (
        "1.2",
        3,
        "Joint mechanisms against irregular migration",
        "Set up joint mechanisms of cooperation at multilateral, regional and bilateral level to reduce irregular "
        "migration, built on responsibility shared by countries of origin, transit and destination, and including "
        "exchanges of information on trafficking and smuggling.",
        PA,
        SHOULD,
        [GOV],
        ["T4", "T5", "T10"],
        "L409",
    ),
    (
        "1.2",
        4,
        "The right not to migrate",
        "Governments must keep in mind the right not to migrate; addressing it needs more empirical data and more "
        "resources.",
        P,
        MUST,
        [GOV],
        ["T1", "T12"],
        "L410",
    ),
    (
        "1.2",
        5,
        "Human rights whatever the status",
        "Respecting the human rights of migrants, whatever their immigration status, is an absolute threshold "
        "principle.",
        P,
        MUST,
        [GOV],
        ["T2"],
        "L412",
    ),
    (
        "1.2",
        6,
        "Leaders who frame the public debate",
        "National leaders need to frame public debate so that it shows the positive contribution that regular and "
        "irregular migrants make to the societies that host them.",
        P,
        MUST,
        [GOV],
        ["T6"],
        "L413",
    ),
    (
        "1.2",
        7,
        "Prosecuting traffickers and smugglers together",
        "Governments must prosecute the criminal organisations behind trafficking and smuggling, in joint efforts "
        "with international and local actors.",
        P,
        MUST,
        [GOV],
        ["T5"],
        "L414",
    ),
    (
        "1.2",
        8,
        "Closing the gaps in coordination",
        "Governments must close the gaps in coordination and cooperation between countries of origin, transit and "
        "destination, and look for ways to share information at home and abroad.",
        P,
        MUST,
        [GOV],
        ["T10"],
        "L415",
    ),
    (
        "1.2",
        9,
        "Protecting the most vulnerable first",
        "Policy on irregular migration should put first the protection of the most vulnerable: irregular migrants, "
        "victims of trafficking, women and unaccompanied children.",
        P,
        SHOULD,
        [GOV],
        ["T2", "T5"],
        "L416",
    ),
    (
        "1.2",
        10,
        "Awareness campaigns along the route",
        "Run communication and awareness campaigns so that information is shared in countries of origin, transit and "
        "destination alike.",
        P,
        MUST,
        [GOV],
        ["T4"],
        "L417",
    ),
    (
        "2.1",
        1,
        "Recruiters and the protection of contract workers",
        "Look into recruitment and involve recruitment agencies in preparing and protecting overseas contract "
        "workers better.",
        P,
        SHOULD,
        [GOV, PRIV],
        ["T3"],
        "L517",
    ),
    (
        "2.1",
        2,
        "Licensing, codes of conduct and registers for recruiters",
        "Promote systems that monitor and license recruiters and other intermediaries, and develop (or apply "
        "existing) codes of conduct and registers of recruiters.",
        P,
        SHOULD,
        [GOV, PRIV],
        ["T3"],
        "L518",
    ),
    (
        "2.1",
        3,
        "Low-cost loans for migrants",
        "Explore and evaluate new ways of giving migrants access to low-cost loans.",
        R,
        COULD,
        [GOV],
        ["T3", "T8"],
        "L519",
    ),
    (
        "2.1",
        4,
        "Job matching and recognition of skills",
        "Promote cooperation between countries of origin and destination that matches jobs better and recognises "
        "skills.",
        PA,
        SHOULD,
        [GOV],
        ["T3", "T10"],
        "L520",
    ),
    (
        "2.1",
        5,
        "Portable pensions and social rights",
        "Promote the portability of pensions and other social rights, and explore social security and end-of-contract "
        "payment models for temporary labour migrants, for example from the study the working group on protecting "
        "and empowering migrants commissioned on the subject.",
        P,
        SHOULD,
        [GOV],
        ["T3"],
        "L521",
    ),
    (
        "2.1",
        6,
        "One-stop shops for migration and return",
        "Promote one-stop shops in countries of origin and destination that inform migrants about migration and "
        "return, circular migration included, so that they are not left knowing less than those they deal with.",
        P,
        SHOULD,
        [GOV],
        ["T3", "T11"],
        "L522",
    ),
    (
        "2.1",
        7,
        "Health care that fits the way people migrate",
        "Assess which health care models are cost-effective for the different situations in which people migrate.",
        R,
        SHOULD,
        [GOV],
        ["T13"],
        "L523",
    ),
    (
        "2.1",
        8,
        "The costs of circular migration",
        "Analyse, and bring down, the costs of circular migration, whether managed or spontaneous.",
        R,
        SHOULD,
        [GOV],
        ["T3"],
        "L524",
    ),
    (
        "2.2",
        1,
        "The family at every stage of migration policy",
        "Policy makers should take the family into account at every stage of migration policy, and in particular "
        "consider regularising irregular migrants whose children are nationals of the destination country by birth.",
        P,
        SHOULD,
        [GOV],
        ["T2", "T6"],
        "L596",
    ),
    (
        "2.2",
        2,
        "Good practice on the GFMD website",
        "The GFMD can help countries adjust to changing family structures by putting on its website the good "
        "practices identified at its meetings, so that countries learn from one another.",
        INST,
        COULD,
        [GFMD],
        ["T6"],
        "L597",
    ),
    (
        "2.2",
        3,
        "Ratifying the conventions on the rights of the child",
        "Member States should ratify every UN convention on the rights of the child and then promote its "
        "implementation at home.",
        P,
        SHOULD,
        [GOV],
        ["T2"],
        "L603",
    ),
    (
        "2.2",
        4,
        "Migrant women in the African Women's Decade",
        "Bring migrant women into the agenda of the African Women's Decade, launched on 24 October 2010.",
        P,
        SHOULD,
        [GOV],
        ["T2"],
        "L604",
    ),
    (
        "2.2",
        5,
        "An ad hoc Working Group on Gender",
        "Create an ad hoc Working Group on Gender within the GFMD; the session's Mexican Chair recommends that it "
        "take up family issues as well.",
        INST,
        SHOULD,
        [GFMD],
        ["T2", "T6"],
        "L605",
    ),
    (
        "2.2",
        6,
        "Gender-sensitive guidelines with indicators",
        "Develop gender-sensitive guidelines for policies, programmes and budgets, with suitable indicators.",
        P,
        SHOULD,
        [GFMD, GOV],
        ["T2", "T12"],
        "L606",
    ),
    (
        "3.1",
        1,
        "Indicators of the impact of migration",
        "Interested governments, helped by international organisations and outside experts, should develop and test "
        "indicators of how migration affects development, with rigorous evaluation methods.",
        R,
        SHOULD,
        [GOV, IOS],
        ["T12"],
        "L658",
    ),
    (
        "3.1",
        2,
        "A clearing house on impact assessment",
        "They should set up a clearing house of indicators, evaluation methods and impact assessments of the "
        "policies, programmes and projects that link migration and development.",
        INST,
        SHOULD,
        [GOV, IOS],
        ["T9", "T12"],
        "L659",
    ),
    (
        "3.1",
        3,
        "Migration Profiles, kept up to date",
        "They should keep producing and updating Migration Profiles on a standard template that leaves room for "
        "each country's own priorities.",
        R,
        SHOULD,
        [GOV, IOS],
        ["T12"],
        "L661",
    ),
    (
        "3.1",
        4,
        "The GMG handbook on mainstreaming",
        'They should encourage use of the GMG handbook "Mainstreaming migration into development planning".',
        P,
        COULD,
        [GOV, IOS],
        ["T9"],
        "L662",
    ),
    (
        "3.1",
        5,
        "Counting migrants in censuses and surveys",
        'They should encourage governments to follow the "Migrants Count" report on collecting data on migrants '
        "in censuses, surveys and administrative systems.",
        R,
        COULD,
        [GOV, IOS],
        ["T12"],
        "L663",
    ),
    (
        "3.2",
        1,
        "A Virtual Library on climate change and migration",
        "Speed up the sharing of data, analysis, first experiences and good practice, and for that purpose create a "
        "Virtual Library of the data and analyses available and to come, as a global public good.",
        R,
        SHOULD,
        [GOV, IOS],
        ["T1", "T12"],
        "L701",
    ),
    (
        "3.2",
        2,
        "Dialogue on climate, migration and development at every level",
        "Strengthen local, regional and global dialogue on how climate change, migration and development connect, "
        "including early policy experiences that are not final but point the way to urgent action; encourage the "
        "GFMD to contribute.",
        P,
        SHOULD,
        [GOV, GFMD],
        ["T1"],
        "L702",
    ),
    (
        "3.2",
        3,
        "Towards a legal and institutional framework",
        "All the stakeholders concerned need to begin discussing a suitable legal and institutional framework for "
        "these questions, including within the UNFCCC.",
        P,
        SHOULD,
        [GOV, IOS, CSO],
        ["T1"],
        "L704",
    ),
    (
        "3.3",
        1,
        "National leadership and a whole-of-government approach",
        "National leadership is essential for addressing migration at regional level; taking part in RCPs and "
        "inter-regional fora also makes national policy more coherent, so the two reinforce each other.",
        P,
        SHOULD,
        [GOV],
        ["T9", "T10"],
        "L756",
    ),
    (
        "3.3",
        2,
        "Each process decides whether it binds",
        "Each RCP and inter-regional forum should decide freely whether its deliberations and outcomes are binding.",
        P,
        SHOULD,
        [GOV],
        ["T10"],
        "L757",
    ),
    (
        "3.3",
        3,
        "Regional data and cross-fertilisation",
        "Promote good data collection at regional and inter-regional level, Migration Profiles and data by sex "
        "included, so that gender is seen; strengthen information sharing among RCPs and inter-regional fora.",
        R,
        SHOULD,
        [GOV],
        ["T12"],
        "L758",
    ),
    (
        "3.3",
        4,
        "The Common Space as a model interface",
        "It may be too early to institutionalise the links between the GFMD and the RCPs and inter-regional fora, "
        "but the Common Space opened at the Mexico meeting could be a model for them.",
        INST,
        COULD,
        [GFMD],
        ["T10"],
        "L759",
    ),
    (
        "3.3",
        5,
        "New RCPs at the initiative of governments",
        "New RCPs should be created on the initiative of the governments concerned, so that they own them.",
        P,
        SHOULD,
        [GOV],
        ["T10"],
        "L760",
    ),
]

#: (session, kind, text, report line): recorded apart from the outcomes
STATEMENTS_2010 = [
    ("1.2", StatementKind.MINORITY_VIEW, "Some participants did not accept regularisation as the solution.", "L387"),
    (
        "1.2",
        StatementKind.MINORITY_VIEW,
        "Some delegations stressed the pressure on welfare systems, while others held access to services essential.",
        "L377",
    ),
    (
        "2.1",
        StatementKind.SUGGESTION,
        "One government proposed that migrants' health become a core principle of the GFMD, taken up at future "
        "meetings.",
        "L477",
    ),
    (
        "2.1",
        StatementKind.SUGGESTION,
        "The GFMD could go on offering a platform to study circular migration, also to lower its costs.",
        "L497",
    ),
    (
        "2.1",
        StatementKind.FINDING,
        "Delegates were left asking what such programmes really cost and whether they work at a meaningful scale.",
        "L513",
    ),
    (
        "2.2",
        StatementKind.SUGGESTION,
        "A gender working group could help follow the session up; it became outcome 2.2-5.",
        "L592",
    ),
    (
        "3.2",
        StatementKind.FINDING,
        "Most movement linked to climate change is internal, and a lack of data is no excuse for not acting.",
        "L673, L677",
    ),
    (
        "3.2",
        StatementKind.SUGGESTION,
        "Guiding Principles could be defined, and the GFMD could set up fora to carry on the Puerto Vallarta "
        "discussion.",
        "L697",
    ),
    (
        "3.3",
        StatementKind.MINORITY_VIEW,
        "One delegate wanted binding agreements among RCP members; others valued their non-binding character.",
        "L722, L742-744",
    ),
    (
        "3.3",
        StatementKind.SUGGESTION,
        "Inter-regional fora could be invited to the next full meeting of RCP chairs.",
        "L736",
    ),
]

ATHENS_2009 = [
    (
        1,
        "A reference guide for diaspora engagement",
        "Roundtable 1.2 in Athens concluded that governments lacked a reference guide to engaging their diasporas.",
        R,
        SHOULD,
        ["T7"],
        "Roundtable 1.2 of the 2009 Athens meeting, as the 2010 report recalls it (seeds/002 L785)",
    ),
    (
        2,
        "Migration Profiles",
        "The 2009 meeting recommended developing migration profiles, to report migration data regularly, find data "
        "gaps and capacity needs, and build coherence through national technical working groups.",
        R,
        SHOULD,
        ["T12"],
        "The 2009 GFMD meeting, as the 2010 report recalls it (seeds/002 L799)",
    ),
]

#: (number = paragraph of Section IV, title, text, kind, strength, addressees, themes, line)
HLD_2013 = [
    (
        21,
        "Informed migration: information, pre-departure training, resource centres",
        "States should run local information campaigns on rights, risks and services for prospective migrants, "
        "strengthen pre-departure training and consular services, reach rural areas, train authorities and border "
        "guards, and make migrant resource centres permanent.",
        P,
        SHOULD,
        [GOV],
        ["T2", "T11"],
        "L182",
    ),
    (
        25,
        "Protect migrant workers and regulate recruitment",
        "Protect migrant workers, women above all, from abuse; give equal pay and conditions; recognise diplomas and "
        "skills; regulate and monitor recruitment agencies; make social security portable through agreements.",
        P,
        SHOULD,
        [GOV, "org:ILO"],
        ["T3"],
        "L191",
    ),
    (
        31,
        "Surveys, administrative data and a review of the 1998 statistics recommendations",
        "Add migration questions to censuses and surveys, publish the data, use administrative data, and have the "
        "relevant GMG working group assess progress since the 1998 UN Recommendations on Statistics of International "
        "Migration.",
        R,
        SHOULD,
        [GOV, "org:GMG"],
        ["T12"],
        "L214, L222",
    ),
    (
        33,
        "Migration profiles with a common set of core indicators",
        "States should consider using migration profiles more systematically, with the core indicators endorsed by "
        "the GMG.",
        R,
        COULD,
        [GOV, "org:EC", "org:IOM"],
        ["T12"],
        "L225",
    ),
    (
        39,
        "Cheaper remittances and financial inclusion",
        'Support the "5x5" objective of the G8 and G20: cut the average cost of sending remittances by five '
        "percentage points in five years; lower barriers to entry, regulate mobile-phone transfers and build "
        "public-private partnerships.",
        P,
        SHOULD,
        [GOV, PRIV, IOS],
        ["T8"],
        "L242, L246, L254",
    ),
    (
        41,
        "A stronger Global Migration Group",
        "The GMG should work better, at field level above all, under a multi-annual workplan; a retreat early in "
        "2013 would put its proposals to the principals by 31 March 2013.",
        INST,
        SHOULD,
        ["org:GMG"],
        ["T10"],
        "L252, L258-262",
    ),
    (
        43,
        "The GMG and the Forum",
        "The Group will keep engaging with the Forum, in support of its preparations and of the implementation of "
        "its recommendations.",
        INST,
        WILL,
        ["org:GMG", GFMD],
        ["T10"],
        "L265",
    ),
    (
        45,
        "Civil society and a permanent forum",
        "Engage civil society and social partners better, consider a compact with the private sector around common "
        "goals such as lower recruitment costs, and consider a permanent forum on migration and development.",
        INST,
        COULD,
        [GOV, CSO, PRIV],
        ["T10"],
        "L267, L271",
    ),
]


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def _days_ago(days: int) -> datetime:
    return datetime.combine(today() - timedelta(days=days), datetime.min.time(), UTC).replace(hour=9)


def _country(name: str) -> Country:
    country = db.session.scalar(sa.select(Country).where(Country.name == name))
    if country is None:
        raise LookupError(f"unknown country in the outcomes demo data: {name}")
    return country


def _organisation(acronym: str) -> Organisation:
    found = db.session.scalar(
        sa.select(Organisation).where(sa.or_(Organisation.acronym == acronym, Organisation.name == acronym))
    )
    if found is None:
        raise LookupError(f"unknown organisation in the outcomes demo data: {acronym}")
    return found


def _addressees(codes: list[str]) -> list[AddresseeInput]:
    chosen = []
    for code in codes:
        if code.startswith("org:"):
            chosen.append(AddresseeInput(AddresseeKind.ORGANISATION, _organisation(code[4:]).id))
        elif code.startswith("country:"):
            chosen.append(AddresseeInput(AddresseeKind.GOVERNMENT, _country(code[8:]).id))
        else:
            chosen.append(AddresseeInput(AddresseeKind(code)))
    return chosen


def _party(name: str) -> PartyInput:
    """A government by name, or an organisation by acronym (written "org:IOM")."""
    if name.startswith("org:"):
        return PartyInput(organisation_id=_organisation(name[4:]).id)
    return PartyInput(country_id=_country(name).id)


def _outcome(reference: str) -> Outcome:
    return db.session.scalars(sa.select(Outcome).where(Outcome.reference == reference)).one()


def _project(title_start: str) -> PartnershipProject | None:
    return db.session.scalar(
        sa.select(PartnershipProject).where(PartnershipProject.title.like(f"{title_start}%")).limit(1)
    )


def load_outcomes() -> None:
    cycles = {c.year: c for c in db.session.scalars(sa.select(ForumCycle))}
    if db.session.scalar(sa.select(Outcome.id).limit(1)) is not None:
        return  # loaded before: the history is append-only, so it is never loaded twice
    if 2009 in cycles:
        _load_athens(cycles[2009])
    if 2010 in cycles:
        _load_2010(cycles[2010], cycles.get(2011))
    if 2014 in cycles:
        _load_hld(cycles[2014])
    demo = next((c for c in cycles.values() if c.is_fictional and c.year == today().year), None)
    if demo is not None and 2010 in cycles:
        _load_demonstration(demo)


def _load_athens(cycle: ForumCycle) -> None:
    for number, title, text, kind, strength, themes, source in ATHENS_2009:
        services.record_outcome(
            SYSTEM,
            cycle=cycle,
            session=None,
            series="ATHENS",
            number=number,
            title=title,
            text=text,
            kind=kind,
            strength=strength,
            addressees=_addressees([GOV]),
            theme_codes=themes,
            source=source,
        )
    services.publish_series_outcomes(SYSTEM, cycle, "ATHENS", at=_at(2009, 11, 30))


def _sessions_2010(cycle: ForumCycle) -> dict[str, RoundtableSession]:
    rows = db.session.scalars(
        sa.select(RoundtableSession)
        .join(Roundtable, Roundtable.id == RoundtableSession.roundtable_id)
        .where(Roundtable.cycle_id == cycle.id)
    )
    return {s.code: s for s in rows}


def _load_2010(cycle: ForumCycle, following: ForumCycle | None) -> None:
    sessions = _sessions_2010(cycle)
    for code, number, title, text, kind, strength, addressees, themes, line in OUTCOMES_2010:
        services.record_outcome(
            SYSTEM,
            cycle=cycle,
            session=sessions[code],
            number=number,
            title=title,
            text=text,
            kind=kind,
            strength=strength,
            addressees=_addressees(addressees),
            theme_codes=themes,
            source=f"{REPORT}, {line}",
        )
    for code, kind, text, line in STATEMENTS_2010:
        services.add_statement(SYSTEM, sessions[code], kind=kind, text=text, source=f"{REPORT}, {line}")
    for session in sessions.values():
        services.publish_session_outcomes(SYSTEM, session, at=_at(2011, 2, 15))
    # the report wrote the Dubai workshop into outcome 2.1-1 after the event (L517); we keep the outcome as
    # decided and correct nothing: the workshop is a follow-up action below
    _links_2010()
    _translations_2010()
    actions = _actions_2010()
    if following is not None:
        services.carry_over(
            SYSTEM,
            cycle,
            [actions[k].id for k in ("F2", "F3", "F6", "F7", "F8", "F9")],
            note="Handed over to the Swiss Chair, who carries the initiatives on through the two ad hoc working "
            "groups and the Platform for Partnerships (L855).",
        )


#: our own translations of two 2010 outcomes, so that French and Spanish readers see them in their language (and
#: readers of the other languages see the original with a note)
TRANSLATIONS_2010 = [
    (
        "2010-RT2.1-1",
        "fr",
        "Les recruteurs et la protection des travailleurs sous contrat",
        "Examiner le recrutement et associer les agences de recrutement à une meilleure préparation et protection "
        "des travailleurs sous contrat à l'étranger.",
    ),
    (
        "2010-RT2.1-1",
        "es",
        "Los reclutadores y la protección de los trabajadores contratados",
        "Examinar el reclutamiento y hacer participar a las agencias de reclutamiento en una mejor preparación y "
        "protección de los trabajadores contratados en el extranjero.",
    ),
    (
        "2010-RT3.1-3",
        "es",
        "Perfiles Migratorios, siempre actualizados",
        "Deberían seguir elaborando y actualizando Perfiles Migratorios con una plantilla común que deje espacio a "
        "las prioridades de cada país.",
    ),
]


def _translations_2010() -> None:
    for reference, language, title, text in TRANSLATIONS_2010:
        services.save_translation(SYSTEM, _outcome(reference), language=language, title=title, text=text)


def _links_2010() -> None:
    handbook = _project("Handbook on Engaging Diasporas")
    children = _project("Protecting Unaccompanied Migrant Children")
    profiles = _project("Developing Migration Profiles")
    athens_1, athens_2 = _outcome("2009-ATHENS-1"), _outcome("2009-ATHENS-2")
    if handbook is not None:
        services.add_link(SYSTEM, athens_1, project_id=handbook.id, note="The handbook project goes back to it (L785).")
        services.add_link(
            SYSTEM, _outcome("2010-RT1.1-8"), project_id=handbook.id, note="One of the three PfP kick-off projects."
        )
    if children is not None:
        services.add_link(
            SYSTEM, _outcome("2010-RT1.2-9"), project_id=children.id, note="Mexico's training offer (L791-793)."
        )
    if profiles is not None:
        services.add_link(SYSTEM, _outcome("2010-RT3.1-3"), project_id=profiles.id, note="Through the PfP (L799-801).")
    services.add_link(SYSTEM, _outcome("2010-RT3.1-3"), earlier_reference=athens_2.reference, note="L799, L661")


def _action(
    reference: str,
    description: str,
    owner: str,
    *,
    co: tuple[str, ...] = (),
    due: date | None = None,
    precision: DatePrecision = DatePrecision.DAY,
    indicator: str = "",
    target: str = "",
    cycle: ForumCycle | None = None,
) -> FollowUpAction:
    return services.add_action(
        SYSTEM,
        _outcome(reference),
        description=description,
        owner=_party(owner),
        co_owners=[_party(c) for c in co],
        due_on=due,
        due_precision=precision,
        indicator=indicator,
        target=target,
        cycle=cycle,
    )


def _report(action: FollowUpAction, status: FollowUpStatus, progress: int, note: str, at: datetime, **extra) -> None:
    services.report_progress(SYSTEM, action, status=status, progress=progress, note=note, at=at, **extra)


def _actions_2010() -> dict[str, FollowUpAction]:
    """The follow-up the 2010 report names (seed-notes/002 §4.3), as the report knew it in early 2011."""
    a = {
        "F1": _action(
            "2010-RT2.1-1",
            "International workshop on the recruitment industry, in Dubai",
            "United Arab Emirates",
            co=("Switzerland",),
            due=date(2011, 1, 1),
            precision=DatePrecision.MONTH,
        ),
        "F2": _action(
            "2010-RT2.1-3",
            "Test low-cost loans in the UAE's pilot temporary labour programme with Asian "
            "countries, also for lessons for the GFMD",
            "United Arab Emirates",
            due=date(2011, 1, 1),
            precision=DatePrecision.YEAR,
        ),
        "F3": _action(
            "2010-RT2.1-5",
            "Use the working group's social security study in the UAE's own policies",
            "United Arab Emirates",
            due=date(2011, 1, 1),
            precision=DatePrecision.YEAR,
        ),
        "F4": _action(
            "2010-RT2.1-8",
            "A major study of circular migration, with lessons for the GFMD",
            "org:EC",
            due=date(2010, 12, 1),
            precision=DatePrecision.MONTH,
        ),
        "F5": _action(
            "2010-RT2.1-5",
            "Bring the Ibero-American multilateral social security agreement into force",
            "Spain",
            indicator="countries that have ratified the agreement",
            target="7 ratifications",
        ),
        "F6": _action(
            "2010-RT2.2-5",
            "Set up the ad hoc Working Group on Gender and Family",
            "Mexico",
            due=date(2011, 1, 1),
            precision=DatePrecision.HALF_YEAR,
        ),
        "F7": _action(
            "2010-RT1.1-8",
            "Handbook on engaging diasporas, through the Platform for Partnerships",
            "org:IOM",
            co=("org:MPI", "Mexico", "Netherlands", "Switzerland"),
            due=date(2012, 1, 1),
            precision=DatePrecision.YEAR,
        ),
        "F8": _action(
            "2010-RT1.2-9",
            "Offer other states the training of child protection officers",
            "Mexico",
            co=("org:UNICEF", "org:UNHCR", "org:IOM"),
            indicator="officers trained",
        ),
        "F9": _action(
            "2010-RT3.1-3",
            "Migration Profiles through the Platform for Partnerships: a global database, "
            "workshops, templates and twinning",
            "org:IOM",
            co=("org:EC",),
            indicator="first-generation migration profiles completed",
        ),
    }
    nov, early = _at(2010, 11, 11), _at(2011, 2, 1)
    _report(
        a["F1"],
        FollowUpStatus.DONE,
        100,
        "Held in Dubai in January 2011, co-organised by the UAE and Switzerland (L461, L517).",
        early,
        evidence_url="https://example.org/demo/dubai-workshop",
    )
    _report(a["F2"], FollowUpStatus.NOT_STARTED, 0, "Planned: the UAE are looking to test such loans (L461).", nov)
    _report(a["F3"], FollowUpStatus.NOT_STARTED, 0, "An intention: the UAE hope to benefit from the study (L491).", nov)
    _report(a["F4"], FollowUpStatus.IN_PROGRESS, 50, "Announced for the end of 2010 (L497).", nov)
    _report(
        a["F5"],
        FollowUpStatus.IN_PROGRESS,
        15,
        "Spain ratified in 2010; the agreement takes effect once seven countries have ratified it (L483).",
        nov,
    )
    _report(a["F6"], FollowUpStatus.NOT_STARTED, 0, "Proposed, and supported by some governments (L592, L605).", nov)
    _report(
        a["F7"],
        FollowUpStatus.IN_PROGRESS,
        20,
        "Under way: a survey, interviews and a validation workshop gather the input (L785).",
        nov,
    )
    _report(
        a["F8"],
        FollowUpStatus.IN_PROGRESS,
        40,
        "Over 300 officers trained; the offer to other states is open (L791-793).",
        nov,
    )
    _report(
        a["F9"],
        FollowUpStatus.IN_PROGRESS,
        60,
        "More than 70 first-generation profiles completed, many more in process (L799).",
        nov,
    )
    return a


def _load_hld(cycle: ForumCycle) -> None:
    for number, title, text, kind, strength, addressees, themes, line in HLD_2013:
        services.record_outcome(
            SYSTEM,
            cycle=cycle,
            session=None,
            series="HLD",
            number=number,
            title=title,
            text=text,
            kind=kind,
            strength=strength,
            addressees=_addressees(addressees),
            theme_codes=themes,
            source=f"{HLD_SOURCE}, {line}",
        )
    services.publish_series_outcomes(SYSTEM, cycle, "HLD", at=_at(2013, 6, 1))
    remittances = _action(
        "2014-HLD-39",
        "Cut the average cost of remittances by five percentage points",
        "org:World Bank",
        due=date(2013, 10, 1),
        precision=DatePrecision.MONTH,
        cycle=cycle,
        indicator="average cost of sending remittances (global)",
        target="5 percentage points lower over five years",
    )
    _report(remittances, FollowUpStatus.IN_PROGRESS, 30, "The 5x5 objective of the G8 and G20 (L242).", _at(2013, 6, 1))
    _action(
        "2014-HLD-41",
        "Working-level retreat, then the outcomes to the GMG principals",
        "org:GMG",
        due=date(2013, 3, 31),
        cycle=cycle,
    )
    statistics = _action(
        "2014-HLD-31",
        "Assess progress since the 1998 Recommendations on Statistics of International Migration",
        "org:GMG",
        due=date(2013, 10, 1),
        precision=DatePrecision.YEAR,
        cycle=cycle,
    )
    _report(statistics, FollowUpStatus.STALLED, 10, "No working group has taken it up yet.", _at(2013, 9, 1))


def _load_demonstration(cycle: ForumCycle) -> None:
    """Fictional follow-up of real outcomes by the demo governments, in every state."""
    day = today()
    rows = [
        (
            "2010-RT1.2-9",
            "Run the child protection training for West African border officials",
            "Mexico",
            ("Morocco",),
            day + timedelta(days=60),
            [
                (120, FollowUpStatus.IN_PROGRESS, 30, "Curriculum agreed."),
                (40, FollowUpStatus.IN_PROGRESS, 55, "First course held in Rabat.", "Course report.pdf"),
            ],
        ),
        (
            "2010-RT2.1-6",
            "Open a one-stop shop for departing and returning workers",
            "Philippines",
            (),
            day - timedelta(days=20),
            [(110, FollowUpStatus.IN_PROGRESS, 40, "Premises found; staff in training.")],
        ),
        (
            "2010-RT2.1-2",
            "Publish a register of licensed recruitment agencies",
            "Philippines",
            (),
            day - timedelta(days=45),
            [
                (130, FollowUpStatus.IN_PROGRESS, 20, "Draft list prepared."),
                (60, FollowUpStatus.STALLED, 20, "Waiting for the new licensing law."),
            ],
        ),
        (
            "2010-RT3.1-3",
            "Update the national Migration Profile with the 2025 census data",
            "Morocco",
            (),
            day - timedelta(days=10),
            [
                (140, FollowUpStatus.IN_PROGRESS, 50, "Technical working group set up."),
                (15, FollowUpStatus.DONE, 100, "Profile published."),
            ],
        ),
        (
            "2010-RT2.2-2",
            "Share good practice on transnational families on the GFMD website",
            "Switzerland",
            (),
            day + timedelta(days=30),
            [(100, FollowUpStatus.DROPPED, 0, "The GFMD web portal took this over.")],
        ),
        (
            "2010-RT1.1-3",
            "Pre-departure information sessions in the main regions of origin",
            "Mexico",
            (),
            day + timedelta(days=12),
            [],
        ),
        (
            "2014-HLD-21",
            "Make the migrant resource centres permanent",
            "Philippines",
            ("Switzerland",),
            day + timedelta(days=90),
            [(90, FollowUpStatus.IN_PROGRESS, 35, "Two centres funded for three years.")],
        ),
        (
            "2010-RT2.1-3",
            "Pilot low-cost pre-departure loans with two state banks",
            "Mexico",
            (),
            day - timedelta(days=5),
            [
                (80, FollowUpStatus.IN_PROGRESS, 60, "Pilot agreements signed."),
                (30, FollowUpStatus.IN_PROGRESS, 70, "First loans granted."),
            ],
        ),
    ]
    for reference, description, owner, co, due, history in rows:
        action = _action(reference, f"{description} (demonstration)", owner, co=co, due=due, cycle=cycle)
        for days, status, progress, note, *evidence in history:
            _report(
                action,
                status,
                progress,
                f"{note} (demonstration)",
                _days_ago(days),
                on_behalf_of_country_id=_country(owner).id,
                evidence_file=Upload(evidence[0], DEMO_PDF) if evidence else None,
            )
    # the Chair asks the Philippines where the overdue register stands; the request waits in its tasks
    services.record_review(
        SYSTEM,
        cycle,
        outcome=_outcome("2010-RT2.1-2"),
        comment="The register is overdue: where does the law stand? (demonstration)",
        requests_update=True,
        update_due_on=day + timedelta(days=14),
    )
    services.record_review(
        SYSTEM,
        cycle,
        outcome=None,
        comment="Half-year review: most actions are moving; some are overdue. (demonstration)",
        requests_update=False,
    )
