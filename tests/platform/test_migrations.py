"""The migrations are the schema: empty -> head -> base -> head works, and the models match them exactly."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from forum.extensions import db
from forum.search.models import declared_by_models
from tests.conftest import alembic_config, fresh_database_url


@pytest.fixture
def empty_engine(app, tmp_path):
    url = fresh_database_url(tmp_path, "migrations")
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    yield engine
    engine.dispose()


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_one_linear_history():
    script = ScriptDirectory.from_config(alembic_config(None))
    assert len(script.get_heads()) == 1, "migrations must form one chain"


def test_upgrade_downgrade_upgrade(empty_engine):
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert _tables(empty_engine) >= set(db.metadata.tables)
    with empty_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert _tables(empty_engine) == set()
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert _tables(empty_engine) == set(db.metadata.tables)


def test_models_and_migrations_do_not_drift(empty_engine):
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with empty_engine.connect() as conn:
        opts = {"compare_type": True, "compare_server_default": True, "include_object": declared_by_models}
        context = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"autogenerate would change: {diff}"

