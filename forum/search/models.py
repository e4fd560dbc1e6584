"""The search index: one row per searchable record, kept in step with the records on every flush.

PostgreSQL searches it with a GIN index over `to_tsvector('simple', title || ' ' || body)`; SQLite with an FTS5
table that mirrors it (see forum.search.backends). What a reader may see is never decided here: the index holds
text only, and each search joins back to the records' own visibility rules.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.models import intpk, utcnow
from forum.extensions import db

#: the one text-search expression: the query and the GIN index must spell it the same way to use the index
TSVECTOR_SQL = "to_tsvector('simple', search_entries.title || ' ' || search_entries.body)"


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (
        sa.UniqueConstraint("kind", "object_id", name="search_entries_kind_object"),
        # PostgreSQL only: the migration creates it there, and SQLite (which has no to_tsvector) uses FTS5.
        # Written as PostgreSQL reads it back, so that autogenerate sees no difference.
        sa.Index(
            "ix_search_entries_fulltext",
            sa.text("to_tsvector('simple'::regconfig, (title::text || ' '::text) || body)"),
            postgresql_using="gin",
        ),
    )

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
