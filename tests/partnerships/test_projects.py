"""Platform for Partnerships: drafting, co-proposers, submission, screening, review, decision, publication, the
catalogue — every transition with who may fire it, what the proposers may not see, and the mail on publication."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from forum.core.audit import AuditEntry
from forum.core.errors import NotFound, PermissionDenied, ValidationFailed
from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Country
from forum.extensions import db
from forum.partnerships import services
from forum.partnerships.models import DecisionOutcome, PartnershipProject, ProjectState, Recommendation
from forum.structure.models import Body, BodyKind

pytestmark = pytest.mark.usefixtures("db_session")

SU = "support@example.org"
CHAIR = "chair@example.org"
MEXICO = "focal.mexico@example.org"
MOROCCO = "focal.morocco@example.org"
PHILIPPINES = "focal.philippines@example.org"
SWITZERLAND = "focal.switzerland@example.org"
COHERENCE_WG = "Ad hoc Working Group on Policy Coherence, Data and Research"


def _country(name: str) -> Country:
    return db.session.scalar(sa.select(Country).where(Country.name == name))


def _body(name: str) -> Body:
    return db.session.scalar(sa.select(Body).where(Body.name == name))


def _complete(**overrides) -> dict:
    values = {
        "title": "Circular labour mobility pilot for seasonal farm workers",
        "summary": "A pilot that matches seasonal farm workers with employers abroad and brings them home with "
        "savings and skills, run by the labour ministries of both countries.",
        "objectives": "Safe, regular and repeatable seasonal work; recognised skills on return.",
        "theme_codes": ["T3"],
        "stage": "design",
        "starts_on": date(2030, 1, 1),
        "ends_on": date(2031, 12, 31),
        "needs_partners": "A destination government with a seasonal visa scheme.",
        "needs_funding": "Travel of the first cohort.",
        "funding_amount": 250000,
        "funding_currency": "USD",
        "contact_name": "Ana Demo",
        "contact_email": "ana.demo@example.org",
    }
    values.update(overrides)
    from forum.partnerships.models import ProjectStage

    if isinstance(values.get("stage"), str):
        values["stage"] = ProjectStage(values["stage"])
    return values


def _draft(demo_user, email: str = MEXICO, country: str = "Mexico", **overrides) -> PartnershipProject:
    return services.create_project(demo_user(email), lead_country_id=_country(country).id, **_complete(**overrides))


def _under_review(demo_user, **overrides) -> PartnershipProject:
    """A Mexican project routed by the Support Unit to the coherence working group (co-chaired by Morocco)."""
    project = _draft(demo_user, **overrides)
    services.submit_project(demo_user(MEXICO), project)
    services.route_project(demo_user(SU), project, body_id=_body(COHERENCE_WG).id)
    return project


def _project_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(PartnershipProject.id)))


FORM = {
    "lead_country_id": None,
    "title": "Diaspora mentoring network for young entrepreneurs",
    "summary": "Mentors from the diaspora coach young entrepreneurs at home.",
    "objectives": "",
    "stage": "",
    "funding_amount": "",
    "funding_currency": "",
}


# ---------------------------------------------------------------------------------------------------- drafting


def test_focal_point_drafts_a_project_that_only_proposing_governments_see(client_for, demo_user):
    mexico = client_for(MEXICO)
    form = dict(FORM, lead_country_id=_country("Mexico").id, themes=["T7"])
    response = mexico.post("/partnerships/projects/new", data=form)
    assert response.status_code == 302
    project = db.session.scalar(sa.select(PartnershipProject).where(PartnershipProject.title == FORM["title"]))
    assert project.state == ProjectState.DRAFT
    assert project.theme_codes == ["T7"]
    page = mexico.get(f"/partnerships/projects/{project.id}")
    assert page.status_code == 200
    assert "Before you can submit it" in page.text
    for email in (PHILIPPINES, SU, CHAIR, None):
        assert client_for(email).get(f"/partnerships/projects/{project.id}").status_code == 404, email
    assert client_for(PHILIPPINES).get(f"/partnerships/projects/{project.id}/edit").status_code == 404
    assert client_for(PHILIPPINES).post(f"/partnerships/projects/{project.id}/submit").status_code == 404
    assert project.id not in {p.id for p in services.catalogue(services.CatalogueFilters()).items}


def test_focal_point_cannot_draft_for_another_government(client_for, demo_user):
    form = dict(FORM, lead_country_id=_country("Philippines").id)
    before = _project_count()
    assert client_for(MEXICO).post("/partnerships/projects/new", data=form).status_code == 422
    with pytest.raises(PermissionDenied):
        services.create_project(demo_user(MEXICO), lead_country_id=_country("Philippines").id, title="Not ours")
    assert _project_count() == before
    assert client_for(SU).get("/partnerships/projects/new").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required"),
        ({"funding_amount": "-5", "funding_currency": "USD"}, "funding_amount", "above zero"),
        ({"funding_amount": "99999999999999", "funding_currency": "USD"}, "funding_amount", "below ten billion"),
        ({"funding_amount": "1000", "funding_currency": "XYZ"}, "funding_currency", "Unknown currency code XYZ"),
        ({"funding_amount": "lots"}, "funding_amount", "Not a valid integer"),
        ({"co_proposer_ids": ["999999"]}, "co_proposer_ids", "is not a valid choice"),
        ({"themes": ["T99"]}, "themes", "is not a valid choice"),
        ({"starts_on": "2030-06-01", "ends_on": "2030-01-01"}, "ends_on", "cannot end before it starts"),
        ({"contact_email": "not an address"}, "contact_email", "not an e-mail address"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client_for, changes, field, message):
    before = _project_count()
    audit_before = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    form = dict(FORM, lead_country_id=_country("Mexico").id, **changes)
    response = client_for(MEXICO).post("/partnerships/projects/new", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert _project_count() == before
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before


def test_a_co_proposer_must_be_a_government_in_the_directory(demo_user):
    with pytest.raises(ValidationFailed) as refused:
        _draft(demo_user, co_proposer_ids=[10**9])
    assert "co_proposer_ids" in refused.value.errors


def test_submission_lists_what_is_missing_and_leaves_the_draft_as_it_was(client_for, demo_user):
    project = services.create_project(demo_user(MEXICO), lead_country_id=_country("Mexico").id, title="Just a title")
    response = client_for(MEXICO).post(f"/partnerships/projects/{project.id}/submit")
    assert response.status_code == 422
    for text in ("Describe the project in a summary", "Choose at least one theme", "Name a contact person"):
        assert text in response.text
    db.session.refresh(project)
    assert project.state == ProjectState.DRAFT
    assert project.submitted_at is None


def test_a_stale_edit_is_refused(client_for, demo_user):
    project = _draft(demo_user)
    form = dict(FORM, lead_country_id=_country("Mexico").id, version_id=str(project.version_id - 1 or 99))
    response = client_for(MEXICO).post(f"/partnerships/projects/{project.id}/edit", data=form)
    assert response.status_code == 409
    db.session.refresh(project)
    assert project.title != FORM["title"]


def test_co_proposers_see_the_draft_and_must_confirm_before_submission(client_for, demo_user):
    philippines = _country("Philippines")
    project = _draft(demo_user, co_proposer_ids=[philippines.id])
    response = client_for(MEXICO).post(f"/partnerships/projects/{project.id}/submit")
    assert response.status_code == 422
    assert "Waiting for these co-proposers to confirm: Philippines" in response.text
    page = client_for(PHILIPPINES).get(f"/partnerships/projects/{project.id}")
    assert page.status_code == 200
    assert "Confirm co-proposal" in page.text
    assert client_for(MOROCCO).post(f"/partnerships/projects/{project.id}/confirm").status_code == 404
    assert client_for(PHILIPPINES).post(f"/partnerships/projects/{project.id}/confirm").status_code == 302
    assert client_for(MEXICO).post(f"/partnerships/projects/{project.id}/submit").status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.SUBMITTED


# ---------------------------------------------------------------------------------------------------- screening


def test_support_unit_screens_sees_similar_projects_and_routes(client_for, demo_user):
    earlier = _draft(demo_user, title="Seasonal farm workers circular labour mobility programme")
    services.submit_project(demo_user(MEXICO), earlier)
    unrelated = _draft(demo_user, title="Handbook on consular protection", summary="Consular staff " * 10)
    services.submit_project(demo_user(MEXICO), unrelated)
    project = _draft(demo_user)
    assert client_for(MEXICO).post(f"/partnerships/projects/{project.id}/submit").status_code == 302

    queue = client_for(SU).get("/partnerships/screening")
    assert queue.status_code == 200
    assert project.title in queue.text
    assert client_for(MEXICO).get("/partnerships/screening").status_code == 403

    similar = services.similar_projects(project)
    assert [s.id for s in similar][:1] == [earlier.id]
    assert unrelated.id not in {s.id for s in similar}
    page = client_for(SU).get(f"/partnerships/projects/{project.id}")
    assert "Similar existing projects" in page.text
    assert earlier.title in page.text

    assert client_for(SU).post(f"/partnerships/projects/{project.id}/screen").status_code == 302
    body = _body(COHERENCE_WG)
    assert (
        client_for(MEXICO).post(f"/partnerships/projects/{project.id}/route", data={"body_id": body.id}).status_code
        == 403
    )
    response = client_for(SU).post(f"/partnerships/projects/{project.id}/route", data={"body_id": body.id})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.UNDER_REVIEW
    assert project.reviewing_body_id == body.id
    audit = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == "PartnershipProject", AuditEntry.object_id == project.id)
    ).all()
    assert [a.changes["state"][1] for a in audit if "state" in a.changes and a.verb.value == "transition"] == [
        "submitted",
        "in_screening",
        "under_review",
    ]


def test_route_refuses_a_body_that_does_not_select_projects(client_for, demo_user):
    project = _draft(demo_user)
    services.submit_project(demo_user(MEXICO), project)
    support_unit = db.session.scalar(sa.select(Body).where(Body.kind == BodyKind.SUPPORT_UNIT))
    response = client_for(SU).post(f"/partnerships/projects/{project.id}/route", data={"body_id": support_unit.id})
    assert response.status_code == 422
    db.session.refresh(project)
    assert project.state == ProjectState.SUBMITTED
    assert project.reviewing_body_id is None


def test_support_unit_returns_with_comments_the_proposer_sees_and_resubmits(client_for, demo_user):
    project = _draft(demo_user)
    services.submit_project(demo_user(MEXICO), project)
    assert client_for(SU).post(f"/partnerships/projects/{project.id}/return", data={"comment": ""}).status_code == 422
    response = client_for(SU).post(
        f"/partnerships/projects/{project.id}/return", data={"comment": "Name the destination ministry."}
    )
    assert response.status_code == 302
    page = client_for(MEXICO).get(f"/partnerships/projects/{project.id}")
    assert "Returned to the proposers" in page.text
    assert "Name the destination ministry." in page.text
    assert client_for(MEXICO).post(f"/partnerships/projects/{project.id}/submit").status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.SUBMITTED


# ---------------------------------------------------------------------------------------------------- review


def test_body_members_comment_the_chair_decides_and_the_proposer_sees_nothing_until_publication(client_for, demo_user):
    project = _under_review(demo_user)
    url = f"/partnerships/projects/{project.id}"
    # Mexico sits on the working group but proposes the project: it neither comments nor sees the review
    assert client_for(MEXICO).post(f"{url}/comments", data={"text": "Good"}).status_code == 403
    response = client_for(SWITZERLAND).post(
        f"{url}/comments", data={"text": "Solid design.", "recommendation": "accept"}
    )
    assert response.status_code == 302
    assert client_for(PHILIPPINES).get(url).status_code == 404  # not on the body, not published

    decision = {"outcome": "accepted", "note": "Welcome on the platform.", "report_every_months": "6"}
    assert client_for(MEXICO).post(f"{url}/decision", data=decision).status_code == 403
    assert client_for(MOROCCO).post(f"{url}/decision", data=decision).status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.DECIDED
    assert project.decision == DecisionOutcome.ACCEPTED
    assert project.decision_record == ""  # the chair decided; nothing to record for the body

    proposer_page = client_for(MEXICO).get(url)
    assert proposer_page.status_code == 200
    assert "Under review" in proposer_page.text
    for hidden in ("Welcome on the platform.", "Solid design.", "Accepted for the platform", "Decided"):
        assert hidden not in proposer_page.text
    assert "Welcome on the platform." in client_for(SWITZERLAND).get(url).text
    our = client_for(MEXICO).get("/partnerships/ours")
    assert project.title in our.text
    row = our.text[our.text.index(project.title) :]
    assert "Accepted" not in row[: row.index("</tr>")]
    about_it = sa.select(sa.func.count(MailMessage.id)).where(
        MailMessage.template.like("pfp_%"), MailMessage.body_text.contains(project.title)
    )
    assert db.session.scalar(about_it) == 0
    assert project.id not in {p.id for p in services.catalogue(services.CatalogueFilters()).items}

    assert client_for(MEXICO).post(f"{url}/publish").status_code == 403
    assert client_for(MOROCCO).post(f"{url}/publish").status_code == 403
    assert client_for(SU).post(f"{url}/publish").status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.ACCEPTED
    assert project.published_at is not None
    mails = db.session.scalars(
        sa.select(MailMessage).where(
            MailMessage.template == "pfp_decision_published", MailMessage.subject.contains(project.title)
        )
    ).all()
    assert [m.recipient for m in mails] == [MEXICO]
    assert project.title in mails[0].subject
    assert "Accepted for the platform" in mails[0].body_text
    after = client_for(MEXICO).get(url).text
    assert "Welcome on the platform." in after
    assert "Solid design." not in after
    catalogue = client_for(None).get("/partnerships?q=seasonal")
    assert catalogue.status_code == 200
    assert project.title in catalogue.text
    assert client_for(PHILIPPINES).get(url).status_code == 200


def test_a_member_who_does_not_chair_cannot_decide(client_for, demo_user):
    project = _draft(demo_user, PHILIPPINES, "Philippines")
    services.submit_project(demo_user(PHILIPPINES), project)
    services.route_project(demo_user(SU), project, body_id=_body(COHERENCE_WG).id)
    url = f"/partnerships/projects/{project.id}"
    assert client_for(MEXICO).post(f"{url}/comments", data={"text": "Worth it."}).status_code == 302
    decision = {"outcome": "declined", "note": "Out of scope."}
    assert client_for(MEXICO).post(f"{url}/decision", data=decision).status_code == 403
    assert client_for(PHILIPPINES).post(f"{url}/decision", data=decision).status_code == 403
    db.session.refresh(project)
    assert project.state == ProjectState.UNDER_REVIEW


def test_support_unit_decides_only_by_recording_the_bodys_decision(client_for, demo_user):
    project = _under_review(demo_user)
    url = f"/partnerships/projects/{project.id}/decision"
    response = client_for(SU).post(url, data={"outcome": "accepted", "report_every_months": "6"})
    assert response.status_code == 422
    assert "The Support Unit does not decide" in response.text
    db.session.refresh(project)
    assert project.state == ProjectState.UNDER_REVIEW
    assert project.decision is None
    record = "Working group meeting of 3 March, item 2"
    response = client_for(SU).post(
        url, data={"outcome": "accepted", "report_every_months": "6", "decision_record": record}
    )
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.state == ProjectState.DECIDED
    assert project.decision_record == record


def test_a_decision_needs_its_reasons_and_an_accepted_project_a_report_schedule(demo_user):
    project = _under_review(demo_user)
    morocco = demo_user(MOROCCO)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_project(morocco, project, outcome=DecisionOutcome.DECLINED)
    assert "note" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        services.decide_project(morocco, project, outcome=DecisionOutcome.ACCEPTED, report_every_months=None)
    assert "report_every_months" in refused.value.errors


def test_changes_requested_goes_back_to_the_proposers_after_publication(client_for, demo_user):
    project = _under_review(demo_user)
    services.decide_project(
        demo_user(MOROCCO), project, outcome=DecisionOutcome.CHANGES_REQUESTED, note="Add a second country."
    )
    services.publish_decision(demo_user(SU), project)
    assert project.state == ProjectState.CHANGES_REQUESTED
    page = client_for(MEXICO).get(f"/partnerships/projects/{project.id}")
    assert "Add a second country." in page.text
    assert "Submit for screening" in page.text
    services.submit_project(demo_user(MEXICO), project)
    assert project.state == ProjectState.SUBMITTED
    assert project.decision is None


def test_transitions_refuse_the_wrong_state_and_the_wrong_role(demo_user):
    project = _draft(demo_user)
    with pytest.raises(NotFound):  # the Support Unit does not even know a draft exists
        services.start_screening(demo_user(SU), project)
    services.submit_project(demo_user(MEXICO), project)
    with pytest.raises(PermissionDenied):
        services.start_screening(demo_user(MEXICO), project)
    with pytest.raises(PermissionDenied):
        services.decide_project(demo_user(SU), project, outcome=DecisionOutcome.ACCEPTED, report_every_months=6)
    comment = Recommendation.ACCEPT
    with pytest.raises(NotFound):
        services.comment_on_review(demo_user(PHILIPPINES), project, text="x", recommendation=comment)


# ---------------------------------------------------------------------------------------------------- catalogue


def _published(demo_user, title: str, theme: str = "T3") -> PartnershipProject:
    project = _under_review(demo_user, title=title, theme_codes=[theme])
    services.decide_project(SYSTEM, project, outcome=DecisionOutcome.ACCEPTED, report_every_months=6)
    services.publish_decision(SYSTEM, project)
    return project


def test_catalogue_filters_and_stays_within_the_query_budget(client, demo_user, count_queries):
    for i in range(25):
        _published(demo_user, f"Skills partnership number {i}", theme="T11" if i % 2 else "T3")
    with count_queries() as counter:
        response = client.get("/partnerships")
    assert response.status_code == 200
    assert "Skills partnership number 24" in response.text
    assert len(counter) <= 15, counter.statements
    with count_queries() as counter:
        response = client.get(
            f"/partnerships?theme=T11&stage=design&need=funding&country={_country('Mexico').id}&q=skills"
        )
    assert response.status_code == 200
    assert len(counter) <= 15, counter.statements
    assert "Skills partnership number 23" in response.text
    assert "Skills partnership number 24" not in response.text
    assert client.get("/partnerships?page=2").status_code == 200
    assert client.get("/partnerships?theme=nonsense&stage=x&country=abc").status_code == 200


def test_the_catalogues_filters_offer_what_narrows_the_results(client, demo_user):
    """The government and organisation lists hold those of the projects the other filters select (and the one
    chosen), so no choice leads to an empty page; the search words are matched as the search box matches them."""
    from forum.directory.models import Organisation
    from forum.partnerships.models import PartnerRole

    iom, unhcr = (db.session.scalar(sa.select(Organisation).where(Organisation.acronym == a)) for a in ("IOM", "UNHCR"))
    herding = _published(demo_user, "Herders crossing borders with their flocks", theme="T11")
    services.add_partner(SYSTEM, herding, role=PartnerRole.IMPLEMENTER, organisation_id=iom.id)
    fishing = _published(demo_user, "Fishers crossing borders with their boats", theme="T3")
    services.add_partner(SYSTEM, fishing, role=PartnerRole.SUPPORTER, organisation_id=unhcr.id)

    def organisations(page: str) -> str:
        return page.split('id="organisation"')[1].split("</select>")[0]

    herders = client.get("/partnerships?q=herders").text
    assert herding.title in herders
    assert fishing.title not in herders
    assert f'value="{iom.id}"' in organisations(herders)
    assert f'value="{unhcr.id}"' not in organisations(herders)
    both = client.get("/partnerships?q=crossing+borders").text
    assert f'value="{iom.id}"' in organisations(both)
    assert f'value="{unhcr.id}"' in organisations(both)
    # the organisation chosen stays listed (and selected) while its own filter narrows the list of projects
    chosen = client.get(f"/partnerships?q=crossing&organisation={unhcr.id}").text
    assert fishing.title in chosen
    assert herding.title not in chosen
    assert f'value="{iom.id}"' in organisations(chosen)
    assert f'value="{unhcr.id}" selected' in organisations(chosen)
