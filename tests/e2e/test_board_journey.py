"""The preparation board in headless Chromium: the Support Unit marks an item done and sees the board change."""

from __future__ import annotations

import pytest

from forum.core.dates import today

pytestmark = pytest.mark.e2e


def test_the_support_unit_marks_an_item_done_on_the_board(journey):
    page = journey.page
    year = today().year
    journey.sign_in("support@example.org")
    journey.open(f"/cycles/{year}/board?state=overdue")
    assert page.get_by_role("heading", name=f"Preparation board {year}").is_visible()
    overdue = page.locator('#board a[data-state="overdue"]')
    assert overdue.count() == 1  # session 2.2 has not sent its concept note
    journey.shot("board-overdue")
    overdue.first.click()
    page.get_by_label("Note").fill("Concept note received by e-mail.")
    page.get_by_role("button", name="Done", exact=True).click()
    page.wait_for_load_state()
    assert "Marked done." in page.content()
    journey.open(f"/cycles/{year}/board?state=overdue")
    assert page.get_by_text("No session matches.").is_visible()
    journey.open(f"/cycles/{year}/board")
    assert page.locator('#board a[data-state="overdue"]').count() == 0
    journey.shot("board-after")
