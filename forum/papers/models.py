"""Session documents (concept notes, background papers, reports), their kept versions and the team's comments."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.audit import AppendOnly
from forum.core.i18n import lazy_gettext as _l
from forum.core.models import TimestampMixin, VersionedMixin, enum_column, intpk, utcnow
from forum.directory.models import Country, Person, User
from forum.extensions import db
from forum.roundtables.models import RoundtableSession


class DocumentKind(enum.StrEnum):
    CONCEPT_NOTE = "concept_note"
    BACKGROUND_PAPER = "background_paper"
    ANNEX = "annex"
    GUIDING_QUESTIONS = "guiding_questions"
    SESSION_REPORT = "session_report"


DOCUMENT_KIND_LABELS = {
    DocumentKind.CONCEPT_NOTE: _l("Concept note"),
    DocumentKind.BACKGROUND_PAPER: _l("Background paper"),
    DocumentKind.ANNEX: _l("Annex"),
    DocumentKind.GUIDING_QUESTIONS: _l("Guiding questions"),
    DocumentKind.SESSION_REPORT: _l("Session report"),
}


class Language(enum.StrEnum):
    EN = "en"
    FR = "fr"
    ES = "es"


LANGUAGE_LABELS = {Language.EN: _l("English"), Language.FR: _l("French"), Language.ES: _l("Spanish")}


class DocumentState(enum.StrEnum):
    DRAFT = "draft"
    IN_TEAM_REVIEW = "in_team_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"


DOCUMENT_STATE_LABELS = {
    DocumentState.DRAFT: _l("Draft"),
    DocumentState.IN_TEAM_REVIEW: _l("In team review"),
    DocumentState.CHANGES_REQUESTED: _l("Changes requested"),
    DocumentState.APPROVED: _l("Approved by the co-chairs"),
    DocumentState.PUBLISHED: _l("Published"),
}


class SessionDocument(VersionedMixin, TimestampMixin, db.Model):
    """A document of a session: public once published, otherwise for those who prepare the session."""

    __tablename__ = "session_documents"
    __table_args__ = (sa.UniqueConstraint("translation_of_id", "language", name="translation_language"),)

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roundtable_sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = enum_column(DocumentKind)
    title: Mapped[str] = mapped_column(sa.String(300))
    language: Mapped[Language] = enum_column(Language, default=Language.EN)
    #: the original this document translates, if it is a translation
    translation_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("session_documents.id", ondelete="CASCADE"), index=True
    )
    #: an author is a government ("written by Mexico") or a person (an expert)
    author_country_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("countries.id", ondelete="RESTRICT"), index=True
    )
    author_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    state: Mapped[DocumentState] = enum_column(DocumentState, default=DocumentState.DRAFT)
    published_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    session: Mapped[RoundtableSession] = relationship()
    author_country: Mapped[Country | None] = relationship()
    author_person: Mapped[Person | None] = relationship()
    translation_of: Mapped[SessionDocument | None] = relationship(remote_side="SessionDocument.id")
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", passive_deletes=True
    )
    comments: Mapped[list[DocumentComment]] = relationship(
        back_populates="document", order_by="DocumentComment.id", passive_deletes=True
    )

    @property
    def author(self) -> Country | Person | None:
        return self.author_country or self.author_person

    @property
    def is_public(self) -> bool:
        return self.state == DocumentState.PUBLISHED

    def __str__(self) -> str:
        return self.title


class DocumentVersion(AppendOnly, db.Model):
    """One kept version: an uploaded file and/or text written in the page. Never changed once saved."""

    __tablename__ = "document_versions"
    __table_args__ = (sa.UniqueConstraint("document_id", "number", name="document_number"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("session_documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text, default="")
    file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    file_key: Mapped[str] = mapped_column(sa.String(64), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[SessionDocument] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"v{self.number}"


class DocumentComment(AppendOnly, db.Model):
    """A team member's comment on one version of a document."""

    __tablename__ = "document_comments"

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("session_documents.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("document_versions.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[SessionDocument] = relationship(back_populates="comments")
    version: Mapped[DocumentVersion | None] = relationship()
    author: Mapped[User | None] = relationship()
