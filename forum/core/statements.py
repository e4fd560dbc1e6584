"""The pages' SQL statements, built once and run again with what varies as parameters.

SQLAlchemy finds a statement's compiled SQL by its cache key, which it derives by walking the whole statement
each time a new statement object runs: that cost as much as building it, a few milliseconds on a page of a dozen
queries. A statement object it has run before keeps its key. So the pages' statements are built once for each set
of values that shapes them (a kind of reader, a filter, a day) and reused by every request:

- `@built_once` on a function of hashable arguments that returns a statement keeps the last STATEMENTS of them
  (a function without arguments builds its statement once for good). The statement must depend on nothing but
  those arguments: what a reader may see goes in as an argument (a principal, `internal`), never read from the
  request inside.
- `among(column, name="ids")`: ids an earlier query read, as one parameter of a statement built once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from forum.extensions import db

#: how many statements each builder keeps (per kind of reader, filter and day: far fewer are in use at once)
STATEMENTS = 256


#: the decorator of a function that builds a statement
built_once = lru_cache(maxsize=STATEMENTS)


def among(column: Any, ids: Any = None, *, name: str | None = None) -> sa.ColumnElement[bool]:
    """`column IN ids` for ids an earlier query read (a page's rows, a search's matches); with `name` and no ids, a
    statement built once takes them as that parameter when it runs.

    On PostgreSQL the ids go as one array parameter (`= ANY(…)`): the statement's text is the same however many
    there are, so the connection prepares it once (psycopg prepares a statement the fifth time it sees its text,
    and a list of 169 ids as 169 parameters is a new text for every length, and costs binding each of them).
    Elsewhere an IN list."""
    value = None if ids is None else list(ids)
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(name, value, type_=postgresql.ARRAY(column.type)))
    return column.in_(sa.bindparam(name, value, type_=column.type, expanding=True))
