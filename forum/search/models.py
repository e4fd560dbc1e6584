"""The search index: one row per searchable record, kept in step with the records on every flush.

PostgreSQL searches it through a stored, generated column `search_vector` = `to_tsvector('simple', title || ' '
|| body)` with a GIN index (migration 0011), so neither matching nor ranking recomputes a vector per row; SQLite
through an FTS5 table that mirrors it (see forum.search.backends). What a reader may see is never decided here:
the index holds text only, and each search joins back to the records' own visibility rules.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import intpk, utcnow
from forum.extensions import db

#: PostgreSQL only, so no model declares them: the generated column the queries read, and its GIN index
POSTGRESQL_ONLY = {("column", "search_vector"), ("index", "ix_search_entries_vector")}
VECTOR_COLUMN = "search_entries.search_vector"


def declared_by_models(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's include_object: the PostgreSQL-only search objects are the migration's, not the models'."""
    return not (reflected and compare_to is None and (type_, name) in POSTGRESQL_ONLY)


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (sa.UniqueConstraint("kind", "object_id", name="search_entries_kind_object"),)

    id: Mapped[intpk]
    #: the source's kind ("papers", "projects"…), see forum.search.sources
    kind: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(400))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    #: what the result links by when it is not the id (a session's reference, 2010-RT2.1)
    ref: Mapped[str] = mapped_column(sa.String(100), default="")
    #: one short line under the title (a paper's session, a project's lead government)
    context: Mapped[str] = mapped_column(sa.String(300), default="")
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
