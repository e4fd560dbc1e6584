"""Platform for Partnerships after publication: offers of support and their answers, progress reports on the
schedule set at acceptance (and their reminder, with a frozen clock), project documents, the matching page and
the Support Unit's dashboard — who may do each, what others never see, and bad input refused with nothing saved."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from forum.core.dates import today
from forum.core.errors import PermissionDenied, ValidationFailed
from forum.core.outbox import MailMessage
from forum.core.permissions import SYSTEM
from forum.directory.models import Organisation, Person, User
from forum.extensions import db
from forum.partnerships import services
from forum.partnerships.models import (
    DecisionOutcome,
    OfferKind,
    OfferState,
    PartnerRole,
    PartnershipProject,
    ProgressReport,
    ProjectAttachment,
    ProjectOffer,
    ProjectStage,
)
from tests.partnerships.test_projects import (
    CHAIR,
    COHERENCE_WG,
    MEXICO,
    MOROCCO,
    PHILIPPINES,
    SU,
    SWITZERLAND,
    _body,
    _country,
    _draft,
)
from tests.partnerships.test_projects import _published as _publish

pytestmark = pytest.mark.usefixtures("db_session")

PDF = b"%PDF-1.4\n% a small test document\n"


def _project(title: str) -> PartnershipProject:
    return db.session.scalar(sa.select(PartnershipProject).where(PartnershipProject.title == title))


def _children() -> PartnershipProject:
    """Mexico's published kick-off project (the demo has a pending offer from the Philippines on it)."""
    return _project("Protecting Unaccompanied Migrant Children")


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _offer_form(**overrides) -> dict:
    return {
        "party": f"country:{_country('Morocco').id}",
        "kind": "support",
        "role": "technical_partner",
        "what": "Two trainers from our child protection unit for the next training cycle.",
        "terms": "We pay their travel.",
        "amount": "",
        "currency": "",
    } | overrides


# ---------------------------------------------------------------------------------------------------- offers


def test_a_focal_point_offers_support_and_the_proposers_accept_it_as_a_partner(client_for, demo_user):
    project = _children()
    morocco = client_for(MOROCCO)
    response = morocco.post(
        f"/partnerships/projects/{project.id}/offers", data=_offer_form(amount="5000", currency="usd")
    )
    assert response.status_code == 302
    offer = db.session.scalar(sa.select(ProjectOffer).where(ProjectOffer.country_id == _country("Morocco").id))
    assert (offer.state, offer.amount, offer.currency) == (OfferState.PENDING, 5000, "USD")
    mail = db.session.scalar(
        sa.select(MailMessage).where(
            MailMessage.recipient == MEXICO,
            MailMessage.template == "pfp_offer_made",
            MailMessage.subject.contains("Morocco"),
        )
    )
    assert "Morocco" in mail.subject
    assert "Two trainers" in mail.body_text
    assert "Two trainers" in morocco.get(f"/partnerships/projects/{project.id}").text  # its own offer
    # another government sees neither this offer nor the Philippines' one
    other = client_for(SWITZERLAND).get(f"/partnerships/projects/{project.id}").text
    assert "Two trainers" not in other
    assert "Twelve migration officers" not in other
    # only the proposers answer: not the offering party, not the Support Unit
    for email in (MOROCCO, SU, PHILIPPINES):
        assert (
            client_for(email)
            .post(f"/partnerships/offers/{offer.id}/reply", data={"answer": "accept", "role": "implementer"})
            .status_code
            == 403
        )
    mexico = client_for(MEXICO)
    page = mexico.get(f"/partnerships/projects/{project.id}").text
    assert "Two trainers" in page
    assert "Twelve migration officers" in page
    response = mexico.post(
        f"/partnerships/offers/{offer.id}/reply", data={"answer": "accept", "role": "implementer", "reply": ""}
    )
    assert response.status_code == 302
    db.session.refresh(offer)
    assert offer.state == OfferState.ACCEPTED
    partner = next(p for p in project.partners if p.country_id == _country("Morocco").id)
    assert partner.role == PartnerRole.IMPLEMENTER
    assert offer.partner_id == partner.id
    assert "Morocco" in client_for(None).get(f"/partnerships/projects/{project.id}").text  # a partner, publicly
    history = mexico.get(f"/partnerships/projects/{project.id}").text
    assert "Morocco, Offer of support" in history
    assert "Morocco accepted as implementer" in history
    assert db.session.scalar(
        sa.select(MailMessage).where(MailMessage.recipient == MOROCCO, MailMessage.template == "pfp_offer_answered")
    )
    # answered once only
    again = mexico.post(
        f"/partnerships/offers/{offer.id}/reply", data={"answer": "decline", "role": "supporter", "reply": "No"}
    )
    assert again.status_code == 409


