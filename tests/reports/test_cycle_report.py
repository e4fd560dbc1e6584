"""The report of proceedings of a cycle, assembled from the data, as a page and as PDF."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from forum.core.dates import today
from forum.reports import services
from forum.structure import services as structure
from tests.e2e.conftest import ARTIFACTS

SECTIONS = (
    "The cycle",
    "The bodies and their members",
    "The programme of the summit",
    "Roundtables and sessions",
    "Outcomes and their follow-up",
    "Platform for Partnerships",
)


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_2010_report_holds_the_cycle_its_office_holders_and_its_bodies(client):
    text = client.get("/cycles/2010/report").get_data(as_text=True)
    assert "Report of proceedings of the 2010 cycle, chaired by Mexico" in text
    assert "Contents" in text
    assert "Juan Manuel Gómez Robledo" in text
    assert "Steering Group" in text
    assert "Switzerland" in text  # next in the Troika


def test_the_pdf_has_a_cover_contents_and_numbered_pages(app, client):
    response = client.get("/cycles/2010/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    with app.test_request_context():
        document = services.render_document(services.cycle_report_html(structure.cycle_by_year(2010)))
    assert len(document.pages) >= 3  # cover, contents, a page per section


def test_the_report_reads_static_files_and_cannot_reach_anything_else(app):
    with app.test_request_context():
        assert services._static_file("file:///static/css/report.css").name == "report.css"
        for url in ("http://example.org/x.css", "file:///etc/passwd", "file:///static/../../config/settings.py",
                    "https://169.254.169.254/latest"):
            with pytest.raises(ValueError, match="may not fetch"):
                services._static_file(url)


def test_an_unknown_cycle_has_no_report(client):
    assert client.get("/cycles/1999/report.pdf").status_code == 404


def test_the_report_page_keeps_its_query_budget(client, count_queries):
    with count_queries() as counter:
        assert client.get("/cycles/2010/report").status_code == 200
    # a fixed number per section (about four each), whatever the number of sessions, outcomes or projects
    assert len(counter) <= 32


def test_the_2010_pdf_has_every_section_with_the_facts_of_the_cycle(client):
    text = _pdf_text(client.get("/cycles/2010/report.pdf").data)
    contents = text[text.index("Contents"):]
    for title in SECTIONS:
        assert title in contents
    for fact in (
        "2010-RT2.1 · Reducing the costs of migration",  # a session, with its co-chairs (L437)
        "Sri Lanka; Sweden; United Arab Emirates",
        "Working session on the Platform for Partnerships",  # the programme
        "2010-RT1.2-3",  # an outcome
        "Developing Migration Profiles",  # a kick-off project of the PfP, with its partners
        "International Organization for Migration (Implementer)",
    ):
        assert fact in text, fact
    assert "GFMD 2010 — report of proceedings · 3 /" in text  # the footer numbers the pages


def test_the_report_shows_what_is_public_and_nothing_else(client):
    text = client.get(f"/cycles/{today().year}/report").get_data(as_text=True)
    assert "Migration profiles that governments keep up to date: concept note (demonstration)" in text
    assert "Pension portability toolkit" in text  # accepted and published
    assert "Recognising skills across borders: background paper (demonstration)" not in text  # unpublished paper
    assert "Recruitment cost calculator for migrant workers" not in text  # a draft project
    assert "Regional migration data dashboards" not in text  # under review


def test_the_follow_up_report_and_a_session_brief_render_as_pdf(client):
    follow_up = client.get("/cycles/2010/follow-up/report.pdf")
    assert follow_up.mimetype == "application/pdf"
    text = _pdf_text(follow_up.data)
    assert "GFMD 2010 — follow-up report" in text
    assert "actions under" in text
    assert "Contents" not in text  # one section needs no table of contents
    brief = client.get("/sessions/2010-RT2.1/brief.pdf")
    text = _pdf_text(brief.data)
    assert "2010-RT2.1 — session brief" in text
    assert "Sri Lanka; Sweden; United Arab Emirates" in text
    assert "2010-RT2.1-1" in text
    assert client.get("/sessions/2010-RT9.9/brief.pdf").status_code == 404
    assert client.get("/cycles/1999/follow-up/report.pdf").status_code == 404


def test_a_page_of_the_pdf_rendered_to_png_looks_like_the_cover(client):
    """The cover: white A4 with the forum's blue band across it (saved for CI's artefacts)."""
    page = pdfium.PdfDocument(client.get("/cycles/2010/report.pdf").data)[0]
    image = page.render(scale=1).to_pil().convert("RGB")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    pixels = list(image.get_flattened_data())
    band = sum(1 for r, g, b in pixels if abs(r - 0x0B) < 12 and abs(g - 0x4F) < 12 and abs(b - 0x6C) < 12)
    white = sum(1 for pixel in pixels if pixel == (255, 255, 255))
    assert 0.03 < band / len(pixels) < 0.4, band / len(pixels)
    assert white / len(pixels) > 0.5
    ARTIFACTS.mkdir(exist_ok=True)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    (ARTIFACTS / "report-2010-cover.png").write_bytes(buffer.getvalue())


def test_an_arabic_report_reads_right_to_left(client):
    client.set_cookie("lang", "ar")
    assert 'dir="rtl"' in client.get("/cycles/2010/report").get_data(as_text=True)
    client.set_cookie("lang", "fr")
    assert 'dir="ltr"' in client.get("/cycles/2010/report").get_data(as_text=True)
