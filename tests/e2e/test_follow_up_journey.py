"""The Chair reviews follow-up and asks for an update; the owning government's focal point sees the request and
answers it with a progress report."""

from __future__ import annotations

import pytest

from forum.core.dates import today

pytestmark = pytest.mark.e2e

COMMENT = "Please tell us how the West African course went."
ACTION = "Run the child protection training for West African border officials (demonstration)"


def test_the_chair_reviews_follow_up_and_a_focal_point_answers_the_request(journey):
    page = journey.page
    year = today().year
    journey.sign_in("chair@example.org")
    journey.open(f"/cycles/{year}/follow-up/review")
    page.get_by_label("Roundtable", exact=True).select_option("1")
    page.get_by_role("button", name="Filter").click()
    assert "roundtable=1" in page.url
    # both charts are drawn by Chart.js (the journey fails on any console error on the way)
    page.wait_for_function(
        "() => window.Chart && ['chart-status', 'chart-progress'].every(id => window.Chart.getChart(id))",
        timeout=5000,
    )
    assert page.get_by_role("link", name=ACTION[:60], exact=False).first.is_visible()
    journey.shot("review-filtered")

    page.get_by_label("Review of").select_option(label="2010-RT1.2-9 Protecting the most vulnerable first")
    page.get_by_label("Comment", exact=True).fill(COMMENT)
    page.get_by_label("Ask the owners of the open actions for an update").check()
    page.get_by_role("button", name="Record the review").click()
    assert page.get_by_text("Review recorded").is_visible()
    assert page.get_by_text(COMMENT).first.is_visible()
    journey.shot("review-recorded")
    journey.sign_out()

    journey.sign_in("focal.mexico@example.org")
    journey.open("/follow-up/ours")
    assert page.get_by_role("heading", name="The Chair asks for an update").is_visible()
    assert page.get_by_text(COMMENT).is_visible()
    journey.shot("our-follow-up")
    page.get_by_role("link", name="2010-RT1.2-9: Run the child protection training").first.click()
    page.get_by_label("Status", exact=True).select_option("in_progress")
    page.get_by_label("Progress (%)").fill("75")
    page.get_by_label("Note", exact=True).fill("The second course was held in Dakar; a third is planned.")
    page.get_by_role("button", name="Add the report").click()
    assert page.get_by_text("Progress reported").is_visible()
    assert page.get_by_text("The second course was held in Dakar").is_visible()
    journey.shot("progress-reported")
    journey.open("/follow-up/ours")
    assert page.get_by_text(COMMENT).count() == 0
