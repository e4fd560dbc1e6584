"""Importing a cycle's team matrix: co-chairs through add_role and team members through add_team_member, as the
session page's forms; the services' own rules (three co-chairs at most, governments only, no one twice) apply."""

from __future__ import annotations

import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.extensions import db
from forum.roundtables.models import RoleKind, SessionRole, TeamMember, TeamMemberKind, TeamStatus
from forum.roundtables.services import session_by_reference
from tests.imports.helpers import MEXICO, SU, audit_count, confirmation, count, csv_text, upload

URL = "/cycles/2010/team-matrix/import"
HEADER = "session,country,organisation,role,note,source"
VALID = csv_text(
    HEADER,
    "2010-RT1.1,Iceland,,team_member,,Import test",
    "RT1.2,,ICMPD,team_member,,",
    "2010-RT2.2,Bhutan,,co_chair,Section (b),",
    "2010-rt3.2,,Migration Policy Institute,Team member,,",
)


def _rows() -> tuple[int, int]:
    return count(SessionRole), count(TeamMember)


def test_the_support_unit_previews_then_writes_exactly_the_rows(client_for):
    client = client_for(SU)
    before, audits = _rows(), audit_count()
    preview = upload(client, URL, VALID)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "2010-RT2.2: Co-chair — Bhutan" in page
    assert "2010-RT1.2: Team member — International Centre for Migration Policy Development (ICMPD)" in page
    assert _rows() == before

    done = client.post(f"{URL}/confirm", data=confirmation(page))
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/cycles/2010/roundtables")
    assert _rows() == (before[0] + 1, before[1] + 3)
    rt22 = session_by_reference("2010-RT2.2")
    assert sorted(c.country.name for c in rt22.co_chairs) == ["Bhutan", "Mexico"]
    assert next(r.note for r in rt22.co_chairs if r.country.name == "Bhutan") == "Section (b)"
    iceland = next(m for m in session_by_reference("2010-RT1.1").team if m.country and m.country.iso2 == "IS")
    assert (iceland.kind, iceland.status, iceland.source) == (
        TeamMemberKind.GOVERNMENT,
        TeamStatus.ACCEPTED,
        "Import test",
    )
    mpi = next(m for m in session_by_reference("2010-RT3.2").team if m.organisation and m.organisation.acronym == "MPI")
    assert mpi.kind == TeamMemberKind.INTERNATIONAL_ORGANISATION
    assert audit_count() == audits + 5  # four rows through their services, and the import
    kinds = db.session.scalars(sa.select(AuditEntry.object_type).order_by(AuditEntry.id.desc()).limit(5)).all()
    assert sorted(kinds) == ["ForumCycle", "SessionRole", "TeamMember", "TeamMember", "TeamMember"]
    assert "co-chairs and team members imported" in client.get("/cycles/2010/roundtables").get_data(as_text=True)


def test_a_file_with_bad_lines_writes_nothing_and_names_each_line_and_problem(client_for):
    before, audits = _rows(), audit_count()
    bad = csv_text(
        HEADER,
        "2010-RT1.2,Iceland,,team_member,,",  # 2: fine
        "2010-RT9.9,Iceland,,team_member,,",  # 3: no such session
        "2009-RT1.1,Iceland,,team_member,,",  # 4: another cycle
        "2010-RT1.1,Atlantis,,team_member,,",  # 5: unknown country
        "2010-RT1.1,Iceland,,chairman,,",  # 6: unknown role
        "2010-RT1.1,Mexico,,team_member,,",  # 7: Mexico is in that team already
        "2010-RT2.1,Iceland,,co_chair,,",  # 8: RT2.1 has three co-chairs
        "2010-RT1.1,,IOM,co_chair,,",  # 9: co-chairs are governments
        "2010-RT1.2,Iceland,,team_member,,",  # 10: the same as line 2
        "2010-RT1.1,Iceland,IOM,team_member,,",  # 11: two parties
        "2010-RT1.1,,,team_member,,",  # 12: nobody
    )
    response = upload(client_for(SU), URL, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "10 lines of 11 have problems." in page
    for line, message in [
        (3, "The 2010 cycle has no session 2010-RT9.9."),
        (4, "2009-RT1.1 is not a session of the 2010 cycle."),
        (5, "Unknown country: “Atlantis”"),
        (6, "Unknown role: “chairman”. Use one of: co_chair, team_member."),
        (7, "Already in this team"),
        (8, "A session has at most three co-chairs."),
        (9, "Co-chairs are governments."),
        (10, "The same as line 2 of this file."),
        (11, "Give a government or an organisation on one line, not both."),
        (12, "Give the government"),
    ]:
        item = page[page.index(f'href="#line-{line}">') :].split("</li>")[0]
        assert message in item, (line, item)
    assert _rows() == before
    assert audit_count() == audits


def test_a_focal_point_or_anonymous_user_cannot_import(client_for):
    before = _rows()
    assert client_for(MEXICO).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
    assert upload(client_for(MEXICO), URL, VALID).status_code == 403
    assert upload(client_for(None), URL, VALID).status_code == 302
    fields = confirmation(upload(client_for(SU), URL, VALID).get_data(as_text=True))
    assert client_for(MEXICO).post(f"{URL}/confirm", data=fields).status_code == 403
    assert _rows() == before


def test_the_roundtables_page_links_to_the_import_for_the_support_unit_only(client_for):
    assert URL in client_for(SU).get("/cycles/2010/roundtables").get_data(as_text=True)
    assert URL not in client_for(MEXICO).get("/cycles/2010/roundtables").get_data(as_text=True)


def test_the_template_names_a_session_of_the_cycle(client_for):
    response = client_for(SU).get(f"{URL}/template.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert lines[1].startswith("2010-RT1.1,Philippines,,co_chair")
    assert RoleKind.CO_CHAIR.value in lines[1]
