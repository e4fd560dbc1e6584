"""A reader switches the interface to Arabic from the foot of the page: the home page then reads right to left
with Bootstrap's RTL stylesheet (the brand on the right, the menu after it), the choice holds on the next page,
and the browser sees no error. Screenshots go to artifacts/ for a look."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


def test_the_arabic_home_page_reads_right_to_left(journey):
    page = journey.page
    journey.open("/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.locator("footer select[name=lang]").select_option("ar")
    page.locator("footer form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(href.endswith("/vendor/bootstrap/bootstrap.rtl.min.css") for href in sheets)
    assert not any(href.endswith("/vendor/bootstrap/bootstrap.min.css") for href in sheets)

    # the brand sits at the right of the bar and the menu runs leftwards from it
    width = page.viewport_size["width"]
    brand, cycles = _box(page, "nav .navbar-brand"), _box(page, "nav .nav-link >> nth=0")
    assert brand["x"] > width / 2
    assert cycles["x"] + cycles["width"] <= brand["x"]
    assert page.locator("nav .navbar-brand").inner_text() == "المنتدى العالمي"
    assert page.get_by_role("heading", name="دورات رئاسة المنتدى").is_visible()
    # the table reads from the right too: the year column comes first, at the right edge
    year_header, chair_header = _box(page, "main table th >> nth=0"), _box(page, "main table th >> nth=1")
    assert year_header["x"] > chair_header["x"]
    journey.shot("home")

    page.get_by_role("link", name="2010", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    journey.shot("cycle-2010")
    journey.open("/partnerships")
    assert page.get_by_role("heading", name="منصة الشراكات").is_visible()
    journey.shot("partnerships")

    # a phone-sized window: the menu folds behind the toggler, which sits at the left
    page.set_viewport_size({"width": 390, "height": 844})
    journey.open("/")
    toggler = _box(page, "nav .navbar-toggler")
    assert toggler["x"] < _box(page, "nav .navbar-brand")["x"]
    journey.shot("home-phone")
