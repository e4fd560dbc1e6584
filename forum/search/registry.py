"""The sources the search box looks in. An area becomes searchable by registering one SearchSource.

A source says, for its kind of record:
- `entries(ids)`: a SELECT of (object_id, title, body, ref, context) for those ids (all records when None);
- `watches`: which model classes change its entries, each with a function from a changed object to the ids of
  the entries to redo (an id, a SELECT of ids, or None);
- `visible(principal)`: None when every entry is public, otherwise a SQL clause on SearchEntry.object_id that
  keeps only what a reader of this principal (forum.core.permissions) may see: the search's statements are built
  once per principal and query, so the clause must depend on nothing else;
- `url(hit)`: where a result links to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

#: what a watcher gives back: the id of one entry to redo, a SELECT of such ids, or None for nothing
Affected = int | sa.Select | None


@dataclass(frozen=True, eq=False)
class SearchSource:
    kind: str
    label: Any  # a lazy gettext string: the heading of the group of results
    #: the record's model: a result whose record is gone (deleted by a database cascade) is never shown
    model: type
    entries: Callable[[list[int] | None], sa.Select]
    url: Callable[[Any], str]
    watches: Mapping[type, Callable[[Any], Affected]] = field(default_factory=dict)
    visible: Callable[[Any], Any] | None = None


SOURCES: dict[str, SearchSource] = {}


def register(source: SearchSource) -> SearchSource:
    """Add a source; the order of registration is the order of the groups on the results page."""
    if source.kind in SOURCES and SOURCES[source.kind] is not source:
        raise ValueError(f"a search source of kind {source.kind!r} is already registered")
    SOURCES[source.kind] = source
    return source
