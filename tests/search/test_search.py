"""The search box: finds by title and by text, shows each reader only what they may see, survives any input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.core.permissions import SYSTEM
from forum.directory import services as directory
from forum.directory.models import Organisation, OrganisationKind
from forum.extensions import db
from forum.papers import services as papers
from forum.papers.models import SessionDocument
from forum.search.models import SearchEntry
from forum.search.registry import SOURCES

UNPUBLISHED_PAPER = "Recognising skills across borders: background paper (demonstration)"
DRAFT_PROJECT = "Recruitment cost calculator for migrant workers"  # Philippines leads, Mexico co-proposes


def _page(client, **args) -> str:
    response = client.get("/search", query_string=args)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_search_box_is_in_every_page_and_works_without_javascript(client):
    page = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in page
    assert 'method="get"' in page


def test_finds_a_session_by_its_title_and_groups_results_by_kind(client):
    page = _page(client, q="recruitment fees")
    assert "Recruitment fees paid by employers, not migrants" in page
    assert "Roundtable sessions" in page


def test_finds_a_published_paper_by_the_words_of_its_text(client):
    page = _page(client, q="stale")  # only in the text of the concept note, not in its title
    assert "Migration profiles that governments keep up to date: concept note (demonstration)" in page
    assert "<mark>stale</mark>" in page


def test_finds_organisations_and_people(client):
    page = _page(client, q="Puebla Process")  # an alias of the Regional Conference on Migration
    assert "Regional Conference on Migration" in page
    assert "Hugo Rodríguez Nicolat" in _page(client, q="technical secretary", kind="people")  # by title


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),
        ("focal.philippines@example.org", False),  # asked to join the session's team, not accepted
        ("focal.mexico@example.org", True),  # co-chairs the session
        ("support@example.org", True),
    ],
)
def test_an_unpublished_paper_shows_only_to_those_who_may_read_it(client_for, who, sees):
    page = _page(client_for(who), q="diploma")  # a word of the draft's text
    assert (UNPUBLISHED_PAPER in page) is sees
    if not sees:
        assert 'id="group-papers"' not in page  # not even a count of hidden papers
        assert "Nothing matches" in page


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),
        ("focal.morocco@example.org", False),
        ("focal.switzerland@example.org", False),
        ("support@example.org", False),  # a draft is private to its proposers, even to the Support Unit
        ("focal.philippines@example.org", True),
        ("focal.mexico@example.org", True),
    ],
)
def test_a_draft_project_shows_only_to_its_proposing_governments(client_for, who, sees):
    page = _page(client_for(who), q="calculator")
    assert (DRAFT_PROJECT in page) is sees
    assert ('id="group-projects"' in page) is sees


def test_published_projects_show_to_anyone(client):
    assert "Developing Migration Profiles" in _page(client, q="migration profiles", kind="projects")


def test_one_kind_is_paginated(client, monkeypatch):
    from forum.search import services

    monkeypatch.setattr(services, "PER_PAGE", 3)
    first = _page(client, q="migration", kind="people")
    assert "Page 1 of" in first
    second = _page(client, q="migration", kind="people", page="2")
    assert "Page 2 of" in second
    assert _page(client, q="migration", kind="people", page="999999")  # past the end: the last page


def test_an_unknown_kind_is_not_found(client):
    assert client.get("/search", query_string={"q": "migration", "kind": "secrets"}).status_code == 404


HOSTILE = [
    '"',
    '""',
    "'",
    "AND",
    "migration AND",
    "OR NOT migration",
    "NEAR(",
    "NEAR(migration profiles, 2)",
    "*",
    "migra*",
    "title:migration",
    "^migration",
    "-migration",
    "(migration",
    "migration)",
    "{title body}: x",
    "'; DROP TABLE search_entries; --",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    "migration\x00profiles",
    "😀 migración",
    "a" * 5000,
    "migration " * 500,
    " ",
    "",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_input_is_answered_never_a_500(client, raw):
    for kind in (None, "papers"):
        args = {"q": raw} | ({"kind": kind} if kind else {})
        response = client.get("/search", query_string=args)
        assert response.status_code == 200, (raw[:40], kind, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_operators_are_words_not_syntax(client):
    """Quotes, stars and brackets do not break the query: the words among them are still searched for."""
    assert "Developing Migration Profiles" in _page(client, q='"migration (profiles*')


def test_the_index_follows_a_renamed_organisation(client, db_session):
    org = db_session.scalar(sa.select(Organisation).where(Organisation.acronym == "MPI"))
    directory.update_organisation(
        SYSTEM, org, version_id=org.version_id, name="Institute of Quokka Studies", acronym="IQS",
        kind=org.kind, country_id=org.country_id, aliases="",
    )
    assert "Institute of Quokka Studies" in _page(client, q="quokka")
    assert "Migration Policy Institute" not in _page(client, q="migration policy institute")


def test_a_new_version_of_a_paper_is_searchable_by_its_text(client_for, db_session):
    paper = db_session.scalar(sa.select(SessionDocument).where(SessionDocument.title == UNPUBLISHED_PAPER))
    papers.add_version(SYSTEM, paper, text="Who accredits the zanzibarite welders?")
    assert UNPUBLISHED_PAPER in _page(client_for("support@example.org"), q="zanzibarite")
    assert UNPUBLISHED_PAPER not in _page(client_for("support@example.org"), q="diploma")  # the older text


def test_a_deleted_record_leaves_the_results_at_once(client, db_session):
    org = Organisation(name="Zorblat Liaison Office", kind=OrganisationKind.CIVIL_SOCIETY)
    db_session.add(org)
    db_session.flush()
    assert "Zorblat Liaison Office" in _page(client, q="zorblat")
    db_session.delete(org)
    db_session.flush()
    assert db_session.scalar(sa.select(sa.func.count()).where(SearchEntry.title == "Zorblat Liaison Office")) == 0
    assert "Zorblat Liaison Office" not in _page(client, q="zorblat")


def test_a_search_costs_a_fixed_handful_of_queries(client_for, count_queries):
    signed_in = client_for("support@example.org")
    signed_in.get("/search?q=x")  # the principal and the mirror check are read once
    for query in ("migration", "skills diploma", "migration", "profiles"):
        with count_queries() as counter:
            assert signed_in.get("/search", query_string={"q": query}).status_code == 200
        assert len(counter) <= 15, counter.statements
    with count_queries() as counter:
        signed_in.get("/search", query_string={"q": "migration", "kind": "people"})
    assert len(counter) <= 15


def test_every_source_is_in_the_index(db_session):
    kinds = set(db_session.scalars(sa.select(SearchEntry.kind).distinct()))
    assert kinds == set(SOURCES)


def test_the_full_text_index_of_the_database_is_in_place(db_session):
    if db.session.get_bind().dialect.name == "postgresql":
        inspector = sa.inspect(db.session.connection())
        assert "ix_search_entries_vector" in {i["name"] for i in inspector.get_indexes("search_entries")}
        assert "search_vector" in {c["name"] for c in inspector.get_columns("search_entries")}
    else:
        assert db_session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'search_fts'")) == 1


def test_finds_an_outcome_by_the_words_of_its_text_and_links_to_it(client):
    page = _page(client, q="censuses administrative", kind="outcomes")
    assert "Surveys, administrative data and a review of the 1998 statistics recommendations" in page
    assert 'href="/outcomes/2014-HLD-31"' in page


@pytest.mark.parametrize(
    ("who", "sees"),
    [(None, False), ("focal.mexico@example.org", False), ("chair@example.org", True), ("support@example.org", True)],
)
def test_an_unpublished_outcome_shows_only_to_those_who_record_and_review_outcomes(client_for, db_session, who, sees):
    from forum.outcomes.models import Outcome

    outcome = db_session.scalar(sa.select(Outcome).where(Outcome.reference == "2014-HLD-31"))
    outcome.published_at = None
    db_session.flush()  # the index follows on flush; visibility is decided at search time
    response = client_for(who).get("/search", query_string={"q": "censuses administrative"})
    assert ("Surveys, administrative data and a review" in response.get_data(as_text=True)) is sees
