"""What a page computed at length (a cycle's follow-up roll-ups, a search's ranking), kept in process for as long
as the database is unchanged since: the next reader of the same thing gets it without asking the database again.

An entry is found by the name of what was computed, everything it depends on (its `key`: a kind of reader, the
filters, the day, the language of HTML) and the database's revision. The revision is the database's own account
of what committed, never a counter a write path could forget to move:

- PostgreSQL: the current snapshot (`pg_current_snapshot()`: the oldest and next transaction ids, and those in
  progress). It changes as soon as any transaction that writes, in any process, begins or ends.
- SQLite: `PRAGMA data_version`, which changes on a connection when another connection committed, and a count of
  this process's own writes (moved when a connection that wrote returns to the pool, after its commit).

A transaction that wrote reads its own uncommitted changes, so it neither reads nor fills the cache. An entry
found under a revision is never older than the data at that revision: whatever committed after it moved the
revision. Entries of past revisions simply age out of the LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa

from forum.extensions import db

T = TypeVar("T")

#: how many computed values a process keeps (a few per cycle, filter and kind of reader are in use at once)
ENTRIES = 256

_entries: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
#: SQLite: moved by every write of this process and every commit another connection made (see _sqlite_revision)
_writes = 0


def _moved() -> None:
    global _writes
    with _lock:
        _writes += 1


def track_writes(engine: sa.Engine) -> None:
    """Mark a connection's transaction `forum_wrote` once it runs anything but a SELECT, from its BEGIN on; and
    count, on SQLite, a connection that wrote as it returns to the pool (after its commit or rollback)."""

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.info["forum_wrote"] = False
        conn.info.pop("forum_revision", None)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _on_execute(conn, cursor, statement, parameters, context, executemany):
        compiled = getattr(context, "compiled", None)
        if compiled is None or not compiled.statement.is_select:
            conn.info["forum_wrote"] = conn.info["forum_wrote_since_checkout"] = True

    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if record.info.pop("forum_wrote_since_checkout", False):
            _moved()


#: the statements that read the revision: SELECTs, so reading it is no write
_SNAPSHOT = sa.select(sa.cast(sa.func.pg_current_snapshot(), sa.Text))
_DATA_VERSION = sa.select(sa.column("data_version")).select_from(sa.table("pragma_data_version"))


def revision() -> Hashable | None:
    """The database's revision as this request's transaction sees it; None when the transaction wrote."""
    connection = db.session.connection()
    info = connection.info
    if info.get("forum_wrote", True):
        return None
    if "forum_revision" not in info:
        if connection.dialect.name == "postgresql":
            current = connection.scalar(_SNAPSHOT)
        else:
            current = _sqlite_revision(connection.scalar(_DATA_VERSION), info)
        # with the database's URL: two databases (of one PostgreSQL server, or SQLite files) may be at the same point
        info["forum_revision"] = (connection.engine.url, current)
    return info["forum_revision"]


def _sqlite_revision(version: int, info: dict) -> int:
    """This process's count of writes, first moved if another connection committed since this one last asked (a
    connection never seen before counts as such). In WAL mode a read transaction reads one snapshot, and the data
    version it reads is that snapshot's: the revision and the data read agree."""
    if info.get("forum_data_version") != version:
        info["forum_data_version"] = version
        _moved()
    return _writes


def cached(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it returned for the same name and key while the database stayed as it is now. `key`
    holds everything the value depends on besides the data: the reader (a principal, or whether they see
    internal records), the filters, the day, and the language when the value is text for the page."""
    current = revision()
    if current is None:
        return compute()
    entry = (name, key, current)
    with _lock:
        if entry in _entries:
            _entries.move_to_end(entry)
            return _entries[entry]
    value = compute()
    with _lock:
        _entries[entry] = value
        while len(_entries) > ENTRIES:
            _entries.popitem(last=False)
    return value
