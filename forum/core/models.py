"""Declarative base, column types and mixins every area's models use."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Annotated

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from forum.core.errors import StaleObject

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


def utcnow() -> datetime:
    """The one clock of the application (forum.core.dates re-exports it; tests move it with time-machine)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC; refuses naive datetimes so no local time sneaks in."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _enum_type(enum_cls: type[enum.Enum], name: str | None = None) -> sa.Enum:
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda e: [m.value for m in e],
        length=40,
        name=name or enum_cls.__name__.lower(),
    )


class Base(DeclarativeBase):
    # An explicit registry: SQLAlchemy 2.1 refuses a per-base type_annotation_map on a base that
    # Flask-SQLAlchemy subclasses again for db.Model.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), date: sa.Date(), str: sa.String(200)},
    )


intpk = Annotated[int, mapped_column(primary_key=True)]
str_short = Annotated[str, mapped_column(sa.String(200))]
str_text = Annotated[str, mapped_column(sa.Text)]
created_at = Annotated[datetime, mapped_column(default=utcnow)]


def enum_column(enum_cls: type[enum.Enum], *, type_name: str | None = None, **kwargs):
    """A VARCHAR + CHECK column holding the enum's values.

    The CHECK constraint is named after the enum; a table with two columns of the same enum gives the second
    its own `type_name`, since PostgreSQL wants constraint names unique per table.
    """
    return mapped_column(_enum_type(enum_cls, type_name), **kwargs)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: forms carry version_id; a stale one raises StaleObject in the service."""

    version_id: Mapped[int] = mapped_column(default=1)

    def check_version(self, version_id: int | None) -> None:
        """Refuse a form made from an older version of this record (StaleObject), rather than overwrite."""
        if version_id is None or self.version_id != version_id:
            raise StaleObject()

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - a declared_attr receives the class
        return {"version_id_col": cls.__table__.c.version_id}


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
