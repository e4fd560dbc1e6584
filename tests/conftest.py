"""Test set-up: one migrated database per xdist worker, the demo data loaded once, each test rolled back.

The schema comes from `alembic upgrade head`, as in production. Each test runs inside an outer transaction
on one connection; services' commits only release SAVEPOINTs (`join_transaction_mode="create_savepoint"`), so
the real commit path runs and the outer rollback undoes it all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from config.settings import ROOT, TestConfig
from forum import create_app
from forum.core.testing import ForumTestClient
from forum.demo.databases import fresh_postgres_database
from forum.extensions import db

DEMO_PASSWORD = "demo-password"


CONFIGURED_DATABASE_URL = os.environ.get("DATABASE_URL", "")


def fresh_database_url(tmp_root, purpose: str = "test") -> str:
    """An empty database for this xdist worker: a SQLite file, or a new PostgreSQL database beside DATABASE_URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if CONFIGURED_DATABASE_URL.startswith("postgresql"):
        return fresh_postgres_database(CONFIGURED_DATABASE_URL, f"{purpose}_{worker}")
    return f"sqlite:///{tmp_root / f'{purpose}-{worker}.sqlite'}"


def alembic_config(connection) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["connection"] = connection
    cfg.attributes["configure_logger"] = False
    return cfg


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp_root = tmp_path_factory.mktemp("forum")
    os.environ["FORUM_INSTANCE_PATH"] = str(tmp_root / "instance")
    os.environ["DATABASE_URL"] = fresh_database_url(tmp_root)
    settings = TestConfig()
    settings.WTF_CSRF_ENABLED = False
    settings.MAIL_DISPATCH_AFTER_COMMIT = False
    settings.SIGN_IN_RATE_LIMIT = "1000 per minute"  # the rate-limit test lowers it for itself
    settings.SERVER_NAME = "localhost"
    app = create_app(settings)
    app.test_client_class = ForumTestClient
    with app.app_context():
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
        from forum.demo import loader

        loader.load_demo()
        db.session.remove()
    return app


@pytest.fixture
def db_session(app) -> Iterator:
    """The per-test transaction: everything the test and the app write is rolled back afterwards."""
    with app.app_context():
        engine = db.engine
        conn = engine.connect()
        outer = conn.begin()
        engines = db.engines
        saved = engines[None]
        engines[None] = conn
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield db.session
        finally:
            db.session.remove()
            engines[None] = saved
            outer.rollback()
            conn.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def demo_user(db_session):
    """Look up a demo account by e-mail: demo_user("support@example.org")."""
    from forum.directory.models import User

    def lookup(email: str) -> User:
        return db_session.scalars(sa.select(User).where(User.email == email)).one()

    return lookup


@pytest.fixture
def client_for(app, db_session, demo_user):
    """A test client signed in as the given demo account (or anonymous for None)."""

    def make(email: str | None):
        if email is None:
            return app.test_client()
        return app.test_client(user=demo_user(email))

    return make


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db_session):
    """`with count_queries() as counter:` records every SQL statement sent inside the block."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO", "BEGIN")):
                counter.statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting
