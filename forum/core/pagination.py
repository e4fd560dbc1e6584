"""Bounded lists: every list page shows one page of rows, never the whole table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from forum.core.statements import built_once
from forum.extensions import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _clamped(page: int, per_page: int, total: int) -> int:
    return max(1, min(page, max(1, -(-total // per_page))))


def page_of(items: list[Any], page: int, per_page: int) -> Page:
    """One page of a list read whole (bounded by its query), clamped as paginate() clamps."""
    page = _clamped(page, per_page, len(items))
    return Page(items=items[(page - 1) * per_page : page * per_page], page=page, per_page=per_page, total=len(items))


def paginate(stmt: sa.Select, page: int = 1, per_page: int = 50) -> Page:
    """Two queries: the count and the page. `page` below 1 or past the end is clamped."""
    per_page = max(1, min(per_page, 200))
    count, window = _paged(stmt)
    total = db.session.scalar(count) or 0
    page = _clamped(page, per_page, total)
    items = list(db.session.scalars(window, {"page_limit": per_page, "page_offset": (page - 1) * per_page}).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)


@built_once
def _paged(stmt: sa.Select) -> tuple[sa.Select, sa.Select]:
    """The count of `stmt` and its page window as parameters: for a statement built once (an area's cached
    statements), these are built once too, and SQLAlchemy keeps their cache keys instead of walking them again."""
    return (
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()),
        stmt.limit(sa.bindparam("page_limit", type_=sa.Integer)).offset(sa.bindparam("page_offset", type_=sa.Integer)),
    )
