"""Every route × every demo role: the expected answer, and never a 500.

Each endpoint in the URL map must be listed in ACCESS with the level of the people who may use it; a new
route without a line here fails `test_every_route_is_in_the_matrix`. The levels say what each role gets:
allowed roles get a page (GET) or a handled answer to an empty form (POST); everyone else is sent to sign in,
refused (403) or told it does not exist (404) — never shown the page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from forum.core.dates import today
from forum.core.outbox import MailMessage
from forum.directory.models import Country, Organisation, Person, User
from forum.extensions import db
from forum.meetings.models import AgendaItem, Invitation, Meeting
from forum.notifications.models import Notification, ReminderRule
from forum.partnerships.models import PartnershipProject, ProjectAttachment, ProjectOffer, ProjectPartner
from forum.roundtables.models import ChecklistTemplateItem, Roundtable, SessionRole
from forum.structure.models import Body, BodyKind, Membership

ROLES = {
    "anonymous": None,
    "support_unit": "support@example.org",
    "chair_team": "chair@example.org",
    "focal_mexico": "focal.mexico@example.org",
    "focal_philippines": "focal.philippines@example.org",
}

SIGNED_IN = {"support_unit", "chair_team", "focal_mexico", "focal_philippines"}
REFUSED = {302, 401, 403, 404}  # sent to sign in, asked for an API token, forbidden, or hidden
HANDLED_POST = {200, 302, 303, 400, 404, 409, 410, 422}  # an empty or wrong form is answered, not crashed

# access level -> the roles that may use the route
LEVELS: dict[str, set[str]] = {
    "public": set(ROLES),
    "signed_in": SIGNED_IN,
    "support_unit": {"support_unit"},
    # roundtables: the demo session 2026-RT1.1 is co-chaired by Mexico; the Philippines asked to join it
    "rt_preparer": {"support_unit", "chair_team", "focal_mexico"},  # sees the session's checklist
    "rt_co_chair": {"support_unit", "focal_mexico"},  # owns its co-chairs' items, decides on requests
    "rt_requester": {"support_unit", "focal_philippines"},  # the Philippines' own request
    # partnerships: the demo draft led by the Philippines, with Mexico asked to co-propose it
    "pfp_proposers": {"focal_philippines", "focal_mexico"},
    "focal_points": {"focal_philippines", "focal_mexico"},
    "pfp_co_proposer": {"focal_mexico"},  # only a co-proposer still to confirm may confirm
    # the Philippines' pending offer to Mexico's published project on unaccompanied children: Mexico answers it
    "pfp_offer_answerer": {"focal_mexico"},
    "api_token": set(),  # only a personal API token opens it, never a browser session
    "mexico_invitee": {"support_unit", "focal_mexico"},  # Mexico's own invitation: its focal point and the SU
    "secret_address": set(),  # a made-up personal feed address is not found, whoever asks
    # outcomes: the demo action is Mexico's (with Morocco); the review is the Support Unit's and the Chair team's
    "follow_up_reporter": {"support_unit", "focal_mexico"},
    "chair_or_support_unit": {"support_unit", "chair_team"},
}

# (endpoint, method) -> access level. Every route of the application is listed.
ACCESS: dict[tuple[str, str], str] = {
    # core
    ("core.hello", "GET"): "public",
    ("core.language_set", "POST"): "public",
    ("core.audit_log", "GET"): "support_unit",
    # auth: signing in, one-time links, one's own account
    ("auth.sign_in", "GET"): "public",
    ("auth.sign_in", "POST"): "public",
    ("auth.sign_out", "POST"): "public",
    ("auth.password_forgot", "GET"): "public",
    ("auth.password_forgot", "POST"): "public",
    ("auth.password_reset", "GET"): "public",
    ("auth.password_reset", "POST"): "public",
    ("auth.welcome", "GET"): "public",
    ("auth.welcome", "POST"): "public",
    ("auth.profile", "GET"): "signed_in",
    ("auth.password_change", "POST"): "signed_in",
    ("auth.timezone_set", "POST"): "signed_in",
    ("auth.api_token_create", "POST"): "signed_in",
    ("auth.api_token_revoke", "POST"): "signed_in",
    # auth: the Support Unit's accounts
    ("auth.account_list", "GET"): "support_unit",
    ("auth.account_invite", "GET"): "support_unit",
    ("auth.account_invite", "POST"): "support_unit",
    ("auth.account_reinvite", "POST"): "support_unit",
    ("auth.account_active", "POST"): "support_unit",
    # structure
    ("structure.home", "GET"): "public",
    ("structure.cycle_detail", "GET"): "public",
    ("structure.body_list", "GET"): "public",
    ("structure.body_detail", "GET"): "public",
    ("structure.body_export", "GET"): "public",
    ("structure.cycle_new", "GET"): "support_unit",
    ("structure.cycle_new", "POST"): "support_unit",
    ("structure.cycle_edit", "GET"): "support_unit",
    ("structure.cycle_edit", "POST"): "support_unit",
    ("structure.body_new", "GET"): "support_unit",
    ("structure.body_new", "POST"): "support_unit",
    ("structure.body_edit", "GET"): "support_unit",
    ("structure.body_edit", "POST"): "support_unit",
    ("structure.membership_new", "GET"): "support_unit",
    ("structure.membership_new", "POST"): "support_unit",
    ("structure.membership_edit", "GET"): "support_unit",
    ("structure.membership_edit", "POST"): "support_unit",
    # the JSON API (read-only, public)
    ("api.cycles", "GET"): "public",
    ("api.cycle", "GET"): "public",
    ("api.bodies", "GET"): "public",
    ("api.body_members", "GET"): "public",
    ("api.body_memberships", "GET"): "public",
    ("api.country_roles", "GET"): "public",
    ("api.organisations", "GET"): "public",
    ("api.openapi", "GET"): "public",
    ("api.me", "GET"): "api_token",
    ("api.docs", "GET"): "public",
    # the JSON API's roundtables, outcomes, PfP and meetings: public reads; a token's own view and its writes
    # need a personal token (a browser session opens nothing more there); the demo paper and PfP draft are hidden
    ("api.cycle_sessions", "GET"): "public",
    ("api.session", "GET"): "public",
    ("api.document", "GET"): "api_token",
    ("api.cycle_outcomes", "GET"): "public",
    ("api.outcome", "GET"): "public",
    ("api.action", "GET"): "public",
    ("api.action_updates", "POST"): "api_token",
    ("api.partnerships_catalogue", "GET"): "public",
    ("api.our_partnerships", "GET"): "api_token",
    ("api.partnership", "GET"): "api_token",
    ("api.partnership_reports", "POST"): "api_token",
    ("api.meeting_list", "GET"): "public",
    ("api.meeting", "GET"): "public",
    # meetings and the summit programme
    ("meetings.meeting_list", "GET"): "public",
    ("meetings.meeting_detail", "GET"): "public",
    ("meetings.attendance_export", "GET"): "public",
    ("meetings.programme", "GET"): "public",
    ("meetings.cycle_calendar", "GET"): "public",
    ("meetings.body_calendar", "GET"): "public",
    ("meetings.meeting_calendar", "GET"): "public",
    ("meetings.meeting_new", "GET"): "support_unit",
    ("meetings.meeting_new", "POST"): "support_unit",
    ("meetings.meeting_edit", "GET"): "support_unit",
    ("meetings.meeting_edit", "POST"): "support_unit",
    ("meetings.meeting_status", "POST"): "support_unit",
    ("meetings.invitations_refresh", "POST"): "support_unit",
    ("meetings.guest_add", "POST"): "support_unit",
    ("meetings.attendance_record", "POST"): "support_unit",
    ("meetings.agenda_item_add", "POST"): "support_unit",
    ("meetings.agenda_item_move", "POST"): "support_unit",
    ("meetings.agenda_item_delete", "POST"): "support_unit",
    ("meetings.agenda_publish", "POST"): "support_unit",
    ("meetings.minutes_save", "POST"): "support_unit",
    ("meetings.minutes_transition", "POST"): "support_unit",
    ("meetings.decision_add", "POST"): "support_unit",
    ("meetings.programme_role_add", "POST"): "support_unit",
    ("meetings.invitation_reply", "POST"): "mexico_invitee",
    ("meetings.personal_calendar", "GET"): "signed_in",
    ("meetings.personal_calendar_reset", "POST"): "signed_in",
    ("meetings.personal_feed", "GET"): "secret_address",
    # reports
    ("reports.cycle_report", "GET"): "public",
    ("reports.cycle_report_pdf", "GET"): "public",
    ("reports.follow_up_report_pdf", "GET"): "public",
    ("reports.session_brief_pdf", "GET"): "public",
    # search: one page for everyone, each reader's results filtered by what they may see (tests/search)
    ("search.results", "GET"): "public",
    # directory
    ("directory.country_list", "GET"): "public",
    ("directory.country_detail", "GET"): "public",
    ("directory.organisation_list", "GET"): "public",
    ("directory.organisation_detail", "GET"): "public",
    ("directory.person_list", "GET"): "public",
    ("directory.person_detail", "GET"): "public",
    ("directory.organisation_new", "GET"): "support_unit",
    ("directory.organisation_new", "POST"): "support_unit",
    ("directory.organisation_edit", "GET"): "support_unit",
    ("directory.organisation_edit", "POST"): "support_unit",
    ("directory.person_new", "GET"): "support_unit",
    ("directory.person_new", "POST"): "support_unit",
    ("directory.person_edit", "GET"): "support_unit",
    ("directory.person_edit", "POST"): "support_unit",
    # roundtables and papers
    ("roundtables.roundtables_current", "GET"): "public",
    ("roundtables.roundtable_list", "GET"): "public",
    ("roundtables.team_matrix_export", "GET"): "public",
    ("roundtables.session_detail", "GET"): "public",
    ("roundtables.roundtable_new", "GET"): "support_unit",
    ("roundtables.roundtable_new", "POST"): "support_unit",
    ("roundtables.roundtable_edit", "GET"): "support_unit",
    ("roundtables.roundtable_edit", "POST"): "support_unit",
    ("roundtables.session_new", "GET"): "support_unit",
    ("roundtables.session_new", "POST"): "support_unit",
    ("roundtables.session_edit", "GET"): "support_unit",
    ("roundtables.session_edit", "POST"): "support_unit",
    ("roundtables.role_add", "POST"): "support_unit",
    ("roundtables.role_delete", "POST"): "support_unit",
    ("roundtables.team_add", "POST"): "support_unit",
    ("roundtables.team_close", "POST"): "support_unit",
    ("roundtables.team_sign_up", "POST"): "signed_in",  # each focal point for its own government (tests/roundtables)
    ("roundtables.team_withdraw", "POST"): "rt_requester",
    ("roundtables.team_accept", "POST"): "rt_co_chair",
    ("roundtables.team_decline", "POST"): "rt_co_chair",
    ("roundtables.template_list", "GET"): "support_unit",
    ("roundtables.template_new", "GET"): "support_unit",
    ("roundtables.template_new", "POST"): "support_unit",
    ("roundtables.template_edit", "GET"): "support_unit",
    ("roundtables.template_edit", "POST"): "support_unit",
    ("roundtables.checklist_item_detail", "GET"): "rt_preparer",
    ("roundtables.checklist_item_evidence", "GET"): "rt_preparer",
    ("roundtables.checklist_item_done", "POST"): "rt_co_chair",
    ("roundtables.checklist_item_not_applicable", "POST"): "rt_co_chair",
    ("roundtables.checklist_item_reopen", "POST"): "rt_co_chair",
    ("roundtables.board", "GET"): "support_unit",
    ("roundtables.board_export", "GET"): "support_unit",
    # papers: the demo background paper of 2026-RT1.1, in team review, its second version has a file
    ("papers.document_detail", "GET"): "rt_preparer",
    ("papers.version_download", "GET"): "rt_preparer",
    ("papers.comment_add", "POST"): "rt_preparer",
    ("papers.document_transition", "POST"): "rt_preparer",  # an unknown step is a 409 for whoever may see it
    ("papers.version_add", "POST"): "rt_co_chair",
    ("papers.document_new", "GET"): "support_unit",  # for 2010-RT2.1, whose co-chairs have no demo account
    ("papers.document_new", "POST"): "support_unit",
    # partnerships
    ("partnerships.catalogue", "GET"): "public",
    ("partnerships.catalogue_export", "GET"): "public",
    ("partnerships.project_detail", "GET"): "pfp_proposers",
    ("partnerships.project_new", "GET"): "focal_points",
    ("partnerships.project_new", "POST"): "focal_points",
    ("partnerships.project_edit", "GET"): "pfp_proposers",
    ("partnerships.project_edit", "POST"): "pfp_proposers",
    ("partnerships.project_confirm", "POST"): "pfp_co_proposer",
    ("partnerships.partner_add", "POST"): "pfp_proposers",
    ("partnerships.partner_remove", "POST"): "pfp_proposers",
    ("partnerships.project_submit", "POST"): "pfp_proposers",
    ("partnerships.project_screen", "POST"): "support_unit",
    ("partnerships.project_return", "POST"): "support_unit",
    ("partnerships.project_route", "POST"): "support_unit",
    ("partnerships.review_comment", "POST"): "support_unit",
    ("partnerships.project_decide", "POST"): "support_unit",
    ("partnerships.project_publish", "POST"): "support_unit",
    ("partnerships.our_projects", "GET"): "signed_in",
    ("partnerships.screening_queue", "GET"): "support_unit",
    # offers and reports need a published project: on the demo draft its proposers get the refusal message
    # (tests/partnerships covers published projects); everyone else does not learn the draft exists
    ("partnerships.offer_make", "POST"): "pfp_proposers",
    ("partnerships.offer_reply", "POST"): "pfp_offer_answerer",
    ("partnerships.report_submit", "POST"): "pfp_proposers",
    ("partnerships.attachment_add", "POST"): "pfp_proposers",
    ("partnerships.attachment_download", "GET"): "pfp_proposers",  # the demo draft's concept note
    ("partnerships.attachment_remove", "POST"): "pfp_proposers",
    ("partnerships.matching", "GET"): "focal_points",
    ("partnerships.dashboard", "GET"): "support_unit",
    # outcomes and follow-up
    ("outcomes.cycle_outcomes", "GET"): "public",
    ("outcomes.follow_up_export", "GET"): "public",
    ("outcomes.follow_up_print", "GET"): "public",
    ("outcomes.outcome_detail", "GET"): "public",
    ("outcomes.action_detail", "GET"): "public",
    ("outcomes.update_evidence", "GET"): "public",  # the evidence of a public report
    ("outcomes.update_add", "POST"): "follow_up_reporter",
    ("outcomes.outcome_new", "GET"): "support_unit",
    ("outcomes.outcome_new", "POST"): "support_unit",
    ("outcomes.outcome_edit", "GET"): "support_unit",
    ("outcomes.outcome_edit", "POST"): "support_unit",
    ("outcomes.outcomes_publish", "POST"): "support_unit",
    ("outcomes.statement_add", "POST"): "support_unit",
    ("outcomes.link_add", "POST"): "support_unit",
    ("outcomes.translation_save", "POST"): "support_unit",
    ("outcomes.action_new", "GET"): "support_unit",
    ("outcomes.action_new", "POST"): "support_unit",
    ("outcomes.carry_over", "GET"): "support_unit",
    ("outcomes.carry_over", "POST"): "support_unit",
    ("outcomes.review", "GET"): "chair_or_support_unit",
    ("outcomes.review_all", "GET"): "chair_or_support_unit",
    ("outcomes.review_add", "POST"): "chair_or_support_unit",
    ("outcomes.our_follow_up", "GET"): "focal_points",
    # notifications: one's own list, tasks and settings; the Support Unit's rules and outbox
    ("notifications.inbox", "GET"): "signed_in",
    ("notifications.notification_read", "POST"): "support_unit",  # the notification is the Support Unit's own
    ("notifications.notifications_read_all", "POST"): "signed_in",
    ("notifications.my_tasks", "GET"): "signed_in",
    ("notifications.preferences", "GET"): "signed_in",
    ("notifications.preferences", "POST"): "signed_in",
    ("notifications.preferences_by_token", "GET"): "public",  # a made-up link opens nothing (404)
    ("notifications.preferences_by_token", "POST"): "public",
    ("notifications.rule_list", "GET"): "support_unit",
    ("notifications.rule_new", "GET"): "support_unit",
    ("notifications.rule_new", "POST"): "support_unit",
    ("notifications.rule_edit", "GET"): "support_unit",
    ("notifications.rule_edit", "POST"): "support_unit",
    ("notifications.outbox", "GET"): "support_unit",
    ("notifications.outbox_resend", "POST"): "support_unit",
    ("notifications.outbox_pause", "POST"): "support_unit",
    # imports from CSV, beside the data they load: the Support Unit's only (tests/imports)
    ("imports.memberships_upload", "GET"): "support_unit",
    ("imports.memberships_upload", "POST"): "support_unit",
    ("imports.memberships_confirm", "POST"): "support_unit",
    ("imports.memberships_template", "GET"): "support_unit",
    ("imports.team_matrix_upload", "GET"): "support_unit",
    ("imports.team_matrix_upload", "POST"): "support_unit",
    ("imports.team_matrix_confirm", "POST"): "support_unit",
    ("imports.team_matrix_template", "GET"): "support_unit",
    ("imports.outcomes_upload", "GET"): "support_unit",
    ("imports.outcomes_upload", "POST"): "support_unit",
    ("imports.outcomes_confirm", "POST"): "support_unit",
    ("imports.outcomes_template", "GET"): "support_unit",
}


def _first(stmt) -> int:
    return db.session.scalar(stmt.limit(1))


def _demo_meeting() -> Meeting:
    """The demonstration cycle's upcoming Steering Group meeting: public, invitations sent, agenda published."""
    return db.session.scalar(sa.select(Meeting).where(Meeting.title.contains(f"second meeting of {today().year}")))


