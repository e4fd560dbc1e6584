"""Throwaway databases for the test suite and the benchmark, made beside the one DATABASE_URL names."""

from __future__ import annotations

import sqlalchemy as sa


def fresh_postgres_database(url: str, suffix: str) -> str:
    """Drop and create `<database>_<suffix>` on the same server; returns its URL (password kept)."""
    base = sa.make_url(url)
    name = f"{base.database}_{suffix}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)