def test_declining_needs_a_reason_for_the_offering_party(client_for):
    offer = db.session.scalar(
        sa.select(ProjectOffer).where(
            ProjectOffer.project_id == _children().id, ProjectOffer.state == OfferState.PENDING
        )
    )
    mexico = client_for(MEXICO)
    refused = mexico.post(f"/partnerships/offers/{offer.id}/reply", data={"answer": "decline", "role": "supporter"})
    assert refused.status_code == 422
    assert "why you decline" in refused.text
    db.session.refresh(offer)
    assert offer.state == OfferState.PENDING
    assert (
        mexico.post(
            f"/partnerships/offers/{offer.id}/reply", data={"answer": "decline", "role": "supporter", "reply": "Full."}
        ).status_code
        == 302
    )
    db.session.refresh(offer)
    assert (offer.state, offer.reply) == (OfferState.DECLINED, "Full.")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"what": ""}, "This field is required"),
        ({"amount": "-5", "currency": "USD"}, "above zero"),
        ({"amount": "99999999999999", "currency": "USD"}, "below ten billion"),
        ({"amount": "1000", "currency": "XYZ"}, "Unknown currency code XYZ"),
        ({"amount": "1000"}, "Say in which currency"),
        ({"party": "country:1"}, "Not a valid choice"),  # not Morocco's focal point's government
    ],
)
def test_a_bad_offer_is_refused_with_a_message_and_nothing_saved(client_for, changes, message):
    before = _count(ProjectOffer)
    response = client_for(MOROCCO).post(f"/partnerships/projects/{_children().id}/offers", data=_offer_form(**changes))
    assert response.status_code == 422
    assert message in response.text
    assert _count(ProjectOffer) == before


def test_offers_only_on_published_projects_never_to_ones_own_and_one_waiting_per_party(demo_user):
    draft = _draft(demo_user, title="An unpublished idea")
    offer = dict(kind=OfferKind.INTEREST, role=PartnerRole.SUPPORTER, what="Interest")
    with pytest.raises(ValidationFailed, match="published in the catalogue"):
        services.make_offer(demo_user(MEXICO), draft, party=f"country:{_country('Mexico').id}", **offer)
    children = _children()
    with pytest.raises(ValidationFailed, match="cannot offer support to its own project"):
        services.make_offer(demo_user(MEXICO), children, party=f"country:{_country('Mexico').id}", **offer)
    with pytest.raises(ValidationFailed, match="already has an offer waiting"):
        services.make_offer(demo_user(PHILIPPINES), children, party=f"country:{_country('Philippines').id}", **offer)
    with pytest.raises(ValidationFailed, match="own government or organisation"):
        services.make_offer(demo_user(PHILIPPINES), children, party=f"country:{_country('Morocco').id}", **offer)