def _demo_paper():
    from forum.papers.models import SessionDocument

    return db.session.scalar(
        sa.select(SessionDocument).where(SessionDocument.title.startswith("Recognising skills across borders"))
    )


def _demo_rt11():
    from forum.roundtables.services import session_by_reference

    return session_by_reference(f"{today().year}-RT1.1")


def _demo_action():
    """The demonstration cycle's follow-up action that Mexico owns with Morocco, with a report's evidence file."""
    from forum.outcomes.models import FollowUpAction

    return db.session.scalar(
        sa.select(FollowUpAction).where(FollowUpAction.description.startswith("Run the child protection training"))
    )


# URL argument name -> how to find a real value in the demo data
ARGUMENTS: dict[str, Callable[[], object]] = {
    "year": lambda: 2010,
    "iso2": lambda: "ma",
    "body_id": lambda: _first(sa.select(Body.id).where(Body.kind == BodyKind.STEERING_GROUP)),
    "membership_id": lambda: _first(sa.select(Membership.id).order_by(Membership.id)),
    "organisation_id": lambda: _first(sa.select(Organisation.id).order_by(Organisation.id)),
    "person_id": lambda: _first(sa.select(Person.id).order_by(Person.id)),
    "country_id": lambda: _first(sa.select(Country.id).where(Country.iso2 == "MA")),
    "token": lambda: "not-a-real-token",
    "token_id": lambda: 1,
    "user_id": lambda: _first(sa.select(User.id).where(User.email == "focal.philippines@example.org")),
    "filename": lambda: "css/forum.css",
    "fmt": lambda: "csv",
    "meeting_id": lambda: _demo_meeting().id,
    "item_id": lambda: _first(
        sa.select(AgendaItem.id).where(AgendaItem.meeting_id == _demo_meeting().id, AgendaItem.position == 1)
    ),
    "direction": lambda: "up",
    "name": lambda: "no-such-transition",
    "invitation_id": lambda: _first(
        sa.select(Invitation.id)
        .where(Invitation.meeting_id == _demo_meeting().id, Invitation.member_key.startswith("government:"))
        .where(Invitation.country.has(name="Mexico"))
    ),
    "notification_id": lambda: (
        _first(
            sa.select(Notification.id)
            .where(Notification.user.has(email="support@example.org"))
            .order_by(Notification.id)
        )
        or 2**31 - 1
    ),
    "ref": lambda: "2010-RT2.1",
    "document_id": lambda: _demo_paper().id,
    "version_id": lambda: next(v.id for v in _demo_paper().versions if v.file_key),
    "roundtable_id": lambda: _first(sa.select(Roundtable.id).order_by(Roundtable.id)),
    "role_id": lambda: _first(sa.select(SessionRole.id).order_by(SessionRole.id)),
    "template_item_id": lambda: _first(sa.select(ChecklistTemplateItem.id).order_by(ChecklistTemplateItem.id)),
    "member_id": lambda: next(m.id for m in _demo_rt11().team if m.country and m.country.name == "Philippines"),
    "checklist_item_id": lambda: next(
        i.id for i in _demo_rt11().checklist if i.title == "Background paper: first draft"
    ),
    "project_id": lambda: _first(
        sa.select(PartnershipProject.id).where(
            PartnershipProject.title == "Recruitment cost calculator for migrant workers"
        )
    ),
    "partner_id": lambda: _first(sa.select(ProjectPartner.id).order_by(ProjectPartner.id)),
    "offer_id": lambda: _first(
        sa.select(ProjectOffer.id).where(
            ProjectOffer.project.has(title="Protecting Unaccompanied Migrant Children"),
            ProjectOffer.state == "pending",
        )
    ),
    "attachment_id": lambda: _first(
        sa.select(ProjectAttachment.id).where(
            ProjectAttachment.project.has(title="Recruitment cost calculator for migrant workers")
        )
    ),
    "rule_id": lambda: _first(sa.select(ReminderRule.id).order_by(ReminderRule.id)),
    "reference": lambda: "2010-RT2.1-1",
    "action_id": lambda: _demo_action().id,
    "update_id": lambda: next(u.id for u in _demo_action().updates if u.evidence_file_key),
    "message_id": lambda: _first(sa.select(MailMessage.id).order_by(MailMessage.id)) or 2**31 - 1,
}


