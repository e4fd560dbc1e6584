"""The Platform for Partnerships at the large benchmark size: the generator's 2,000 projects (with offers and
reports) loaded into the test's transaction, then the similarity check timed and the catalogue's queries counted."""

from __future__ import annotations

import random
import time

import pytest
import sqlalchemy as sa

from forum.demo.scale import ScaleContext
from forum.directory.models import Country, Organisation
from forum.extensions import db
from forum.partnerships import services
from forum.partnerships.models import PartnershipProject, ProgressReport, ProjectOffer, ProjectState
from forum.partnerships.scale import generate_partnerships
from forum.structure.models import Body, ForumCycle


@pytest.fixture
def large(db_session) -> ScaleContext:
    def ids(model) -> list[int]:
        return list(db_session.scalars(sa.select(model.id).order_by(model.id)))

    context = ScaleContext(
        rng=random.Random(2010),
        factor=1.0,
        cycle_ids=ids(ForumCycle),
        country_ids=ids(Country),
        organisation_ids=ids(Organisation),
        person_ids=[],
        user_ids=[],
        body_ids=ids(Body),
    )
    started = time.monotonic()
    generate_partnerships(context)
    db_session.commit()
    assert time.monotonic() - started < 20  # bulk inserts, not one ORM object at a time
    return context


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_generator_gives_2000_projects_in_every_state_with_offers_and_reports(large):
    assert large.stats["pfp_projects"] == 2000
    assert _count(PartnershipProject) >= 2000
    states = set(db.session.scalars(sa.select(PartnershipProject.state).distinct()))
    assert states == set(ProjectState)
    assert _count(ProjectOffer) > 1000
    assert _count(ProgressReport) > 1000


def test_the_generator_is_deterministic(db_session):
    def titles(seed: int) -> list[str]:
        context = ScaleContext(random.Random(seed), 0.01, [1], [1, 2, 3], [1, 2, 3], [], [], [1])
        generate_partnerships(context)
        rows = db_session.scalars(sa.select(PartnershipProject.title).order_by(PartnershipProject.id.desc()).limit(20))
        return [t.rsplit(" (", 1)[0] for t in rows]

    first = titles(7)
    assert titles(7) == first


def test_the_similarity_check_answers_within_200_ms_at_2000_projects(large):
    probe = db.session.scalar(
        sa.select(PartnershipProject).where(PartnershipProject.state == ProjectState.SUBMITTED).limit(1)
    )
    services.similar_projects(probe)  # warm: the first call compiles the statement
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        found = services.similar_projects(probe)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.2, timings
    assert all(s.id != probe.id for s in found)


def test_the_catalogue_with_filters_stays_within_15_queries_at_2000_projects(large, client, count_queries):
    for url in (
        "/partnerships",
        "/partnerships?theme=T9&stage=implementation&need=partners&q=data",
        f"/partnerships?country={large.country_ids[5]}&page=3",
        f"/partnerships?organisation={large.organisation_ids[3]}",
    ):
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        assert len(counter) <= 15, (url, len(counter))
    page = client.get("/partnerships")
    assert "projects" in page.text