def test_an_organisations_account_offers_for_its_organisation_and_the_support_unit_records_for_any(client_for, app):
    ilo = db.session.scalar(sa.select(Organisation).where(Organisation.acronym == "ILO"))
    person = Person(name="Ida Labour", organisation_id=ilo.id)
    db.session.add(person)
    db.session.flush()
    user = User(person_id=person.id, email="ida@ilo.example.org", acts_for_organisation_id=ilo.id)
    db.session.add(user)
    db.session.commit()
    project = _children()
    client = app.test_client(user=user)
    page = client.get(f"/partnerships/projects/{project.id}").text
    assert f'value="organisation:{ilo.id}"' in page
    assert "country:" not in page
    response = client.post(
        f"/partnerships/projects/{project.id}/offers", data=_offer_form(party=f"organisation:{ilo.id}", kind="interest")
    )
    assert response.status_code == 302
    assert db.session.scalar(
        sa.select(ProjectOffer).where(ProjectOffer.organisation_id == ilo.id, ProjectOffer.project_id == project.id)
    )
    assert client.get("/partnerships/matching").status_code == 403  # matching is a government's page
    su_page = client_for(SU).get(f"/partnerships/projects/{project.id}").text
    assert "Express interest or offer support" in su_page  # recorded for a party without an account


# ---------------------------------------------------------------------------------------------------- reports


