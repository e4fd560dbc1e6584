"""Roundtables, sessions, teams, the preparation checklist and the board, as their users see them."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from forum.core.audit import AuditEntry, AuditVerb
from forum.core.dates import today
from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Country
from forum.extensions import db
from forum.roundtables import services
from forum.roundtables.models import (
    CellState,
    ChecklistItem,
    ItemStatus,
    OwnerRole,
    RoleKind,
    Roundtable,
    RoundtableSession,
    SessionRole,
    TeamMember,
    TeamStatus,
)
from forum.structure.models import ForumCycle

SU = "support@example.org"
CHAIR = "chair@example.org"
MEXICO = "focal.mexico@example.org"
PHILIPPINES = "focal.philippines@example.org"
MOROCCO = "focal.morocco@example.org"
SWITZERLAND = "focal.switzerland@example.org"
YEAR = today().year


def _session(ref: str) -> RoundtableSession:
    return services.session_by_reference(ref)


def _country(name: str) -> Country:
    return db.session.scalar(sa.select(Country).where(Country.name == name))


def _audits(obj, verb: AuditVerb | None = None) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
    if verb:
        stmt = stmt.where(AuditEntry.verb == verb)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def _item(ref: str, title: str) -> ChecklistItem:
    return next(i for i in _session(ref).checklist if i.title == title)


# ---------------------------------------------------------------------------------------------------- 2010 story


def test_the_2010_roundtables_tell_the_report_story(db_session):
    cycle = db.session.scalar(sa.select(ForumCycle).where(ForumCycle.year == 2010))
    roundtables = services.cycle_roundtables(cycle)
    assert [rt.number for rt in roundtables] == [1, 2, 3]
    assert [str(rt.coordinator_person.name) for rt in roundtables] == [
        "Jorge Durand",
        "Irena Omelaniuk",
        "Rolph Kurt Jenny",
    ]
    assert [s.code for rt in roundtables for s in rt.sessions] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3"]
    governments = set()
    for rt in roundtables:
        governments |= {r.country_id for r in rt.roles if r.kind == RoleKind.CO_CHAIR}
        for s in rt.sessions:
            governments |= {m.country_id for m in s.team if m.country_id}
    assert len(governments) == 41  # Annex 5, L1074-1112
    rt22 = _session("2010-RT2.2")
    assert [str(r.holder) for r in rt22.co_chairs] == ["Mexico"]
    assert {str(m.member.short_name) for m in rt22.team if m.organisation} == {
        "IFAD",
        "UNIFEM",
        "UNICEF",
        "IOM",
        "ILO",
        "WHO",
    }


def test_anyone_sees_a_cycle_roundtables_and_a_session_page(client):
    page = client.get("/cycles/2010/roundtables")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Human mobility and human development" in text
    assert "2010-RT3.3" in text

    page = client.get("/sessions/2010-RT2.1")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sri Lanka; Sweden; United Arab Emirates" in text
    assert "Johan Fick" in text
    assert "Azzouz Samri" in text
    assert "keep migration expenses low" in text
    assert "Preparation checklist" not in text  # internal to those who prepare the session


def test_a_single_co_chair_is_called_chair(client):
    text = client.get("/sessions/2010-RT2.2").get_data(as_text=True)
    assert ">Chair</dt>" in text


@pytest.mark.parametrize("ref", ["2010-RT9.9", "2010-RT2", "nonsense", "1999-RT1.1"])
def test_an_unknown_session_reference_is_not_found(client, ref):
    assert client.get(f"/sessions/{ref}").status_code == 404


# ---------------------------------------------------------------------------------------------------- access


@pytest.mark.parametrize(
    "url",
    [
        "/cycles/2010/roundtables/new",
        "/checklist-template",
        "/checklist-template/new",
        f"/cycles/{YEAR}/board",
        f"/cycles/{YEAR}/board.csv",
        "/sessions/2010-RT1.1/edit",
    ],
)
def test_anonymous_is_sent_to_sign_in_and_a_focal_point_is_refused(client_for, url):
    assert client_for(None).get(url).status_code == 302
    assert client_for(MEXICO).get(url).status_code == 403


def test_the_chair_team_sees_its_own_cycle_board_only(client_for):
    chair = client_for(CHAIR)
    assert chair.get(f"/cycles/{YEAR}/board").status_code == 200
    assert chair.get("/cycles/2010/board").status_code == 403


def test_a_focal_point_cannot_see_the_checklist_of_a_session_its_government_is_not_in(client_for):
    item = _item(f"{YEAR}-RT3.2", "Concept note")  # co-chaired by Bangladesh, team Switzerland
    assert client_for(PHILIPPINES).get(f"/checklist-items/{item.id}").status_code == 403
    assert client_for(None).get(f"/checklist-items/{item.id}").status_code == 302


def test_the_sql_rule_of_taking_part_matches_the_python_one(db_session):
    """sessions_taking_part filters lists (search's unpublished papers); takes_part decides one session: they agree
    for every account and session of the demo, a person holding a role and the Chair team among them."""
    from forum.core.permissions import Principal, principal_of
    from forum.directory.models import User
    from forum.roundtables.models import Roundtable, SessionRole

    sessions = list(
        db_session.scalars(
            sa.select(RoundtableSession).options(
                sa.orm.joinedload(RoundtableSession.roundtable),
                sa.orm.selectinload(RoundtableSession.roles),
                sa.orm.selectinload(RoundtableSession.team),
            )
        )
    )
    principals = [principal_of(user) for user in db_session.scalars(sa.select(User))]
    coordinators = sa.select(Roundtable.coordinator_person_id).where(Roundtable.coordinator_person_id.is_not(None))
    role_holder = db_session.scalar(
        sa.select(SessionRole.person_id).where(
            SessionRole.session_id.is_not(None),
            SessionRole.person_id.is_not(None),
            SessionRole.person_id.not_in(coordinators),
        )
    )
    principals.append(Principal(user_id=-1, person_id=role_holder))
    assert any(p.chair_cycle_ids for p in principals)
    assert any(p.focal_country_ids for p in principals)
    for p in principals:
        matched = set(db_session.scalars(services.sessions_taking_part(p)))
        assert matched == {s.id for s in sessions if services.takes_part(p, s)}, p


# ---------------------------------------------------------------------------------------------------- SU forms


def test_support_unit_adds_a_roundtable_and_a_session_with_its_checklist(client_for):
    su = client_for(SU)
    response = su.post(f"/cycles/{YEAR}/roundtables/new", data={"number": 4, "title": "Diaspora investment"})
    assert response.status_code == 302
    rt = db.session.scalar(sa.select(Roundtable).where(Roundtable.title == "Diaspora investment"))
    assert _audits(rt, AuditVerb.CREATE)
    response = su.post(
        f"/roundtables/{rt.id}/sessions/new",
        data={
            "number": 1,
            "title": "Diaspora bonds",
            "starts_local": (today() + timedelta(days=120)).isoformat() + "T10:00",
            "timezone": "Africa/Accra",
            "room": "Room C",
            "guiding_questions": "Who buys them?\nWho guarantees them?",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sessions/{YEAR}-RT4.1")
    session = _session(f"{YEAR}-RT4.1")
    assert session.room == "Room C"
    assert len(session.checklist) == len(services.template_items())
    concept = next(i for i in session.checklist if i.title == "Concept note")
    assert concept.due_on == today() + timedelta(days=120 - 112)
    page = su.get(f"/sessions/{YEAR}-RT4.1").get_data(as_text=True)
    assert "Who guarantees them?" in page
    assert "Preparation checklist" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": 1, "title": "Twice", "timezone": "Africa/Accra"}, "already has a session with this number"),
        ({"number": 7, "title": "Bad zone", "timezone": "Mars/Olympus"}, "IANA time zone"),
        ({"number": 7, "title": "", "timezone": "Africa/Accra"}, "This field is required"),
        ({"number": 99, "title": "Too far", "timezone": "Africa/Accra"}, "Number must be between"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_is_saved(client_for, data, message):
    rt = db.session.scalar(
        sa.select(Roundtable).join(ForumCycle).where(ForumCycle.year == YEAR, Roundtable.number == 1)
    )
    before = db.session.scalar(sa.select(sa.func.count(RoundtableSession.id)))
    response = client_for(SU).post(f"/roundtables/{rt.id}/sessions/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RoundtableSession.id))) == before


def test_a_fourth_co_chair_is_refused(client_for):
    ref = "2010-RT2.1"  # already three co-chairs
    before = db.session.scalar(sa.select(sa.func.count(SessionRole.id)))
    response = client_for(SU).post(f"/sessions/{ref}/roles", data={"kind": "co_chair", "country_name": "Chile"})
    assert response.status_code == 422
    assert "at most three co-chairs" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(SessionRole.id))) == before


def test_support_unit_adds_a_section_facilitator(client_for):
    ref = f"{YEAR}-RT2.1"
    response = client_for(SU).post(
        f"/sessions/{ref}/roles", data={"kind": "section_facilitator", "country_name": "Ecuador", "note": "Section a"}
    )
    assert response.status_code == 302
    session = _session(ref)
    assert any(r.kind == RoleKind.SECTION_FACILITATOR and r.country.name == "Ecuador" for r in session.roles)


def test_moving_the_session_date_replans_only_open_items_and_says_so(client_for):
    ref = f"{YEAR}-RT1.1"
    session = _session(ref)
    done_before = {i.id: i.due_on for i in session.checklist if i.status != ItemStatus.OPEN}
    open_before = {i.id: i.due_on for i in session.checklist if i.status == ItemStatus.OPEN}
    assert done_before
    assert open_before
    local = session.local_start.replace(tzinfo=None) + timedelta(days=7)
    response = client_for(SU).post(
        f"/sessions/{ref}/edit",
        data={
            "version_id": session.version_id,
            "number": 1,
            "title": session.title,
            "starts_local": local.strftime("%Y-%m-%dT%H:%M"),
            "timezone": session.timezone,
            "room": session.room,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    session = _session(ref)
    for item in session.checklist:
        if item.id in open_before:
            assert item.due_on == open_before[item.id] + timedelta(days=7)
        else:
            assert item.due_on == done_before[item.id]
    note = _audits(session, AuditVerb.UPDATE)[-1].note
    assert "Session date moved" in note
    assert f"{len(open_before)} open checklist items" in note


def test_a_stale_session_form_is_refused(client_for):
    ref = f"{YEAR}-RT1.2"
    session = _session(ref)
    response = client_for(SU).post(
        f"/sessions/{ref}/edit",
        data={"version_id": session.version_id - 1, "number": 2, "title": "Changed", "timezone": "Africa/Accra"},
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert _session(ref).title != "Changed"


# ---------------------------------------------------------------------------------------------------- teams


def test_a_focal_point_signs_its_government_up_and_a_co_chair_accepts(client_for):
    ref = f"{YEAR}-RT3.2"  # Bangladesh chairs; Mexico is not in the team
    mexico = _country("Mexico")
    response = client_for(MEXICO).post(f"/sessions/{ref}/team/sign-up", data={"country_id": mexico.id})
    assert response.status_code == 302
    member = db.session.scalar(
        sa.select(TeamMember).where(TeamMember.session_id == _session(ref).id, TeamMember.country_id == mexico.id)
    )
    assert member.status == TeamStatus.REQUESTED
    assert _audits(member, AuditVerb.CREATE)
    # Mexico's focal point cannot accept its own request: Mexico does not co-chair 3.2
    assert client_for(MEXICO).post(f"/team-members/{member.id}/accept").status_code == 403
    assert client_for(SU).post(f"/team-members/{member.id}/accept").status_code == 302
    db.session.refresh(member)
    assert member.status == TeamStatus.ACCEPTED
    assert _audits(member, AuditVerb.TRANSITION)[-1].changes == {"status": ["requested", "accepted"]}


def test_a_co_chair_focal_point_decides_and_another_cannot(client_for):
    member = next(
        m for m in _session(f"{YEAR}-RT1.1").team if m.country and m.country.name == "Philippines"
    )  # Mexico co-chairs 1.1
    assert member.status == TeamStatus.REQUESTED
    assert client_for(PHILIPPINES).post(f"/team-members/{member.id}/accept").status_code == 403
    assert client_for(MOROCCO).post(f"/team-members/{member.id}/decline").status_code == 403
    db.session.refresh(member)
    assert member.status == TeamStatus.REQUESTED
    response = client_for(MEXICO).post(f"/team-members/{member.id}/decline", data={"comment": "Team is full"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.status == TeamStatus.DECLINED
    mail = db.session.scalars(
        sa.select(MailMessage).where(MailMessage.recipient == PHILIPPINES).order_by(MailMessage.id.desc())
    ).first()
    assert mail.template == "team_decision"
    assert f"{YEAR}-RT1.1 was declined" in mail.subject
    assert "Team is full" in mail.body_text
    assert f"/sessions/{YEAR}-RT1.1" in mail.body_text


def test_the_co_chairs_focal_points_hear_of_a_request(client_for):
    ref = f"{YEAR}-RT1.1"  # co-chaired by Mexico and Ghana; only Mexico has a focal point account
    before = db.session.scalar(sa.select(sa.func.count(MailMessage.id)))
    response = client_for(SWITZERLAND).post(
        f"/sessions/{ref}/team/sign-up", data={"country_id": _country("Switzerland").id}
    )
    assert response.status_code == 302
    mails = db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id.desc()).limit(5)).all()
    assert db.session.scalar(sa.select(sa.func.count(MailMessage.id))) == before + 1
    assert mails[0].recipient == MEXICO
    assert mails[0].subject == f"Switzerland asks to join the team of {ref}"


def test_a_focal_point_cannot_sign_up_another_government(client_for):
    ref = f"{YEAR}-RT3.2"
    before = db.session.scalar(sa.select(sa.func.count(TeamMember.id)))
    philippines = _country("Philippines")
    response = client_for(MEXICO).post(f"/sessions/{ref}/team/sign-up", data={"country_id": philippines.id})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(TeamMember.id))) == before


def test_a_focal_point_cannot_withdraw_another_government(client_for):
    member = next(m for m in _session(f"{YEAR}-RT1.2").team if m.country and m.country.name == "Morocco")
    assert client_for(MEXICO).post(f"/team-members/{member.id}/withdraw").status_code == 403
    db.session.refresh(member)
    assert member.status == TeamStatus.REQUESTED
    assert client_for(MOROCCO).post(f"/team-members/{member.id}/withdraw").status_code == 302
    db.session.refresh(member)
    assert member.status == TeamStatus.WITHDRAWN


def test_nobody_signs_up_or_withdraws_once_the_team_is_closed(client_for):
    ref = f"{YEAR}-RT1.2"
    assert client_for(SU).post(f"/sessions/{ref}/team/closed", data={"closed": "1"}).status_code == 302
    member = next(m for m in _session(ref).team if m.country and m.country.name == "Morocco")
    assert client_for(MOROCCO).post(f"/team-members/{member.id}/withdraw").status_code == 409
    response = client_for(MEXICO).post(f"/sessions/{ref}/team/sign-up", data={"country_id": _country("Mexico").id})
    assert response.status_code == 409
    db.session.refresh(member)
    assert member.status == TeamStatus.REQUESTED


def test_support_unit_adds_an_organisation_and_an_expert_by_name(client_for, db_session):
    """The team and role forms take names (an acronym will do), not a choice among thousands: a name the directory
    does not know, or knows twice, is refused on its field and nothing is written."""
    from forum.directory.models import Person

    ref = f"{YEAR}-RT2.2"
    su = client_for(SU)
    page = su.get(f"/sessions/{ref}").get_data(as_text=True)
    assert 'name="organisation_name"' in page
    assert "<option value=\"0\">—</option>" not in page  # no list of every person and organisation
    team = f"/sessions/{ref}/team"
    assert su.post(team, data={"kind": "civil_society", "organisation_name": "icmc"}).status_code == 302
    assert su.post(team, data={"kind": "expert", "person_name": "Ronald Skeldon"}).status_code == 302
    before = len(_session(ref).team)
    unknown = su.post(team, data={"kind": "expert", "person_name": "Nobody Atall"})
    assert unknown.status_code == 422
    assert "Unknown person: “Nobody Atall”" in unknown.get_data(as_text=True)
    missing = su.post(team, data={"kind": "civil_society"})
    assert missing.status_code == 422
    assert "name or acronym as the directory has it" in missing.get_data(as_text=True)
    twin = Person(name="Ronald Skeldon")
    db.session.add(twin)
    db.session.commit()
    twice = su.post(f"/sessions/{ref}/roles", data={"kind": "session_rapporteur", "person_name": "Ronald Skeldon"})
    assert twice.status_code == 422
    assert "fits more than one entry of the directory" in twice.get_data(as_text=True)
    assert len(_session(ref).team) == before
    kinds = {m.kind.value for m in _session(ref).team}
    assert {"civil_society", "expert", "government"} <= kinds


# ---------------------------------------------------------------------------------------------------- checklist


def test_an_owner_ticks_an_item_done_with_evidence(client_for):
    item = _item(f"{YEAR}-RT1.1", "Background paper: final")  # co-chairs: Mexico and Ghana
    response = client_for(MEXICO).post(
        f"/checklist-items/{item.id}/done",
        data={"version_id": item.version_id, "evidence_url": "https://example.org/paper-final"},
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == ItemStatus.DONE
    assert item.evidence_url == "https://example.org/paper-final"
    assert item.state_on(today()) == CellState.DONE
    assert _audits(item, AuditVerb.TRANSITION)[-1].changes == {"status": ["open", "done"]}


def test_someone_who_does_not_own_the_item_cannot_tick_it(client_for):
    item = _item(f"{YEAR}-RT1.1", "Background paper: final")
    response = client_for(PHILIPPINES).post(
        f"/checklist-items/{item.id}/done", data={"version_id": item.version_id, "evidence_note": "mine"}
    )
    assert response.status_code == 403
    db.session.refresh(item)
    assert item.status == ItemStatus.OPEN


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("done", {}, "a link, a short note or a document"),
        ("done", {"evidence_url": "javascript:alert(1)"}, "A link starts with https://"),
        ("not-applicable", {"reason": "  "}, "Say why"),
    ],
)
def test_bad_checklist_input_is_refused_and_nothing_changes(client_for, action, data, message):
    item = _item(f"{YEAR}-RT2.1", "Background paper: final")
    response = client_for(SU).post(f"/checklist-items/{item.id}/{action}", data={"version_id": item.version_id, **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == ItemStatus.OPEN
    assert item.evidence_url == ""


def test_a_stale_checklist_form_is_refused(client_for):
    item = _item(f"{YEAR}-RT2.1", "Comments from the team")
    response = client_for(SU).post(
        f"/checklist-items/{item.id}/done", data={"version_id": item.version_id + 5, "evidence_note": "late"}
    )
    assert response.status_code == 409
    db.session.refresh(item)
    assert item.status == ItemStatus.OPEN


def test_not_applicable_with_a_reason_then_reopened(client_for):
    item = _item(f"{YEAR}-RT2.1", "Translation into French and Spanish")
    su = client_for(SU)
    su.post(f"/checklist-items/{item.id}/not-applicable", data={"version_id": item.version_id, "reason": "English"})
    db.session.refresh(item)
    assert item.status == ItemStatus.NOT_APPLICABLE
    assert item.na_reason == "English"
    su.post(f"/checklist-items/{item.id}/reopen", data={"version_id": item.version_id})
    db.session.refresh(item)
    assert item.status == ItemStatus.OPEN
    assert item.na_reason == ""


def test_a_new_template_step_reaches_the_sessions_to_come_only(client_for):
    response = client_for(SU).post(
        "/checklist-template/new",
        data={
            "title": "Logistics note",
            "owner_role": "support_unit",
            "due_offset_days": -7,
            "position": 85,
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    assert any(i.title == "Logistics note" for i in _session(f"{YEAR}-RT1.1").checklist)
    assert not any(i.title == "Logistics note" for i in _session("2010-RT1.1").checklist)
    bad = client_for(SU).post(
        "/checklist-template/new", data={"title": "Logistics note", "owner_role": "support_unit", "due_offset_days": 1}
    )
    assert bad.status_code == 422


# ---------------------------------------------------------------------------------------------------- the board


def test_the_board_shows_every_state_of_the_demo_cycle(client_for):
    text = client_for(SU).get(f"/cycles/{YEAR}/board").get_data(as_text=True)
    for state in ("done", "due_soon", "overdue", "not_started", "not_applicable"):
        assert f'data-state="{state}"' in text
    assert f"{YEAR}-RT3.2" in text


def test_the_board_filters_by_state_owner_and_roundtable(client_for):
    su = client_for(SU)
    overdue = su.get(f"/cycles/{YEAR}/board?state=overdue").get_data(as_text=True)
    assert 'data-state="overdue"' in overdue
    assert 'data-state="done"' not in overdue
    assert f"{YEAR}-RT2.2" in overdue
    assert f"{YEAR}-RT1.1" not in overdue
    rt3 = su.get(f"/cycles/{YEAR}/board?roundtable=3").get_data(as_text=True)
    assert f"{YEAR}-RT3.1" in rt3
    assert f"{YEAR}-RT1.1" not in rt3
    owner = services.board(
        SYSTEM, services.roundtable_or_404(_session(f"{YEAR}-RT1.1").roundtable_id).cycle, owner=OwnerRole.COORDINATOR
    )
    assert [c.title for c in owner.columns] == ["Rapporteur and note-takers named"]
    assert su.get(f"/cycles/{YEAR}/board?state=bogus&sort=bogus").status_code == 200


def test_marking_an_item_done_changes_the_board(client_for):
    su = client_for(SU)
    item = _item(f"{YEAR}-RT2.2", "Concept note")
    assert item.state_on(today()) == CellState.OVERDUE
    su.post(
        f"/checklist-items/{item.id}/done",
        data={"version_id": item.version_id, "evidence_note": "Sent", "back": "board"},
    )
    text = su.get(f"/cycles/{YEAR}/board?state=overdue").get_data(as_text=True)
    assert "No session matches." in text


def test_the_board_summary_per_session(db_session):
    cycle = db.session.scalar(sa.select(ForumCycle).where(ForumCycle.year == YEAR))
    rows = {r.session.code: r for r in services.board(SYSTEM, cycle).rows}
    assert rows["2.2"].overdue == 1
    assert rows["1.1"].percent_done == round(100 * 3 / 9)
    assert rows["1.2"].next_deadline == _item(f"{YEAR}-RT1.2", "Session team formed").due_on


def test_the_exports_carry_the_board_and_guard_formulas(client_for):
    item = _item(f"{YEAR}-RT3.1", "Comments from the team")
    services.mark_done(SYSTEM, item, version_id=item.version_id, evidence_note='=HYPERLINK("http://evil")')
    su = client_for(SU)
    response = su.get(f"/cycles/{YEAR}/board.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["Session", "Session title", "Session date", "Item"]
    guarded = [r for r in rows if r[0] == f"{YEAR}-RT3.1" and r[3] == "Comments from the team"][0]
    assert guarded[10].startswith("'=")
    assert guarded[7] == "Done"
    response = su.get(f"/cycles/{YEAR}/board.xlsx?state=done")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert all(v[7] == "Done" for v in values[1:])
    assert any(v[10] == '\'=HYPERLINK("http://evil")' for v in values[1:])
    assert su.get(f"/cycles/{YEAR}/board.pdf").status_code == 404


# ---------------------------------------------------------------------------------------------------- query budgets


def _grow(cycle: ForumCycle, roundtables: int = 9, sessions: int = 20, items: int = 20) -> None:
    """180 sessions × 20 checklist items, as in the performance benchmark."""
    start = today() + timedelta(days=30)
    for rt_number in range(1, roundtables + 1):
        rt = Roundtable(cycle_id=cycle.id, number=rt_number, title=f"Scale roundtable {rt_number}")
        db.session.add(rt)
        for number in range(1, sessions + 1):
            session = RoundtableSession(
                roundtable=rt, number=number, title=f"Scale {rt_number}.{number}", timezone="UTC"
            )
            db.session.add(session)
            db.session.add(
                SessionRole(roundtable=rt, session=session, kind=RoleKind.CO_CHAIR, country_id=_country("Kenya").id)
            )
            for k in range(items):
                db.session.add(
                    ChecklistItem(
                        session=session,
                        title=f"Step {k}",
                        owner_role=OwnerRole.SUPPORT_UNIT,
                        due_offset_days=-k,
                        due_on=start - timedelta(days=k * 3),
                        position=k,
                    )
                )
    db.session.flush()


def test_the_board_and_pages_stay_within_the_query_budget(client_for, count_queries):
    su = client_for(SU)
    for url in (
        f"/cycles/{YEAR}/board",
        f"/cycles/{YEAR}/board.csv",
        f"/cycles/{YEAR}/roundtables",
        f"/sessions/{YEAR}-RT1.1",
        "/cycles/2010/roundtables",
    ):
        with count_queries() as counter:
            assert su.get(url).status_code == 200
        assert len(counter) <= 15, (url, len(counter))


def test_the_board_at_benchmark_scale_stays_within_the_query_budget(client_for, count_queries):
    cycle = db.session.scalar(sa.select(ForumCycle).where(ForumCycle.year == 2011))
    _grow(cycle)
    su = client_for(SU)
    with count_queries() as counter:
        response = su.get("/cycles/2011/board")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<tr>") >= 180
    assert len(counter) <= 15, len(counter)
    with count_queries() as counter:
        assert su.get("/cycles/2011/roundtables").status_code == 200
    assert len(counter) <= 15, len(counter)


# ---------------------------------------------------------------------------------------------------- evidence

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_an_owner_attaches_a_document_that_is_kept_and_served_with_its_name(client_for):
    item = _item(f"{YEAR}-RT1.1", "Comments from the team")  # Mexico co-chairs 1.1, so it is in the team
    response = client_for(MEXICO).post(
        f"/checklist-items/{item.id}/done",
        data={"version_id": item.version_id, "evidence_file": (io.BytesIO(PDF), "Team comments.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == ItemStatus.DONE
    assert item.evidence_file_name == "Team_comments.pdf"
    assert item.evidence_file_key not in item.evidence_file_name
    download = client_for(MEXICO).get(f"/checklist-items/{item.id}/evidence")
    body, status, disposition = download.data, download.status_code, download.headers["Content-Disposition"]
    download.close()
    assert status == 200
    assert body == PDF
    assert "Team_comments.pdf" in disposition
    assert client_for(PHILIPPINES).get(f"/checklist-items/{item.id}/evidence").status_code == 403


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "paper.pdf", "content is not what its name says"),
        (PDF, "paper.exe", "Upload a file of one of these types"),
        (PDF + b"x" * 2000, "big.pdf", "larger than 0.001 MB"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_saved(app, client_for, monkeypatch, content, name, message):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 0.001)  # about 1 KB, so the test sends little
    item = _item(f"{YEAR}-RT2.1", "Comments from the team")
    response = client_for(SU).post(
        f"/checklist-items/{item.id}/done",
        data={"version_id": item.version_id, "evidence_file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == ItemStatus.OPEN
    assert item.evidence_file_key == ""


# ---------------------------------------------------------------------------------------------------- demo data


def test_loading_the_demo_roundtables_twice_adds_nothing(db_session):
    from forum.roundtables.demo import load_roundtables

    models = (Roundtable, RoundtableSession, SessionRole, TeamMember, ChecklistItem)
    before = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models]
    load_roundtables()
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models] == before


def test_the_navigation_leads_to_the_current_cycle_roundtables(client):
    response = client.get("/roundtables")
    assert response.status_code == 302
    assert (
        response.headers["Location"].endswith(f"/cycles/{YEAR}/roundtables")
        or "/roundtables" in response.headers["Location"]
    )


# ------------------------------------------------------------------------------------------- reader's language


def _papers_section(client, ref: str, lang: str) -> str:
    client.set_cookie("lang", lang)
    page = client.get(f"/sessions/{ref}").get_data(as_text=True)
    return page[page.index('id="papers-h"'):page.index("</section>", page.index('id="papers-h"'))]


def _listed(section: str) -> list[str]:
    """The titles listed as entries (each paper once), not the links to its other languages."""
    return re.findall(r'dir="auto">([^<]+)</a>', section)


def test_a_paper_is_listed_in_the_readers_language_when_a_translation_is_published(client, db_session):
    from forum.papers.models import DocumentState, SessionDocument

    original = "Migration profiles that governments keep up to date: concept note (demonstration)"
    french = "Des profils migratoires tenus à jour : note conceptuelle (démonstration)"
    translation = db_session.scalar(sa.select(SessionDocument).where(SessionDocument.title == french))
    ref = translation.session.reference
    # the French translation is still a draft: a French reader gets the original, and is told so
    section = _papers_section(client, ref, "fr")
    assert original in section
    assert french not in section
    assert "paper-original-note" in section
    translation.state = DocumentState.PUBLISHED
    db_session.flush()
    section = _papers_section(client, ref, "fr")
    assert _listed(section) == [french]  # the original is now one of its other languages, not an entry of its own
    assert "paper-original-note" not in section
    section = _papers_section(client, ref, "en")
    assert _listed(section) == [original]
    assert 'lang="fr"' in section  # with a link to the French version
    assert "paper-original-note" not in section
    assert "paper-original-note" in _papers_section(client, ref, "es")  # no Spanish version: the original, noted
