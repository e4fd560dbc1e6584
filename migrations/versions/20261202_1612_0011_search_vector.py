"""search vector: PostgreSQL keeps each entry's tsvector in a generated column, matched and ranked from there

The expression index of 0009 served the match, but ts_rank recomputed to_tsvector for every matching row, and on
a small table the planner computed it for every row (about 25 ms for 1,000 entries). A stored generated column
is computed once per write.

Revision ID: 0011_search_vector
Revises: 0010_outcome_translations
Create Date: 2026-12-02 16:12:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_search_vector"
down_revision: str | Sequence[str] | None = "0010_outcome_translations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite searches its FTS5 mirror (forum.search.backends)
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED"
    )
    op.execute("DROP INDEX ix_search_entries_fulltext")
    op.execute("CREATE INDEX ix_search_entries_vector ON search_entries USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_entries_vector")
    op.execute("ALTER TABLE search_entries DROP COLUMN search_vector")
    op.execute(
        "CREATE INDEX ix_search_entries_fulltext ON search_entries "
        "USING gin (to_tsvector('simple', title || ' ' || body))"
    )