def test_the_schedule_set_at_acceptance_starts_at_publication_and_each_report_moves_it_on(client_for, demo_user):
    project = _draft(demo_user, title="Reporting test project")
    services.submit_project(demo_user(MEXICO), project)
    services.route_project(demo_user(SU), project, body_id=_body(COHERENCE_WG).id)
    services.decide_project(SYSTEM, project, outcome=DecisionOutcome.ACCEPTED, report_every_months=3)
    assert project.next_report_due_on is None  # nothing is due before publication
    services.publish_decision(SYSTEM, project)
    first_due = services.add_months(today(), 3)
    assert project.next_report_due_on == first_due
    mexico = client_for(MEXICO)
    form = {
        "period_start": (today() - timedelta(days=90)).isoformat(),
        "period_end": (today() - timedelta(days=1)).isoformat(),
        "progress": "First cohort recruited; the employers' association signed on.",
        "stage_after": "implementation",
        "results": "120 workers placed.",
        "next_steps": "Second cohort.",
    }
    assert client_for(SWITZERLAND).post(f"/partnerships/projects/{project.id}/reports", data=form).status_code == 403
    assert mexico.post(f"/partnerships/projects/{project.id}/reports", data=form).status_code == 302
    db.session.refresh(project)
    assert project.stage == ProjectStage.IMPLEMENTATION
    assert project.next_report_due_on == services.add_months(first_due, 3)
    report = db.session.scalar(sa.select(ProgressReport).where(ProgressReport.project_id == project.id))
    assert report.due_on == first_due
    assert not report.was_late
    public = client_for(None).get(f"/partnerships/projects/{project.id}").text
    assert "120 workers placed." in public
    assert "Second cohort." in public
    final = dict(form, progress="Closed.", stage_after="completion", is_final="y")
    assert mexico.post(f"/partnerships/projects/{project.id}/reports", data=final).status_code == 302
    db.session.refresh(project)
    assert project.next_report_due_on is None
    assert project.stage == ProjectStage.COMPLETION


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": ""}, "This field is required"),
        ({"period_start": "2030-01-01", "period_end": "2029-01-01"}, "cannot end before it starts"),
        ({"period_end": (today() + timedelta(days=30)).isoformat()}, "not the future"),
        ({"period_start": "2010-13-45"}, "Not a valid date"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_changes(client_for, changes, message):
    project = _project("Developing Migration Profiles")
    due, reports = project.next_report_due_on, _count(ProgressReport)
    form = {"period_start": "2026-01-01", "period_end": (today() - timedelta(days=1)).isoformat(), "progress": "x"}
    response = client_for(SWITZERLAND).post(f"/partnerships/projects/{project.id}/reports", data=form | changes)
    assert response.status_code == 422
    assert message in response.text
    db.session.refresh(project)
    assert (project.next_report_due_on, _count(ProgressReport)) == (due, reports)


def test_a_draft_does_not_report(demo_user):
    draft = _draft(demo_user, title="Not yet on the platform")
    with pytest.raises(ValidationFailed, match="accepted and published"):
        services.submit_report(demo_user(MEXICO), draft, period_start=today(), period_end=today(), progress="x")
    with pytest.raises(PermissionDenied):
        services.submit_report(
            demo_user(SWITZERLAND), _children(), period_start=today(), period_end=today(), progress="x"
        )


def test_a_due_report_is_reminded_before_its_date_and_while_late_until_it_comes(db_session):
    """The kind's default rules, with a frozen clock: 14 days before, then every two weeks once late."""
    from forum.notifications import services as notifications
    from forum.notifications.models import ReminderRule

    def sweep_at(day):
        with time_machine.travel(datetime.combine(day, time(12), tzinfo=UTC), tick=False):
            notifications.sweep()

    def mails(subject: str) -> list[MailMessage]:
        return list(
            db.session.scalars(
                sa.select(MailMessage).where(
                    MailMessage.subject.contains(subject),
                    MailMessage.body_text.contains(due.isoformat()),
                    MailMessage.recipient == MEXICO,
                )
            )
        )

    db_session.execute(sa.update(ReminderRule).values(is_active=ReminderRule.kind == "pfp_report"))
    project = _children()
    due = today() + timedelta(days=400)
    project.next_report_due_on = due
    db_session.commit()
    sweep_at(due - timedelta(days=15))
    assert mails("Progress report due") == []
    sweep_at(due - timedelta(days=14))
    assert len(mails("Progress report due")) == 1
    assert "every 6 months" in mails("Progress report due")[0].body_text
    sweep_at(due)
    assert mails("Late progress report") == []
    sweep_at(due + timedelta(days=1))
    assert len(mails("Late progress report")) == 1
    sweep_at(due + timedelta(days=15))
    assert len(mails("Late progress report")) == 2
    assert db.session.scalar(
        sa.select(MailMessage).where(
            MailMessage.recipient == SU,
            MailMessage.subject.contains("Late progress report"),
            MailMessage.body_text.contains(due.isoformat()),
        )
    )
    project.next_report_due_on = None  # a final report came in: nothing is owed any more
    db_session.commit()
    sweep_at(due + timedelta(days=29))
    assert len(mails("Late progress report")) == 2


# ---------------------------------------------------------------------------------------------------- documents


def test_proposers_attach_documents_that_only_who_sees_the_project_may_download(client_for):
    draft = _project("Recruitment cost calculator for migrant workers")  # the Philippines', Mexico co-proposing
    philippines = client_for(PHILIPPINES)
    response = philippines.post(
        f"/partnerships/projects/{draft.id}/attachments",
        data={"file": (io.BytesIO(PDF), "Budget outline.pdf"), "description": "Budget"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = db.session.scalar(
        sa.select(ProjectAttachment).where(ProjectAttachment.file_name == "Budget_outline.pdf")
    )
    assert attachment.file_key not in attachment.file_name  # stored under a random name
    download = client_for(MEXICO).get(f"/partnerships/attachments/{attachment.id}")
    body, status = download.data, download.status_code
    download.close()
    assert (status, body) == (200, PDF)
    for email in (SWITZERLAND, SU, None):  # another government, and the draft is not yet submitted
        assert client_for(email).get(f"/partnerships/attachments/{attachment.id}").status_code == 404, email
    assert client_for(SWITZERLAND).post(f"/partnerships/attachments/{attachment.id}/remove").status_code == 404
    assert philippines.post(f"/partnerships/attachments/{attachment.id}/remove").status_code == 302
    assert philippines.get(f"/partnerships/attachments/{attachment.id}").status_code == 404
    assert "document removed: Budget_outline.pdf" in philippines.get(f"/partnerships/projects/{draft.id}").text
    # a published project's documents are public
    template = _project("Developing Migration Profiles").attachments[0]
    public = client_for(None).get(f"/partnerships/attachments/{template.id}")
    public.close()
    assert public.status_code == 200


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "paper.pdf", "content is not what its name says"),
        (PDF, "paper.exe", "Upload a file of one of these types"),
        (PDF + b"x" * 2000, "big.pdf", "larger than 0.001 MB"),
        (b"", "empty.pdf", "The file is empty"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_saved(app, client_for, monkeypatch, content, name, message):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 0.001)
    draft = _project("Recruitment cost calculator for migrant workers")
    before = _count(ProjectAttachment)
    response = client_for(PHILIPPINES).post(
        f"/partnerships/projects/{draft.id}/attachments",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.text
    assert _count(ProjectAttachment) == before


# ---------------------------------------------------------------------------------------- matching, dashboard


def test_matching_ranks_projects_that_need_what_we_offer_and_partners_for_our_needs(
    client_for, demo_user, count_queries
):
    ours = _draft(
        demo_user,
        email=PHILIPPINES,
        country="Philippines",
        title="Ethical recruitment pilot",
        theme_codes=["T5"],
        offers="Labour inspectors trained in ethical recruitment audits.",
        needs_partners="Partners offering interpreters for inspections.",
    )
    assert ours.id
    wanted = _publish(demo_user, "Recruitment audits for the fishing sector", theme="T5")
    wanted.needs_expertise = "Labour inspectors for recruitment audits."
    db.session.commit()
    _publish(demo_user, "Unrelated data project", theme="T12")
    services.make_offer(
        demo_user(SWITZERLAND),
        wanted,
        party=f"country:{_country('Switzerland').id}",
        kind=OfferKind.SUPPORT,
        role=PartnerRole.SUPPORTER,
        what="Interpreters for inspections in six languages.",
    )
    with count_queries() as counter:
        page = client_for(PHILIPPINES).get("/partnerships/matching")
    assert page.status_code == 200
    assert len(counter) <= 15, counter.statements
    text = page.text
    projects, partners = text.split("Partners for what we need")
    assert "Recruitment audits for the fishing sector" in projects
    assert "Unrelated data project" not in projects
    assert "Ethical recruitment pilot" not in projects  # never our own
    assert "Mexico" in partners
    assert "Switzerland" in partners
    assert "interpreters" in partners
    assert client_for(SU).get("/partnerships/matching").status_code == 403


def test_the_dashboard_counts_and_lists_late_and_due_reports_for_the_support_unit_only(client_for, count_queries):
    with count_queries() as counter:
        page = client_for(SU).get("/partnerships/dashboard")
    assert page.status_code == 200
    assert len(counter) <= 15, counter.statements
    late, due = page.text.split("Progress reports due within 30 days")
    assert "Protecting Unaccompanied Migrant Children" in late  # demo: 20 days late, no report
    assert "Pension portability toolkit" in due  # demo: due in 12 days
    assert "Developing Migration Profiles" not in page.text.split("Late progress reports")[1]  # reported on time
    assert "Accepted for the platform" in page.text
    assert "Migration data and research" in page.text
    for email in (MEXICO, CHAIR, None):
        assert client_for(email).get("/partnerships/dashboard").status_code in (302, 403)


def test_the_project_page_with_offers_reports_and_documents_stays_within_the_query_budget(client_for, count_queries):
    project = _project("Developing Migration Profiles")
    for email in (SWITZERLAND, SU, None):
        with count_queries() as counter:
            page = client_for(email).get(f"/partnerships/projects/{project.id}")
        assert page.status_code == 200
        assert len(counter) <= 15, (email, counter.statements)
    assert "Four new profiles drafted" in page.text
    assert "Migration_profile_template" in page.text
