"""The cache of what pages compute at length (forum.core.cache): kept while the database is unchanged, computed
again as soon as anything committed, whoever committed it, and never shared between readers who see differently.

These tests commit for real (the `app` fixture, not the rolled-back `db_session`: a transaction that wrote, as
every test's outer transaction does, bypasses the cache), and put back what they change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from forum.core import cache
from forum.directory.models import Organisation, User
from forum.extensions import db
from forum.outcomes.models import FollowUpAction, Outcome

CHAIR = "chair@example.org"
SUPPORT_UNIT = "support@example.org"
UNPUBLISHED_PAPER = "Recognising skills across borders: background paper (demonstration)"
#: a change to the data (SQLite writes nothing for an UPDATE that changes no value), and the one that undoes it
TOUCH = sa.text("UPDATE forum_cycles SET theme = theme || ' (touched)' WHERE year = 2010")
UNTOUCH = sa.text("UPDATE forum_cycles SET theme = replace(theme, ' (touched)', '') WHERE year = 2010")


def counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


@contextmanager
def another_process(app) -> Iterator[sa.Connection]:
    """A connection of its own that commits at the end of the block, as the worker or a CLI command would."""
    with app.app_context():
        engine = sa.create_engine(db.engine.url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def signed_in(app, email: str | None):
    if email is None:
        return app.test_client()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.remove()
    return app.test_client(user=user)


def test_a_value_is_computed_once_for_a_key_while_the_database_is_unchanged(app):
    calls, compute = counter()
    with app.app_context():
        assert cache.cached("test", "a", compute) == 1
        assert cache.cached("test", "a", compute) == 1
        assert cache.cached("test", "b", compute) == 2  # another key is another value
        db.session.remove()
    assert len(calls) == 2


def test_a_commit_by_another_process_moves_the_revision(app):
    with app.app_context():
        before = cache.revision()
        db.session.remove()
        with another_process(app) as connection:
            connection.execute(TOUCH)
        try:
            assert cache.revision() != before
        finally:
            db.session.remove()
            with another_process(app) as connection:
                connection.execute(UNTOUCH)


def test_a_commit_of_this_process_moves_the_revision(app):
    """Even read again on the connection that wrote (SQLite's data_version moves only for other connections)."""
    with app.app_context():
        db.engine.pool.dispose()  # the pool now holds only the connection the test uses
        before = cache.revision()
        db.session.remove()
        db.session.execute(TOUCH)
        db.session.commit()
        db.session.remove()
        try:
            assert cache.revision() != before
        finally:
            db.session.remove()
            db.session.execute(UNTOUCH)
            db.session.commit()
            db.session.remove()


def test_a_transaction_that_wrote_neither_reads_nor_fills_the_cache(app):
    """It reads its own uncommitted changes, which are nobody else's."""
    calls, compute = counter()
    with app.app_context():
        cache.cached("test-wrote", "a", compute)
        db.session.execute(TOUCH)
        assert cache.revision() is None
        assert cache.cached("test-wrote", "a", compute) == 2
        assert cache.cached("test-wrote", "a", compute) == 3
        db.session.rollback()
        db.session.remove()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL's revision moves with any write anywhere in the cluster, which other test workers make "
    "all the time; on SQLite nothing else writes to this worker's database",
)
def test_the_second_request_for_the_review_is_served_without_computing_it_again(app):
    client = signed_in(app, CHAIR)
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, *_args):
        statements.append(statement)

    first = client.get("/cycles/2010/follow-up/review").get_data(as_text=True)
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        second = client.get("/cycles/2010/follow-up/review").get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert not any(s.lstrip().startswith("WITH acts") for s in statements), "the summary was computed again"
    without_tokens = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"')
    assert without_tokens.sub("", first) == without_tokens.sub("", second)


def test_the_review_shows_a_change_committed_elsewhere_at_once(app):
    client = signed_in(app, CHAIR)
    page = client.get("/cycles/2010/follow-up/review").get_data(as_text=True)
    client.get("/cycles/2010/follow-up/review")  # now kept
    action_id = int(re.search(r'href="/follow-up/actions/(\d+)"', page).group(1))
    with app.app_context():
        original = db.session.scalar(sa.select(FollowUpAction.description).where(FollowUpAction.id == action_id))
        db.session.remove()
    update = sa.update(FollowUpAction).where(FollowUpAction.id == action_id)
    with another_process(app) as connection:
        connection.execute(update.values(description="Reworded by the worker a moment ago"))
    try:
        assert "Reworded by the worker a moment ago" in client.get("/cycles/2010/follow-up/review").get_data(
            as_text=True
        )
    finally:
        with another_process(app) as connection:
            connection.execute(update.values(description=original))


def test_a_search_kept_for_one_reader_is_never_shown_to_another_who_sees_less(app):
    assert UNPUBLISHED_PAPER in signed_in(app, SUPPORT_UNIT).get("/search?q=diploma").get_data(as_text=True)
    assert UNPUBLISHED_PAPER not in signed_in(app, None).get("/search?q=diploma").get_data(as_text=True)


def test_a_search_finds_a_record_renamed_after_the_same_search_was_kept(app):
    client = app.test_client()
    assert "Nothing matches" in client.get("/search?q=Quokkafield").get_data(as_text=True)
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.acronym == "IOM"))
        original, organisation.name = organisation.name, "Quokkafield Migration Observatory"
        db.session.commit()  # the index follows in the same transaction
        db.session.remove()
    try:
        assert "Quokkafield Migration Observatory" in client.get("/search?q=Quokkafield").get_data(as_text=True)
    finally:
        with app.app_context():
            db.session.scalar(sa.select(Organisation).where(Organisation.acronym == "IOM")).name = original
            db.session.commit()
            db.session.remove()


def test_a_cycle_list_kept_for_the_support_unit_is_never_shown_to_the_public(app):
    """The Support Unit sees unpublished outcomes and their actions; the list kept for it is not the public's."""
    reference = "2010-RT2.1-1"
    update = sa.update(Outcome).where(Outcome.reference == reference)
    with app.app_context():
        published_at = db.session.scalar(sa.select(Outcome.published_at).where(Outcome.reference == reference))
        db.session.remove()
    with another_process(app) as connection:
        connection.execute(update.values(published_at=None))
    try:
        assert reference in signed_in(app, SUPPORT_UNIT).get("/cycles/2010/outcomes").get_data(as_text=True)
        assert reference not in app.test_client().get("/cycles/2010/outcomes").get_data(as_text=True)
    finally:
        with another_process(app) as connection:
            connection.execute(update.values(published_at=published_at))
