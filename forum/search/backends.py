"""Full-text matching, one way per database, behind two functions: `scored_entries(terms)`
(the entries and their score) and `matching_entry_ids(terms)` (their ids, unranked).

Both take the reader's words only (letters and digits, see services.terms_of), so no quoting or operator of
either query language ever reaches the database: every word must appear, in any order.

- PostgreSQL: `search_vector @@ plainto_tsquery('simple', …)`, ranked by ts_rank over the same stored vector
  (the generated column and GIN index of migration 0011). The 'simple' configuration does not stem:
  the forum's text is in English, French and Spanish, and names must match as written.
- SQLite: an external-content FTS5 table `search_fts` mirroring search_entries through three triggers, ranked
  by bm25 with the title weighing ten times the body. FTS5 keeps five shadow tables of its own that are no
  model's, so the mirror is not part of the Alembic schema: `ensure_sqlite_mirror` creates it (and fills it
  from search_entries) on first use, and `flask --app wsgi search rebuild` rebuilds it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from forum.extensions import db
from forum.search.models import VECTOR_COLUMN, SearchEntry

SQLITE_MIRROR = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_fts_insert AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_fts_delete AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_fts_update AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)

#: databases (by URL) whose FTS5 mirror this process has seen, so a search asks only once
_MIRRORED: set[str] = set()


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def ensure_sqlite_mirror(*, rebuild: bool = False) -> None:
    """Create the FTS5 mirror if this SQLite database has none (filling it from search_entries), or rebuild it."""
    bind = db.session.get_bind()
    key = str(bind.engine.url)
    if key in _MIRRORED and not rebuild:
        return
    exists = db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'search_fts'"))
    if not exists:
        for statement in SQLITE_MIRROR:
            db.session.execute(sa.text(statement))
    if rebuild or not exists:
        db.session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
        db.session.commit()
    _MIRRORED.add(key)


def _matching(terms: list[str]) -> tuple[sa.Select, Any]:
    """The entries holding every term, as (a select of their ids, their score: the lower the better)."""
    if dialect_name() == "postgresql":
        vector = sa.literal_column(VECTOR_COLUMN)
        query = sa.func.plainto_tsquery(sa.literal_column("'simple'"), " ".join(terms))
        return sa.select(SearchEntry.id).where(vector.op("@@")(query)), -sa.func.ts_rank(vector, query)
    ensure_sqlite_mirror()
    fts = sa.table("search_fts", sa.column("rowid"))
    phrase = " ".join(f'"{term}"' for term in terms)  # each term quoted: a string, never an FTS5 operator
    ids = sa.select(fts.c.rowid).where(sa.literal_column("search_fts").op("MATCH")(phrase))
    return ids, sa.literal_column("bm25(search_fts, 10.0, 1.0)")


def matching_entry_ids(terms: list[str]) -> sa.Select:
    """The ids of the entries holding every term, unranked. Used as `IN (…)`, SQLite reads the FTS5 matches once;
    joined, it would look each candidate entry up in the index."""
    return _matching(terms)[0]


def scored_entries(terms: list[str]) -> tuple[sa.Select, Any]:
    """A select of the entries holding every term, and their score as a column of it (the lower the better).
    PostgreSQL reads an entry, its match and its rank in one pass over the GIN index's hits; SQLite joins the
    entries to the FTS5 matches, the only place bm25 can be read."""
    ids, score = _matching(terms)
    if dialect_name() == "postgresql":
        return ids.with_only_columns(SearchEntry), score
    matched = ids.with_only_columns(ids.selected_columns[0].label("entry_id"), score.label("score")).subquery()
    return sa.select(SearchEntry).join_from(matched, SearchEntry, SearchEntry.id == matched.c.entry_id), matched.c.score
