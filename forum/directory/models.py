"""The directory: who can take part in the forum, and who can sign in."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.extensions import db


class Country(db.Model):
    """A state from ISO 3166, under the name the forum's documents use, with the other names they use."""

    __tablename__ = "countries"

    id: Mapped[intpk]
    iso2: Mapped[str] = mapped_column(sa.String(2), unique=True)
    iso3: Mapped[str] = mapped_column(sa.String(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    official_name: Mapped[str | None] = mapped_column(sa.String(200))
    #: other names seen in documents, one per line ("UAE", "South Korea")
    aliases: Mapped[str] = mapped_column(sa.Text, default="")

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.splitlines() if a.strip()]


class OrganisationKind(enum.StrEnum):
    INTERNATIONAL_ORGANISATION = "international_organisation"
    UN_AGENCY = "un_agency"
    REGIONAL_PROCESS = "regional_process"
    GOVERNMENT_AGENCY = "government_agency"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"
    ACADEMIA = "academia"
    FOUNDATION = "foundation"
    OTHER = "other"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.INTERNATIONAL_ORGANISATION: _l("International organisation"),
    OrganisationKind.UN_AGENCY: _l("UN agency or body"),
    OrganisationKind.REGIONAL_PROCESS: _l("Regional consultative process or inter-regional forum"),
    OrganisationKind.GOVERNMENT_AGENCY: _l("Government ministry or agency"),
    OrganisationKind.CIVIL_SOCIETY: _l("Civil society"),
    OrganisationKind.PRIVATE_SECTOR: _l("Private sector"),
    OrganisationKind.ACADEMIA: _l("Academia or research"),
    OrganisationKind.FOUNDATION: _l("Foundation"),
    OrganisationKind.OTHER: _l("Other"),
}


def organisation_label(name: str, acronym: str | None) -> str:
    """How an organisation is named in lists: "International Organization for Migration (IOM)"."""
    return f"{name} ({acronym})" if acronym else name


class Organisation(VersionedMixin, TimestampMixin, db.Model):
    """An international organisation, agency, process, NGO, company, university or foundation."""

    __tablename__ = "organisations"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    acronym: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind)
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True)
    aliases: Mapped[str] = mapped_column(sa.Text, default="")

    country: Mapped[Country | None] = relationship()

    def __str__(self) -> str:
        return organisation_label(self.name, self.acronym)

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.splitlines() if a.strip()]


class Person(VersionedMixin, TimestampMixin, db.Model):
    """Someone who takes part: an official, an expert, a staff member. Contact details are kept minimal."""

    __tablename__ = "people"

    id: Mapped[intpk]
    honorific: Mapped[str | None] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(300))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    aliases: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Organisation | None] = relationship()
    country: Mapped[Country | None] = relationship()

    def __str__(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.splitlines() if a.strip()]


class User(TimestampMixin, db.Model):
    """A person who can sign in. What they may do comes from their memberships, never from flags here."""

    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("failed_sign_ins >= 0", name="failed_sign_ins_positive"),)

    id: Mapped[intpk]
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    acts_for_country_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("countries.id", ondelete="SET NULL"), index=True
    )
    acts_for_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: bumped when the password changes, so every other signed-in session ends
    session_epoch: Mapped[int] = mapped_column(default=0)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")

    person: Mapped[Person] = relationship(lazy="joined")
    #: the unread in-app notifications, read with the signed-in user in the same query (forum.load_user); None
    #: when the user was loaded otherwise, or since the session committed
    unread_notifications: Mapped[int | None] = query_expression()
    acts_for_country: Mapped[Country | None] = relationship()
    acts_for_organisation: Mapped[Organisation | None] = relationship()
    tokens: Mapped[list[AccountToken]] = relationship(back_populates="user", passive_deletes=True)

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def __str__(self) -> str:
        return str(self.person)

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a token purpose, not a password


class AccountToken(db.Model):
    """A one-time link for setting a password; only its hash is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = enum_column(TokenPurpose)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")
