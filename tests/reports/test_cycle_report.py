"""The report of proceedings of a cycle, assembled from the data, as a page and as PDF."""

from __future__ import annotations

import pytest

from forum.reports import services
from forum.structure import services as structure


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
    assert len(counter) <= 15