def _routes(app) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return found


def _url(app, endpoint: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        if name not in ARGUMENTS:
            raise AssertionError(f"the matrix does not know a value for <{name}> in {rule.rule}")
        values[name] = ARGUMENTS[name]()
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def test_every_route_is_in_the_matrix(app):
    missing = [
        f"{endpoint} {method} {rule}"
        for endpoint, method, rule in _routes(app)
        if endpoint != "static" and (endpoint, method) not in ACCESS
    ]
    assert missing == [], "add these routes to ACCESS in the permission matrix"


def test_the_matrix_lists_no_route_that_is_gone(app):
    present = {(endpoint, method) for endpoint, method, _rule in _routes(app)}
    assert set(ACCESS) - present == set()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_what_its_level_allows(app, client_for, role):
    failures = []
    for (endpoint, method), level in sorted(ACCESS.items()):
        url = _url(app, endpoint)
        # a fresh client each time: one route (signing out, say) must not change what the next one sees
        response = client_for(ROLES[role]).open(url, method=method, data={})
        status = response.status_code
        allowed = role in LEVELS[level]
        if status >= 500:
            failures.append(f"{method} {url} as {role}: {status}")
        elif not allowed and status not in REFUSED:
            failures.append(f"{method} {url} as {role}: {status}, expected to be refused")
        elif allowed and method == "GET" and status not in {200, 302} | ({404, 410} if "token" in url else set()):
            failures.append(f"{method} {url} as {role}: {status}, expected the page")
        elif allowed and method != "GET" and status not in HANDLED_POST:
            failures.append(f"{method} {url} as {role}: {status}, expected a handled answer")
        elif not allowed and status == 302 and role != "anonymous":
            failures.append(f"{method} {url} as {role}: redirected, expected 403 or 404")
    assert failures == []
