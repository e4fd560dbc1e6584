"""Keeping search_entries in step with the records: on every flush, and in full on demand.

The index is written from a SQLAlchemy `after_flush` hook rather than from each area's services: whatever
writes a watched record (a service, the demo loader, a CLI command, a test) redoes its entries in the same
transaction, so no write path can forget the index and a rolled-back change leaves the index as it was. Writes
that bypass the ORM (bulk Core inserts) are caught up by `rebuild()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forum.core.dates import utcnow
from forum.extensions import db
from forum.search import sources  # noqa: F401 - registers the sources
from forum.search.models import SearchEntry
from forum.search.registry import SOURCES, SearchSource

CHUNK = 500


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _write(connection: sa.Connection, source: SearchSource, ids: list[int] | None) -> None:
    """Replace the entries of `ids` (all of the source's when None) by what the records say now."""
    if ids is None:
        connection.execute(sa.delete(SearchEntry).where(SearchEntry.kind == source.kind))
        batches: Iterable[list[int] | None] = [None]
    else:
        batches = _chunks(sorted(set(ids)))
    now = utcnow()
    for batch in batches:
        if batch is not None:
            connection.execute(
                sa.delete(SearchEntry).where(SearchEntry.kind == source.kind, SearchEntry.object_id.in_(batch))
            )
        rows = [
            {
                "kind": source.kind,
                "object_id": row.object_id,
                "title": (row.title or "")[:400],
                "body": row.body or "",
                "ref": (row.ref or "")[:100],
                "context": (row.context or "")[:300],
                "indexed_at": now,
            }
            for row in connection.execute(source.entries(batch))
        ]
        if rows:
            connection.execute(sa.insert(SearchEntry), rows)


def _affected(session: Session, objects: Iterable[object]) -> dict[SearchSource, set[int]]:
    found: dict[SearchSource, set[int]] = defaultdict(set)
    for obj in objects:
        for source in SOURCES.values():
            watcher = source.watches.get(type(obj))
            if watcher is None:
                continue
            affected = watcher(obj)
            if isinstance(affected, sa.Select):
                found[source].update(session.connection().execute(affected).scalars())
            elif affected is not None:
                found[source].add(affected)
    return found


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    watched = {model for source in SOURCES.values() for model in source.watches}
    changed = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if type(obj) in watched and (obj in session.new or obj in session.deleted or session.is_modified(obj))
    ]
    if not changed:
        return
    with session.no_autoflush:
        for source, ids in _affected(session, changed).items():
            _write(session.connection(), source, list(ids))


def rebuild() -> dict[str, int]:
    """Redo every source's entries from the records (and, on SQLite, the FTS5 mirror); commits."""
    from forum.search.backends import dialect_name, ensure_sqlite_mirror

    connection = db.session.connection()
    for source in SOURCES.values():
        _write(connection, source, None)
    db.session.commit()
    if dialect_name() == "sqlite":
        ensure_sqlite_mirror(rebuild=True)
    counts = db.session.execute(sa.select(SearchEntry.kind, sa.func.count()).group_by(SearchEntry.kind)).all()
    return dict(counts)
