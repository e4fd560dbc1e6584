"""Journeys through the operating structure and accounts, in headless Chromium."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from forum.core.outbox import MailMessage
from forum.extensions import db

pytestmark = pytest.mark.e2e


def test_a_visitor_follows_the_2010_cycle_and_its_bodies(journey):
    page = journey.page
    journey.open("/")
    assert page.get_by_role("heading", name="The Forum's chairmanship cycles").is_visible()
    journey.shot("home")
    page.get_by_role("link", name="2010", exact=True).click()
    assert page.get_by_role("heading", name="2010, chaired by Mexico").is_visible()
    troika = page.locator(".card")
    assert troika.nth(0).inner_text().count("Greece") == 1
    assert troika.nth(2).inner_text().count("Switzerland") == 1
    journey.shot("cycle-2010")
    journey.open("/bodies")
    page.get_by_role("link", name=re.compile("^Extended Troika")).first.click()
    page.get_by_label("Members on").fill("2010-12-01")
    page.get_by_role("button", name="Show").click()
    members = page.locator("section").first.inner_text()
    for country in ("Belgium", "Philippines", "Greece", "Switzerland", "Sweden"):
        assert country in members
    assert "Spain" not in members
    assert "Morocco" not in members
    journey.shot("extended-troika-2010-12-01")
    journey.open("/countries/ma")
    roles = page.locator("table").inner_text()
    assert "Steering Group" in roles
    assert "Withdrew" in roles
    assert "Co-chair" in roles
    journey.shot("morocco")


def test_the_support_unit_invites_a_focal_point_who_opens_the_account(journey, live_app):
    page = journey.page
    journey.sign_in("support@example.org")
    journey.open("/accounts/invite")
    page.get_by_label("Person").select_option(label="Socorro Flores Liera")
    page.get_by_label("E-mail").fill("s.flores@example.org")
    page.get_by_label("Acts for the government of").fill("Mexico")
    page.get_by_label("Body of role 1").select_option(label="Friends of the Forum")
    page.get_by_label("Role 1", exact=True).select_option(label="Focal point")
    journey.shot("invite-form")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("is invited").is_visible()
    journey.shot("accounts")
    journey.open("/notifications/outbox")
    assert page.get_by_text("Your account on the GFMD Forum").first.is_visible()
    journey.shot("outbox")
    journey.sign_out()

    with live_app.app_context():
        body = db.session.scalars(
            sa.select(MailMessage.body_text).where(MailMessage.recipient == "s.flores@example.org")
        ).one()
    link = re.search(r"https?://\S+/welcome/\S+", body).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a-long-new-password")
    page.get_by_label("New password again").fill("a-long-new-password")
    journey.shot("welcome")
    page.get_by_role("button", name="Set my password").click()
    assert page.get_by_role("heading", name="My account").is_visible()
    assert "Focal point" in page.locator("table").first.inner_text()  # the current roles come first
    journey.shot("profile")
    journey.expect_status(410)
    page.goto(link)
    assert page.get_by_text("already been used").is_visible()


def test_the_support_unit_is_told_what_is_wrong_and_nothing_is_saved(journey):
    page = journey.page
    journey.sign_in("support@example.org")
    journey.expect_status(422)  # a refused form comes back with 422 Unprocessable Entity
    journey.open("/cycles/new")
    page.get_by_label("Year", exact=True).fill("2010")
    page.get_by_label("Chairing government").fill("Atlantis")
    page.get_by_label("Chair-year starts").fill("2010-01-01")
    page.get_by_label("Chair-year ends").fill("2009-12-31")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Unknown country").is_visible()
    journey.shot("cycle-form-errors")
    page.get_by_label("Chairing government").fill("Ghana")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("already has a chair").is_visible()
    assert page.get_by_text("cannot end before it starts").is_visible()
    journey.shot("cycle-form-more-errors")
