"""The public JSON API and its OpenAPI document."""

from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db
from forum.structure.models import Body, BodyKind


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
