"""The interface in the forum's working languages: English, French and Spanish."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("lang", "heading", "steering_group"),
    [
        ("en", "The Forum's chairmanship cycles", "Steering Group"),
        ("fr", "Les cycles de présidence du Forum", "Groupe de pilotage"),
        ("es", "Los ciclos de presidencia del Foro", "Grupo Directivo"),
    ],
)
def test_the_chosen_language_is_used_on_the_pages(client, lang, heading, steering_group):
    client.post("/language", data={"lang": lang, "next": "/"})
    assert heading in client.get("/").get_data(as_text=True)
    assert steering_group in client.get("/bodies").get_data(as_text=True)


def test_the_browser_language_is_used_until_one_is_chosen(client):
    page = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "Los ciclos de presidencia del Foro" in page


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", data={"lang": "xx", "next": "/"}).status_code == 400


def test_the_language_switch_only_returns_to_this_site(client):
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_an_arabic_page_reads_right_to_left_with_the_rtl_stylesheet(client):
    client.post("/language", data={"lang": "ar", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "دورات رئاسة المنتدى" in page
