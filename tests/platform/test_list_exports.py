"""The exports of the PfP catalogue, a meeting's attendance and a cycle's team matrix: the rows of the page, with
its filters, as CSV and as XLSX that openpyxl reads, formula-guarded, and nothing the page would not show."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from forum.extensions import db
from forum.meetings.models import Meeting
from forum.partnerships.models import PartnershipProject

DRAFT_PROJECT = "Recruitment cost calculator for migrant workers"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _xlsx(response) -> list[list[object]]:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_catalogue_export_holds_the_filtered_projects_of_the_page(client):
    page = client.get("/partnerships", query_string={"theme": "T9"}).get_data(as_text=True)
    shown = int(re.search(r"(\d+) projects?", page).group(1))
    rows = _csv(client.get("/partnerships.csv", query_string={"theme": "T9"}))
    assert rows[0][:3] == ["id", "title", "lead government"]
    assert len(rows) - 1 == shown
    assert all("T9" in row[4].split("; ") for row in rows[1:])
    assert "Developing Migration Profiles" in {row[1] for row in rows[1:]}
    everything = _xlsx(client.get("/partnerships.xlsx"))
    titles = {row[1] for row in everything[1:]}
    assert {row[1] for row in rows[1:]} <= titles
    assert DRAFT_PROJECT not in titles  # a draft is private to its proposers, in the export as on the page
    assert client.get("/partnerships.pdf").status_code == 404


def test_the_catalogue_export_guards_formulas(client, db_session):
    title = PartnershipProject.title
    project = db_session.scalar(sa.select(PartnershipProject).where(title == "Developing Migration Profiles"))
    project.offers = '=HYPERLINK("http://evil.example")'
    db_session.flush()
    row = next(r for r in _csv(client.get("/partnerships.csv"))[1:] if r[1] == "Developing Migration Profiles")
    assert row[13].startswith("'=")


def test_the_attendance_export_shows_replies_only_to_those_signed_in(client, client_for):
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Steering Group, first meeting of 2026"))
    public = _csv(client.get(f"/meetings/{meeting.id}/attendance.csv"))
    assert public[0] == ["invitee", "kind", "guest", "attended", "interventions"]
    assert len(public) - 1 == len(meeting.invitations)
    assert sum(row[3] == "True" for row in public[1:]) == sum(bool(i.attended) for i in meeting.invitations)
    signed_in = _xlsx(client_for("focal.mexico@example.org").get(f"/meetings/{meeting.id}/attendance.xlsx"))
    assert signed_in[0] == ["invitee", "kind", "guest", "reply", "represented by", "attended", "interventions"]
    assert sorted(str(row[0]) for row in signed_in[1:]) == sorted(row[0] for row in public[1:])


def test_an_internal_meeting_exports_to_no_one_who_may_not_see_it(client, db_session):
    meeting = db_session.scalar(sa.select(Meeting).where(Meeting.title == "Steering Group, first meeting of 2026"))
    meeting.is_public = False
    db_session.flush()
    assert client.get(f"/meetings/{meeting.id}").status_code in (403, 404)
    assert client.get(f"/meetings/{meeting.id}/attendance.csv").status_code in (403, 404)


def test_the_team_matrix_export_lists_co_chairs_roles_and_accepted_team_members(client):
    rows = _csv(client.get("/cycles/2010/roundtables.csv"))
    assert rows[0] == ["session", "session title", "roundtable", "party", "party kind", "role", "note"]
    co_chairs = {r[3] for r in rows[1:] if r[5] == "co_chair" and r[0] == "2010-RT2.1"}
    assert co_chairs == {"Sri Lanka", "Sweden", "United Arab Emirates"}  # L437
    team = [r for r in rows[1:] if r[5] == "team_member" and r[0] == "2010-RT2.1"]
    assert len(team) == 14 + 4  # governments and organisations in the RT 2.1 team (Annex 5)
    assert all(r[4] == "government" for r in rows[1:] if r[5] == "co_chair")
    assert any(r[5] == "team_member" for r in rows[1:])
    assert _xlsx(client.get("/cycles/2010/roundtables.xlsx"))[1:] == [
        [value if value != "" else None for value in row] for row in rows[1:]
    ]
