"""The API's writes: follow-up progress and PfP progress reports, sent with a personal token only, through the
services the web forms use (same permission checks, same rules, same messages)."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa

from forum.api.models import ApiToken
from forum.core.dates import today
from forum.extensions import db
from forum.outcomes.models import FollowUpStatus, FollowUpUpdate
from forum.partnerships.models import ProgressReport, ProjectStage
from tests.api.conftest import (
    DRAFT,
    MEXICO,
    MEXICO_ACTION,
    MOROCCO,
    PHILIPPINES,
    PHILIPPINES_ACTION,
    PUBLISHED,
    SU,
    action,
    project,
)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _updates_url() -> str:
    return f"/api/v1/actions/{action(MEXICO_ACTION).id}/updates"


# ------------------------------------------------------------------------------------- follow-up progress


def test_a_focal_point_reports_progress_on_its_government_s_action(client, bearer):
    found = action(MEXICO_ACTION)
    before = _count(FollowUpUpdate)
    answer = client.post(
        _updates_url(),
        json={
            "status": "in_progress",
            "progress": 70,
            "note": "Third course held",
            "evidence_url": "https://example.org/r",
        },
        headers=bearer(MEXICO),
    )
    assert answer.status_code == 201
    assert (answer.json["status"], answer.json["progress"]) == ("in_progress", 70)
    assert answer.json["on_behalf_of"]["iso2"] == "MX"
    assert answer.headers["Location"].endswith(f"/api/v1/actions/{found.id}")
    assert _count(FollowUpUpdate) == before + 1
    db.session.refresh(found)
    assert (found.status, found.progress) == (FollowUpStatus.IN_PROGRESS, 70)
    # the same report the web page shows, and the API's action answers with it first
    assert "Third course held" in client.get(f"/follow-up/actions/{found.id}").get_data(as_text=True)
    assert client.get(answer.headers["Location"]).json["updates"][0]["note"] == "Third course held"


def test_done_means_complete_as_on_the_web_form(client, bearer):
    answer = client.post(_updates_url(), json={"status": "done", "progress": 10}, headers=bearer(MOROCCO))  # co-owner
    assert answer.status_code == 201
    assert answer.json["progress"] == 100
    assert answer.json["on_behalf_of"]["iso2"] == "MA"


def test_no_report_on_an_action_the_government_does_not_own(client, bearer):
    before = _count(FollowUpUpdate)
    refused = client.post(_updates_url(), json={"status": "done", "progress": 100}, headers=bearer(PHILIPPINES))
    assert refused.status_code == 403
    assert refused.json["status"] == 403
    assert _count(FollowUpUpdate) == before
    assert action(MEXICO_ACTION).status == FollowUpStatus.IN_PROGRESS


def test_without_a_token_or_with_only_a_browser_session_nothing_is_written(client, client_for):
    before = _count(FollowUpUpdate)
    assert client.post(_updates_url(), json={"status": "done", "progress": 100}).status_code == 401
    signed_in = client_for(MEXICO).post(_updates_url(), json={"status": "done", "progress": 100})
    assert signed_in.status_code == 401
    assert signed_in.json["error"] == "Unauthorized"
    bad = client.post(_updates_url(), json={"status": "done", "progress": 100}, headers={"Authorization": "Bearer x"})
    assert bad.status_code == 401
    assert _count(FollowUpUpdate) == before


def test_a_revoked_token_fails_at_once(client, client_for, bearer, demo_user):
    headers = bearer(MEXICO)
    assert (
        client.post(_updates_url(), json={"status": "in_progress", "progress": 60}, headers=headers).status_code == 201
    )
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == demo_user(MEXICO).id)).one()
    assert client_for(MEXICO).post(f"/profile/api-tokens/{token.id}/revoke").status_code == 302
    before = _count(FollowUpUpdate)
    answer = client.post(_updates_url(), json={"status": "in_progress", "progress": 65}, headers=headers)
    assert answer.status_code == 401
    assert _count(FollowUpUpdate) == before
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_service_s_rules_answer_with_its_own_messages(client, bearer):
    headers = bearer(MEXICO)
    before = _count(FollowUpUpdate)
    cases = [
        ({"status": "in_progress", "progress": 140}, "Give the progress as a percentage from 0 to 100."),
        ({"status": "in_progress"}, "Give the progress as a percentage from 0 to 100."),
        ({"status": "in_progress", "progress": "80"}, "Give the progress as a percentage from 0 to 100."),
        ({"status": "carried_over", "progress": 10}, "carrying over is done by the Support Unit at hand-over"),
        ({"status": "finished", "progress": 10}, "Choose a status"),
        ({"status": "in_progress", "progress": 10, "evidence_url": "ftp://example.org"}, "http:// or https://"),
        ({"status": "in_progress", "progress": 10, "on_behalf_of": "PH"}, "Mexico, Morocco"),
        ({"status": "in_progress", "progress": 10, "is_internal": "yes"}, "is_internal must be true or false"),
        ({"status": "in_progress", "progress": 10, "note": "x" * 5001}, "at most 5000"),
    ]
    for body, message in cases:
        answer = client.post(_updates_url(), json=body, headers=headers)
        assert answer.status_code == 400, body
        assert answer.json["error"] == "Bad Request"
        assert message in answer.json["message"], (body, answer.json)
    not_json = client.post(_updates_url(), data="status=done", headers=headers)
    assert not_json.status_code == 400
    assert "JSON object" in not_json.json["message"]
    assert _count(FollowUpUpdate) == before


def test_a_closed_action_takes_no_more_reports_as_on_its_page(client, client_for, bearer):
    closed = action("Update the national Migration Profile")  # Morocco's, done
    url = f"/follow-up/actions/{closed.id}/updates"
    web = client_for(MOROCCO).post(url, data={"status": "in_progress", "progress": "50"})
    api = client.post(
        f"/api/v1{url.removeprefix('/follow-up')}",
        json={"status": "in_progress", "progress": 50},
        headers=bearer(MOROCCO),
    )
    assert (web.status_code, api.status_code) == (422, 400)
    assert api.json["message"] == "This action is closed (done); nothing more is reported on it."
    assert api.json["message"] in html.unescape(web.get_data(as_text=True))


def test_an_internal_report_is_for_the_owners_not_the_public(client, bearer):
    found = action(MEXICO_ACTION)
    sent = client.post(
        f"/api/v1/actions/{found.id}/updates",
        json={"status": "in_progress", "progress": 60, "note": "Budget talks", "is_internal": True},
        headers=bearer(MEXICO),
    )
    assert sent.status_code == 201
    assert "Budget talks" not in client.get(f"/api/v1/actions/{found.id}").get_data(as_text=True)
    morocco = client.get(f"/api/v1/actions/{found.id}", headers=bearer(MOROCCO)).json  # the co-owner
    assert morocco["updates"][0]["note"] == "Budget talks"
    assert morocco["updates"][0]["is_public"] is False


def test_the_support_unit_reports_for_a_named_owner(client, bearer):
    answer = client.post(
        _updates_url(), json={"status": "stalled", "progress": 55, "on_behalf_of": "ma"}, headers=bearer(SU)
    )
    assert answer.status_code == 201
    assert answer.json["on_behalf_of"]["name"] == "Morocco"


def test_an_action_of_an_unpublished_outcome_is_hidden_from_others(client, bearer, unpublished_outcome):
    hidden = unpublished_outcome.actions[0]
    before = _count(FollowUpUpdate)
    url = f"/api/v1/actions/{hidden.id}/updates"
    assert (
        client.post(url, json={"status": "in_progress", "progress": 5}, headers=bearer(PHILIPPINES)).status_code == 404
    )
    assert _count(FollowUpUpdate) == before
    assert client.post(url, json={"status": "in_progress", "progress": 5}, headers=bearer(MEXICO)).status_code == 201


def test_csrf_does_not_apply_to_token_requests_and_cookies_open_nothing(app, client, client_for, bearer):
    headers = bearer(MEXICO)
    browser = client_for(MEXICO)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with_token = client.post(_updates_url(), json={"status": "in_progress", "progress": 61}, headers=headers)
        with_cookie = browser.post(_updates_url(), json={"status": "in_progress", "progress": 62})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert with_token.status_code == 201
    assert with_cookie.status_code == 401
    assert action(MEXICO_ACTION).progress == 61


# ------------------------------------------------------------------------------------- PfP progress reports


def _report(**overrides) -> dict:
    body = {
        "period_start": (today() - timedelta(days=120)).isoformat(),
        "period_end": (today() - timedelta(days=1)).isoformat(),
        "progress": "Two more border posts trained",
        "results": "48 officials",
        "next_steps": "Evaluation",
    }
    return body | overrides


def test_the_proposers_report_progress_on_their_published_project(client, bearer):
    found = project(PUBLISHED)
    due_before = found.next_report_due_on
    before = _count(ProgressReport)
    answer = client.post(
        f"/api/v1/partnerships/{found.id}/reports", json=_report(stage_after="completion"), headers=bearer(MEXICO)
    )
    assert answer.status_code == 201
    assert (answer.json["stage_before"], answer.json["stage_after"]) == ("implementation", "completion")
    assert _count(ProgressReport) == before + 1
    db.session.refresh(found)
    assert found.stage == ProjectStage.COMPLETION
    assert found.next_report_due_on > due_before  # the schedule moved on, as after a report from the page
    shown = client.get(answer.headers["Location"]).json
    assert shown["reports"][-1]["progress"] == "Two more border posts trained"
    assert "Two more border posts trained" in client.get(f"/partnerships/projects/{found.id}").get_data(as_text=True)


def test_a_final_report_ends_the_schedule(client, bearer):
    found = project(PUBLISHED)
    answer = client.post(
        f"/api/v1/partnerships/{found.id}/reports", json=_report(is_final=True), headers=bearer(MEXICO)
    )
    assert answer.status_code == 201
    db.session.refresh(found)
    assert found.next_report_due_on is None


def test_no_report_on_another_government_s_project(client, bearer):
    found = project(PUBLISHED)
    before = _count(ProgressReport)
    refused = client.post(f"/api/v1/partnerships/{found.id}/reports", json=_report(), headers=bearer(PHILIPPINES))
    assert refused.status_code == 403
    hidden = client.post(f"/api/v1/partnerships/{project(DRAFT).id}/reports", json=_report(), headers=bearer(MOROCCO))
    assert hidden.status_code == 404  # another government's draft does not exist for Morocco
    assert client.post(f"/api/v1/partnerships/{found.id}/reports", json=_report()).status_code == 401
    assert _count(ProgressReport) == before


def test_report_rules_and_messages_are_the_web_form_s(client, client_for, bearer):
    found = project(PUBLISHED)
    url = f"/api/v1/partnerships/{found.id}/reports"
    headers = bearer(MEXICO)
    before = _count(ProgressReport)
    future = (today() + timedelta(days=30)).isoformat()
    cases = [
        (_report(period_end=future), "A report covers a period that has ended, not the future."),
        (_report(period_start=None), "Give the first day of the period the report covers."),
        (_report(progress=" "), "Say what progress the project made in the period."),
        (_report(period_start="2026-02-30"), "period_start must be a date written YYYY-MM-DD"),
        (_report(period_end="20261101"), "period_end must be a date written YYYY-MM-DD"),
        (_report(stage_after="finished"), "stage_after must be one of"),
        (_report(is_final="no"), "is_final must be true or false"),
    ]
    for body, message in cases:
        answer = client.post(url, json=body, headers=headers)
        assert answer.status_code == 400, body
        assert message in answer.json["message"], (body, answer.json)
    web = client_for(MEXICO).post(
        f"/partnerships/projects/{found.id}/reports",
        data={**_report(period_end=future), "stage_after": ""},
    )
    assert web.status_code == 422
    assert "A report covers a period that has ended, not the future." in html.unescape(web.get_data(as_text=True))
    assert _count(ProgressReport) == before


def test_a_draft_takes_no_report_even_from_its_proposers(client, bearer):
    draft = project(DRAFT)
    answer = client.post(f"/api/v1/partnerships/{draft.id}/reports", json=_report(), headers=bearer(PHILIPPINES))
    assert answer.status_code == 400
    assert answer.json["message"] == "Progress reports start once the project is accepted and published."


def test_a_report_is_for_one_of_the_action_s_owning_governments(client, bearer):
    """The Philippines cannot file its report on its own action as Mexico's."""
    own = action(PHILIPPINES_ACTION)
    answer = client.post(
        f"/api/v1/actions/{own.id}/updates",
        json={"status": "in_progress", "progress": 45, "on_behalf_of": "MX"},
        headers=bearer(PHILIPPINES),
    )
    assert answer.status_code == 400
    assert "Philippines" in answer.json["message"]
