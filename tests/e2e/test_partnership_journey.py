"""A government puts a project on the Platform for Partnerships, through screening and review to publication."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

TITLE = "Seasonal workers' rights handbook for employers"


def test_a_government_submits_a_project_through_to_publication(journey):
    page = journey.page
    journey.expect_status(422)  # a refused submission comes back with its reasons
    journey.sign_in("focal.mexico@example.org")
    journey.open("/partnerships/projects/new")
    page.get_by_label("Title").fill(TITLE)
    journey.shot("draft-form")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_role("heading", name=TITLE).is_visible()
    page.get_by_role("button", name="Submit for screening").click()
    assert page.get_by_text("Describe the project in a summary.").first.is_visible()
    journey.shot("submission-refused")

    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Summary").fill(
        "A short handbook for employers of seasonal workers on the rights those workers hold, written with "
        "the governments of origin and destination and tested with three employers' associations."
    )
    page.get_by_label("Objectives").fill("Fewer abuses of seasonal workers; clearer duties for employers.")
    page.get_by_label("Themes").select_option(["T2", "T3"])
    page.get_by_label("Stage").select_option("design")
    page.get_by_label("Starts").fill("2027-01-15")
    page.get_by_label("Partners sought").fill("Two destination governments and an employers' federation.")
    page.get_by_label("Contact person").fill("Lucía Herrera")
    page.get_by_label("Contact e-mail").fill("focal.mexico@example.org")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for screening").click()
    assert page.get_by_text("Submitted").first.is_visible()
    journey.shot("submitted")
    journey.sign_out()

    journey.sign_in("support@example.org")
    journey.open("/partnerships/screening")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start screening").click()
    body = page.locator("#body_id option", has_text="Protecting and Empowering Migrants").get_attribute("value")
    page.get_by_label("Reviewing body").select_option(body)
    page.get_by_role("button", name="Route to this body").click()
    journey.shot("routed")
    page.get_by_label("Decision", exact=True).select_option("accepted")
    page.get_by_label("Progress reports every (months)").fill("6")
    page.get_by_label("Where the body took this decision").fill("Working group call of 20 January")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Publish the decision and notify the proposers").click()
    journey.shot("published")
    journey.sign_out()

    journey.open("/partnerships?q=seasonal")
    assert page.get_by_role("link", name=TITLE).is_visible()
    journey.shot("in-the-catalogue")
