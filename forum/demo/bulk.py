"""What every generator of the large data set shares: batched Core inserts and ids chosen ahead of the insert."""

from __future__ import annotations

import sqlalchemy as sa

from forum.extensions import db

BATCH = 5000


def bulk_insert(model: type, rows: list[dict]) -> None:
    """Core inserts in batches (every row of a list must have the same keys)."""
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[start : start + BATCH])


def first_free_id(model: type) -> int:
    """The id the next generated row of this table takes, so rows can refer to each other before the insert."""
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def sync_id_sequences(*models: type) -> None:
    """Rows inserted with their ids leave PostgreSQL's sequences behind; move them past the highest id."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        sequence = sa.func.pg_get_serial_sequence(model.__tablename__, "id")
        db.session.execute(sa.select(sa.func.setval(sequence, sa.select(sa.func.max(model.id)).scalar_subquery())))
