"""The JSON API's reads and its OpenAPI document: public data without a token; with one, what the web pages show
its owner, never more."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.api.models import ApiToken
from forum.api.services import revoke_token
from forum.extensions import db
from forum.meetings.models import AgendaStatus, Meeting, MinutesStatus
from forum.partnerships.models import PartnershipProject, ProjectState
from forum.structure.models import Body, BodyKind
from tests.api.conftest import (
    DECIDED,
    DRAFT,
    MEXICO,
    MEXICO_ACTION,
    MOROCCO,
    PHILIPPINES,
    PUBLISHED,
    SU,
    action,
    project,
)


def _steering_group_id() -> int:
    return db.session.scalar(sa.select(Body.id).where(Body.kind == BodyKind.STEERING_GROUP))


def test_the_cycles_and_a_cycle_with_its_troika(client):
    years = [c["year"] for c in client.get("/api/v1/cycles").json["items"]]
    assert years[:4] == [2007, 2008, 2009, 2010]
    cycle = client.get("/api/v1/cycles/2010").json
    assert cycle["chair"] == "Mexico"
    assert cycle["troika"] == {"previous": "Greece", "current": "Mexico", "next": "Switzerland"}


def test_the_members_of_a_body_on_a_date(client):
    answer = client.get(f"/api/v1/bodies/{_steering_group_id()}/members?on=2010-11-09").json
    assert answer["on"] == "2010-11-09"
    assert len(answer["items"]) == 35


def test_a_body_history_comes_a_page_at_a_time(client):
    answer = client.get(f"/api/v1/bodies/{_steering_group_id()}/memberships?page=1").json
    assert answer["page"] == 1
    assert answer["total"] >= 35
    assert len(answer["items"]) <= answer["per_page"]


def test_the_roles_of_a_government(client):
    answer = client.get("/api/v1/countries/ma/roles").json
    assert answer["country"]["name"] == "Morocco"
    statuses = {(r["body"], r["status"]) for r in answer["items"]}
    assert any(status == "withdrawn" for _body, status in statuses)


def test_people_are_never_given_with_an_e_mail_address(client):
    text = client.get("/api/v1/countries/mx/roles").get_data(as_text=True)
    assert "@example.org" not in text


def test_errors_are_json_objects(client):
    missing = client.get("/api/v1/cycles/1999")
    assert missing.status_code == 404
    assert missing.json["status"] == 404
    assert "1999" in missing.json["message"]
    bad_date = client.get(f"/api/v1/bodies/{_steering_group_id()}/members?on=9-11-2010")
    assert bad_date.status_code == 400
    assert "YYYY-MM-DD" in bad_date.json["message"]
    bad_page = client.get("/api/v1/organisations?page=zero")
    assert bad_page.status_code == 400
    assert client.get("/api/v1/no-such-thing").json["status"] == 404


def test_the_openapi_document_describes_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    described = set(spec["paths"])
    routes = {
        rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi", "api.docs")
    }
    assert routes == described
    assert "CycleSchema" in spec["components"]["schemas"]
    page = client.get("/api/v1/")
    assert page.status_code == 200
    assert b"/api/v1/cycles/{year}" in page.data


def test_the_api_lists_keep_their_query_budget(client, count_queries):
    for path in (
        "/api/v1/cycles",
        f"/api/v1/bodies/{_steering_group_id()}/members",
        "/api/v1/countries/ma/roles",
        "/api/v1/organisations",
    ):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        assert len(counter) <= 15, path


# ------------------------------------------------------------------------------------- roundtables and papers


def test_a_cycle_s_roundtables_and_sessions_with_their_co_chairs(client):
    answer = client.get("/api/v1/cycles/2010/sessions").json
    assert answer["cycle"] == 2010
    assert [rt["reference"] for rt in answer["items"]] == ["2010-RT1", "2010-RT2", "2010-RT3"]
    sessions = {s["reference"]: s for rt in answer["items"] for s in rt["sessions"]}
    assert len(sessions) == 7
    rt21 = sessions["2010-RT2.1"]
    assert rt21["code"] == "2.1"
    assert [c["holder"]["name"] for c in rt21["co_chairs"]] == ["Sri Lanka", "Sweden", "United Arab Emirates"]
    assert rt21["url"].endswith("/api/v1/sessions/2010-RT2.1")
    assert client.get("/api/v1/cycles/1999/sessions").status_code == 404


def test_a_session_with_its_team_published_papers_and_outcomes(client):
    session = client.get("/api/v1/sessions/2010-RT2.1").json
    assert session["title"] == "Reducing the costs of migration and maximizing human development"
    assert session["roundtable"]["number"] == 2
    assert {c["holder"]["iso2"] for c in session["co_chairs"]} == {"LK", "SE", "AE"}
    assert "MX" in {m["member"]["iso2"] for m in session["team"]}
    assert {m["status"] for m in session["team"]} == {"accepted"}
    assert "2010-RT2.1-1" in {o["reference"] for o in session["outcomes"]}
    [paper] = client.get("/api/v1/sessions/2010-RT2.2").json["documents"]
    assert (paper["kind"], paper["state"]) == ("background_paper", "published")
    assert paper["file_url"] is None  # the 2010 paper is kept as text only
    assert client.get("/api/v1/sessions/2010-RT9.9").status_code == 404


def test_a_paper_in_team_review_is_only_for_those_who_prepare_the_session(client, bearer):
    url = "/api/v1/sessions/2026-RT1.1"
    public = client.get(url).json
    assert public["documents"] == []
    philippines = client.get(url, headers=bearer(PHILIPPINES)).json  # asked to join the team, not in it yet
    assert philippines["documents"] == []
    mexico = client.get(url, headers=bearer(MEXICO)).json  # a co-chair
    [paper] = mexico["documents"]
    assert paper["state"] == "in_team_review"
    assert "/papers/versions/" in paper["file_url"]  # its latest version is a PDF, served by the web download

    assert client.get(f"/api/v1/documents/{paper['id']}").status_code == 404
    assert client.get(f"/api/v1/documents/{paper['id']}", headers=bearer(PHILIPPINES)).status_code == 404
    detail = client.get(f"/api/v1/documents/{paper['id']}", headers=bearer(MEXICO)).json
    assert detail["session"] == "2026-RT1.1"
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][1]["file_url"] == paper["file_url"]


def test_a_pending_request_to_join_is_shown_to_its_government_and_the_preparers_only(client, bearer):
    url = "/api/v1/sessions/2026-RT1.1"

    def philippines_in_team(headers=None):
        return {m["status"] for m in client.get(url, headers=headers).json["team"] if m["member"]["iso2"] == "PH"}

    assert philippines_in_team() == set()
    assert philippines_in_team(bearer(MOROCCO)) == {"requested"}  # Morocco is in the team: it prepares the session
    assert philippines_in_team(bearer(PHILIPPINES)) == {"requested"}
    assert philippines_in_team(bearer("focal.switzerland@example.org")) == set()


def test_a_published_paper_and_its_text(client):
    session = client.get("/api/v1/sessions/2010-RT1.1").json
    [paper] = session["documents"]
    detail = client.get(paper["url"]).json
    assert detail["state"] == "published"
    assert detail["author"] == {"kind": "government", "name": "Mexico", "iso2": "MX"}
    assert detail["text"]


# ------------------------------------------------------------------------------------- outcomes and follow-up


def test_a_cycle_s_outcomes_with_their_follow_up(client):
    answer = client.get("/api/v1/cycles/2010/outcomes").json
    assert answer["total"] == 45
    assert answer["items"][0]["reference"] == "2010-RT1.1-1"
    by_reference = {o["reference"]: o for o in answer["items"]}
    [workshop] = by_reference["2010-RT2.1-1"]["actions"]
    assert (workshop["status"], workshop["progress"], workshop["owner"]["iso2"]) == ("done", 100, "AE")
    assert workshop["co_owners"] == [{"kind": "government", "name": "Switzerland", "iso2": "CH"}]
    second = client.get("/api/v1/cycles/2010/outcomes?page=2").json
    assert second["page"] == 1
    assert second["pages"] == 1


def test_the_outcomes_filtered_by_session_roundtable_kind_and_status(client):
    base = "/api/v1/cycles/2010/outcomes"
    session = client.get(f"{base}?session=2010-RT2.1").json["items"]
    assert {o["session"] for o in session} == {"2010-RT2.1"}
    assert len(session) == 8
    assert {o["session"][:8] for o in client.get(f"{base}?roundtable=3").json["items"]} == {"2010-RT3"}
    assert {o["kind"] for o in client.get(f"{base}?kind=research").json["items"]} == {"research"}
    stalled = client.get("/api/v1/cycles/2026/outcomes?status=stalled").json["items"]
    assert [o["reference"] for o in stalled] == ["2010-RT2.1-2"]
    assert [a["status"] for a in stalled[0]["actions"]] == ["stalled"]
    for bad in ("status=finished", "session=RT2.1", "roundtable=0", "kind=wish", "page=0"):
        answer = client.get(f"{base}?{bad}")
        assert answer.status_code == 400, bad
        assert answer.json["status"] == 400


def test_an_outcome_with_its_addressees_and_actions_in_every_cycle(client):
    outcome = client.get("/api/v1/outcomes/2010-RT2.1-3").json
    assert outcome["title"] == "Low-cost loans for migrants"
    assert outcome["text"]
    assert outcome["addressees"]
    assert {a["cycle"]: a["status"] for a in outcome["actions"]} == {
        2010: "carried_over",
        2011: "not_started",
        2026: "in_progress",
    }
    assert client.get("/api/v1/outcomes/2010-RT2.1-99").status_code == 404


def test_an_action_with_its_reports_newest_first(client):
    found = action(MEXICO_ACTION)
    answer = client.get(f"/api/v1/actions/{found.id}").json
    assert (answer["status"], answer["progress"]) == ("in_progress", 55)
    assert [u["progress"] for u in answer["updates"]] == [55, 30]
    assert answer["outcome"]["reference"] == found.outcome.reference


def test_the_public_never_sees_an_unpublished_outcome(client, bearer, unpublished_outcome):
    reference = unpublished_outcome.reference
    assert reference == "2010-RT2.1-9"
    listed = {o["reference"] for o in client.get("/api/v1/cycles/2010/outcomes").json["items"]}
    assert reference not in listed
    draft_action = unpublished_outcome.actions[0]
    assert client.get(f"/api/v1/actions/{draft_action.id}").status_code == 404
    for headers in ({}, bearer(MEXICO)):  # not even to the government that owns its action
        assert client.get(f"/api/v1/outcomes/{reference}", headers=headers).status_code == 404
        session = client.get("/api/v1/sessions/2010-RT2.1", headers=headers).json
        assert reference not in {o["reference"] for o in session["outcomes"]}
    # its owner sees its own action, as on the action's page, to prepare the follow-up
    assert client.get(f"/api/v1/actions/{draft_action.id}", headers=bearer(MEXICO)).status_code == 200
    # the Support Unit, who records it, sees it
    support = bearer(SU)
    assert client.get(f"/api/v1/outcomes/{reference}", headers=support).json["published_at"] is None
    listed = {o["reference"] for o in client.get("/api/v1/cycles/2010/outcomes", headers=support).json["items"]}
    assert reference in listed


# ------------------------------------------------------------------------------------- partnerships


def test_the_pfp_catalogue_holds_accepted_published_projects_only(client):
    answer = client.get("/api/v1/partnerships").json
    published = db.session.scalars(
        sa.select(PartnershipProject.title).where(
            PartnershipProject.state == ProjectState.ACCEPTED, PartnershipProject.published_at.is_not(None)
        )
    ).all()
    assert answer["total"] == len(published) == 4
    assert {p["title"] for p in answer["items"]} == set(published)
    assert {p["state"] for p in answer["items"]} == {"accepted"}


def test_the_pfp_catalogue_filters(client):
    def titles(query: str) -> set[str]:
        return {p["title"] for p in client.get(f"/api/v1/partnerships?{query}").json["items"]}

    assert titles("country=mx") == {
        "Handbook on Engaging Diasporas in Development Activities in both Host and Home Countries",
        "Protecting Unaccompanied Migrant Children",
        "Developing Migration Profiles",
    }
    assert {t[:30] for t in titles("stage=completion")} == {"Handbook on Engaging Diasporas"}
    assert titles("theme=T11") == {"Protecting Unaccompanied Migrant Children"}
    assert titles("country=zz") == set()
    for bad in ("stage=finished", "theme=T99", "country=mexico", "need=money"):
        assert client.get(f"/api/v1/partnerships?{bad}").status_code == 400, bad


def test_a_focal_point_s_token_opens_its_own_government_s_projects_only(client, bearer):
    draft = project(DRAFT)
    url = f"/api/v1/partnerships/{draft.id}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(MOROCCO)).status_code == 404  # another government's draft
    assert client.get(url, headers=bearer(PHILIPPINES)).json["state"] == "draft"  # its lead
    assert client.get(url, headers=bearer(MEXICO)).json["state"] == "draft"  # asked to co-propose it
    ours = client.get("/api/v1/partnerships/ours", headers=bearer(MOROCCO)).json["items"]
    assert DRAFT not in {p["title"] for p in ours}
    assert client.get("/api/v1/partnerships/ours").status_code == 401


def test_a_decision_is_not_told_to_the_proposers_before_it_is_published(client, bearer):
    decided = project(DECIDED)
    url = f"/api/v1/partnerships/{decided.id}"
    assert client.get(url).status_code == 404
    proposers = client.get(url, headers=bearer(PHILIPPINES)).json
    assert (proposers["state"], proposers["decision"], proposers["reviewing_body"]) == ("under_review", None, None)
    ours = {
        p["title"]: p["state"]
        for p in client.get("/api/v1/partnerships/ours", headers=bearer(PHILIPPINES)).json["items"]
    }
    assert ours[DECIDED] == "under_review"
    assert ours[DRAFT] == "draft"
    # Mexico sits on the working group that decided: it sees the decision, as on the project's page
    body = client.get(url, headers=bearer(MEXICO)).json
    assert (body["state"], body["decision"]["outcome"]) == ("decided", "accepted")
    assert client.get(url, headers=bearer(MOROCCO)).status_code == 404


def test_a_published_project_with_its_decision_and_reports(client, bearer):
    published = project(PUBLISHED)
    url = f"/api/v1/partnerships/{published.id}"
    public = client.get(url).json
    assert public["decision"]["outcome"] == "accepted"
    assert public["reviewing_body"]
    assert public["contact_email"] is None  # as on the page: the address only to those signed in
    assert client.get(url, headers=bearer(PHILIPPINES)).json["contact_email"] == published.contact_email
    assert [r["period_end"] for r in public["reports"]] == [r.period_end.isoformat() for r in published.reports]


# ------------------------------------------------------------------------------------- meetings


def _internal_meeting() -> Meeting:
    return db.session.scalars(sa.select(Meeting).where(Meeting.is_public.is_(False))).one()


def test_the_public_meetings_and_a_member_s_internal_one(client, bearer):
    internal = _internal_meeting()

    def listed(headers=None) -> set[int]:
        first = client.get("/api/v1/meetings?per_page=100", headers=headers).json
        ids = {m["id"] for m in first["items"]}
        for page in range(2, first["pages"] + 1):
            ids |= {m["id"] for m in client.get(f"/api/v1/meetings?page={page}", headers=headers).json["items"]}
        return ids

    assert internal.id not in listed()
    assert internal.id in listed(bearer(MEXICO))  # Mexico sits on the working group
    assert client.get(f"/api/v1/meetings/{internal.id}").status_code == 404
    assert client.get(f"/api/v1/meetings/{internal.id}", headers=bearer(PHILIPPINES)).status_code == 404
    assert client.get(f"/api/v1/meetings/{internal.id}", headers=bearer(MEXICO)).json["is_public"] is False
    assert {m["cycle"] for m in client.get("/api/v1/meetings?year=2010").json["items"]} == {2010}
    assert client.get("/api/v1/meetings?year=1999").status_code == 404


def test_a_meeting_as_its_page_shows_it(client, bearer):
    held = db.session.scalars(sa.select(Meeting).where(Meeting.minutes_status == MinutesStatus.FINAL)).first()
    public = client.get(f"/api/v1/meetings/{held.id}").json
    assert public["minutes"] == held.minutes_text
    assert [a["title"] for a in public["agenda"]] == [i.title for i in held.agenda_items]
    assert public["invitees"]
    assert {i["reply"] for i in public["invitees"]} == {None}
    signed = client.get(f"/api/v1/meetings/{held.id}", headers=bearer(MEXICO)).json
    assert {i["reply"] for i in signed["invitees"]} - {None}
    draft_agenda = db.session.scalars(
        sa.select(Meeting).where(Meeting.agenda_status == AgendaStatus.DRAFT, Meeting.is_public.is_(True))
    ).first()
    assert client.get(f"/api/v1/meetings/{draft_agenda.id}").json["agenda"] == []


# ------------------------------------------------------------------------------------- tokens and budgets


def test_a_wrong_or_revoked_token_is_refused_even_where_the_public_may_read(client, bearer, demo_user):
    assert client.get("/api/v1/partnerships", headers={"Authorization": "Bearer made-up"}).status_code == 401
    headers = bearer(MEXICO)
    assert client.get("/api/v1/partnerships", headers=headers).status_code == 200
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == demo_user(MEXICO).id)).one()
    revoke_token(demo_user(MEXICO), token.id)
    assert client.get("/api/v1/partnerships", headers=headers).status_code == 401


def test_a_browser_session_does_not_widen_what_the_api_shows(client_for):
    draft = project(DRAFT)
    assert client_for(PHILIPPINES).get(f"/api/v1/partnerships/{draft.id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cycles/2010/sessions",
        "/api/v1/cycles/2026/outcomes",
        "/api/v1/cycles/2010/outcomes?status=carried_over",
        "/api/v1/partnerships",
        "/api/v1/partnerships?country=mx&stage=implementation",
        "/api/v1/meetings",
    ],
)
def test_the_new_lists_keep_their_query_budget_with_and_without_a_token(client, bearer, count_queries, path):
    headers = bearer(MEXICO)
    for sent in ({}, headers):
        client.get(path, headers=sent)  # warm what a first request fills
        with count_queries() as counter:
            assert client.get(path, headers=sent).status_code == 200
        assert len(counter) <= 15, "\n".join(counter.statements)
    with count_queries() as counter:
        assert client.get("/api/v1/partnerships/ours", headers=headers).status_code == 200
    assert len(counter) <= 15


def test_the_api_page_marks_what_needs_a_token(client):
    page = client.get("/api/v1/").get_data(as_text=True)
    post = page.index("/api/v1/actions/{action_id}/updates</code>")
    assert "personal token" in page[post : post + 200]
    assert "<code>progress</code> (required)" in page
