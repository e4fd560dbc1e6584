"""Search over every registered source, grouped by kind, a page at a time, showing only what the reader may see.

A search costs one query whatever the number of sources or records: it ranks the visible matches of every kind,
counts them, and fetches the texts of the results shown (the best few of each kind); one kind's page counts first,
to keep the page number within its pages. Counts are taken after the visibility filter, so hidden records never
show, not even as a number. The results are kept for the same query and reader while the data is unchanged
(forum.core.cache): ranking thousands of matches costs milliseconds, and the same searches come again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa

from forum.core import cache
from forum.core.dates import today
from forum.core.errors import NotFound
from forum.core.pagination import Page
from forum.core.permissions import Principal, principal_of
from forum.core.statements import built_once
from forum.extensions import db
from forum.search import index  # noqa: F401 - keeps the index in step from the first flush on
from forum.search.backends import matching_entry_ids, scored_entries
from forum.search.models import SearchEntry
from forum.search.registry import SOURCES, SearchSource

MAX_QUERY = 200  # characters of the query that are read
MAX_TERMS = 12  # words of the query that are used
PER_GROUP = 5  # results per kind on the overview
PER_PAGE = 20  # results per page of one kind
SNIPPET = 180  # characters of the text shown around the first match

_WORD = re.compile(r"\w+", re.UNICODE)


def terms_of(raw: str | None) -> list[str]:
    """The reader's words, lower-cased, without repeats: quotes, operators and punctuation are dropped."""
    seen: list[str] = []
    for word in _WORD.findall((raw or "")[:MAX_QUERY].lower()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


@dataclass
class Hit:
    source: SearchSource
    object_id: int
    title: str
    ref: str
    context: str
    #: the text around the first match, as (text, is_match) pieces for the template to mark
    snippet: list[tuple[str, bool]]

    @property
    def url(self) -> str:
        return self.source.url(self)


@dataclass
class Group:
    source: SearchSource
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


@dataclass
class Results:
    query: str
    terms: list[str]
    groups: list[Group]
    kind: str | None = None
    page: int = 1

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def pager(self) -> Page:
        """The pages of the one kind shown (for the shared pager macro)."""
        return Page(items=[], page=self.page, per_page=PER_PAGE, total=self.total)


def _snippet(body: str, terms: list[str]) -> list[tuple[str, bool]]:
    if not body:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(body)
    start = max(0, (first.start() if first else 0) - SNIPPET // 3)
    window = body[start : start + SNIPPET]
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    position = 0
    for found in pattern.finditer(window):
        if found.start() > position:
            pieces.append((window[position : found.start()], False))
        pieces.append((found.group(), True))
        position = found.end()
    pieces.append((window[position:], False))
    if start + SNIPPET < len(body):
        pieces.append(("…", False))
    return pieces


def matching_ids(kind: str, terms: list[str]) -> sa.Select:
    """The ids of the records of one kind whose entry holds every term (visibility is the caller's)."""
    return sa.select(SearchEntry.object_id).where(
        SearchEntry.kind == kind, SearchEntry.id.in_(matching_entry_ids(terms))
    )


def _visible(principal: Principal, sources: list[SearchSource]) -> Any:
    """One clause: an entry of one of `sources`, whose record still exists and which this reader may see."""
    clauses = []
    for source in sources:
        clause = source.visible(principal) if source.visible else SearchEntry.object_id.in_(sa.select(source.model.id))
        clauses.append(sa.and_(SearchEntry.kind == source.kind, clause))
    return sa.or_(*clauses)


class _Statements(NamedTuple):
    count: sa.Select | None  # one kind's: how many visible matches
    shown: sa.Select  # the texts of the results shown (one kind's between the `first` and `last` parameters)


@built_once
def _statements(principal: Principal, terms: tuple[str, ...], kind: str | None) -> _Statements:
    sources = [SOURCES[kind]] if kind else list(SOURCES.values())
    entries, score = scored_entries(list(terms))
    # the matches first: the visibility rules are then checked for them only, not for every entry
    base = entries.where(_visible(principal, sources))
    order = (score, SearchEntry.title, SearchEntry.id)
    # the ranking reads only ids and scores; the texts are joined for the few rows shown
    ranked = base.with_only_columns(
        SearchEntry.id,
        sa.func.row_number().over(partition_by=SearchEntry.kind, order_by=order).label("position"),
        sa.func.count().over(partition_by=SearchEntry.kind).label("total"),
    ).subquery("ranked")
    shown = sa.select(
        SearchEntry.kind, SearchEntry.object_id, SearchEntry.title, SearchEntry.body, SearchEntry.ref,
        SearchEntry.context, ranked.c.total,
    ).join(ranked, ranked.c.id == SearchEntry.id)
    if kind:
        shown = shown.where(
            ranked.c.position > sa.bindparam("first", type_=sa.Integer),
            ranked.c.position <= sa.bindparam("last", type_=sa.Integer),
        )
    else:
        shown = shown.where(ranked.c.position <= PER_GROUP)
    return _Statements(
        count=base.with_only_columns(sa.func.count()) if kind else None,
        shown=shown.order_by(SearchEntry.kind, ranked.c.position),
    )


def search(user: Any, raw: str | None, kind: str | None = None, page: int = 1) -> Results:
    """The visible matches of the query: the best PER_GROUP of each kind, or one kind's page `page`."""
    query = (raw or "").strip()[:MAX_QUERY]
    terms = terms_of(query)
    if kind is not None and kind not in SOURCES:
        raise NotFound()
    if not terms:
        return Results(query=query, terms=[], groups=[], kind=kind)
    principal = principal_of(user)
    # the same for every reader who may see the same, until the data changes (forum.core.cache)
    key = (principal, query, kind, page, today())
    return cache.cached("search", key, lambda: _search(principal, query, terms, kind, page))


def _search(principal: Principal, query: str, terms: list[str], kind: str | None, page: int) -> Results:
    sources = [SOURCES[kind]] if kind else list(SOURCES.values())
    statements = _statements(principal, tuple(terms), kind)
    window = {}
    if kind:
        total = db.session.scalar(statements.count)
        page = max(1, min(page, Group(source=SOURCES[kind], total=total).pages))
        window = {"first": (page - 1) * PER_PAGE, "last": page * PER_PAGE}
    else:
        page = 1
    rows = db.session.execute(statements.shown, window).all()
    groups: dict[str, Group] = {}
    for row in rows:
        groups.setdefault(row.kind, Group(source=SOURCES[row.kind], total=row.total)).hits.append(
            Hit(
                source=SOURCES[row.kind],
                object_id=row.object_id,
                title=row.title,
                ref=row.ref,
                context=row.context,
                snippet=_snippet(row.body, terms),
            )
        )
    ordered = [groups[s.kind] for s in sources if s.kind in groups]
    return Results(query=query, terms=terms, groups=ordered, kind=kind, page=page)
