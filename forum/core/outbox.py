"""The mail outbox: every message is a row written in the same transaction as the change that caused it.

Delivery happens after commit, in a Celery task; if the broker or the mail server is down the row stays
queued and the periodic sweep sends it later. Nothing is ever sent from inside a request's transaction.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from contextlib import nullcontext
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from forum.core.models import enum_column, intpk, utcnow
from forum.extensions import db

log = logging.getLogger(__name__)


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class MailMessage(db.Model):
    """One message to one recipient."""

    __tablename__ = "mail_messages"

    id: Mapped[intpk]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    template: Mapped[str] = mapped_column(sa.String(80))
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MailStatus] = enum_column(MailStatus, default=MailStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    #: after a failure, the sweep waits until then (back-off doubling per attempt)
    next_attempt_at: Mapped[datetime | None]


class OutboxState(db.Model):
    """One row: whether the Support Unit has paused all sending. Messages stay queued while paused."""

    __tablename__ = "mail_outbox_state"

    id: Mapped[intpk]
    is_paused: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime | None]
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)


#: attempts after which the sweep gives up on a message; the Support Unit can still resend it
MAX_ATTEMPTS = 8


def is_paused() -> bool:
    return bool(db.session.scalar(sa.select(OutboxState.is_paused).where(OutboxState.id == 1)))


def set_paused(paused: bool, *, by_user_id: int | None) -> None:
    """Pause or resume all sending (flushes; the caller commits)."""
    state = db.session.get(OutboxState, 1)
    if state is None:
        state = OutboxState(id=1)
        db.session.add(state)
    state.is_paused = paused
    state.changed_at = utcnow()
    state.changed_by_id = by_user_id
    db.session.flush()


def requeue(message: MailMessage) -> None:
    """Put a failed message back in the queue with a fresh count of attempts (flushes; the caller commits)."""
    message.status = MailStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = None
    db.session.flush()
    db.session.info.setdefault("mail_after_commit", []).append(message.id)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _mail_request_context():
    return current_app.test_request_context(base_url=current_app.config["BASE_URL"])


def queue_mail(recipient: str, template: str, **context) -> MailMessage:
    """Render templates/emails/<template>/ and add the message to the session; it is sent after commit.

    Outside a request (the demo loader, a Celery task) links in the mail are built against BASE_URL.
    """
    with nullcontext() if has_request_context() else _mail_request_context():
        subject = render_template(f"emails/{template}/subject.txt", **context).strip()
        body = render_template(f"emails/{template}/body.txt", **context)
    message = MailMessage(template=template, recipient=recipient, subject=subject, body_text=body)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault("mail_after_commit", []).append(message.id)
    return message


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    ids = session.info.pop("mail_after_commit", [])
    if not ids or not current_app.config.get("MAIL_DISPATCH_AFTER_COMMIT", True):
        return
    from forum.core.tasks import deliver_mail

    for position, message_id in enumerate(ids):
        try:
            deliver_mail.apply_async((message_id,), retry=False)
        except Exception:  # noqa: BLE001 - the broker being down must never break the request; the sweep resends
            # one wait on a dead broker per commit, not one per message: the rest stay queued as well
            log.warning("broker unavailable; %d mail(s) stay queued for the sweep", len(ids) - position)
            return


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("mail_after_commit", None)


def deliver(message_id: int) -> MailStatus:
    """Send one queued message and record the result; a sent message is never sent again.

    The conditional UPDATE is the claim: it holds the row until this transaction commits the outcome, so a
    second worker handed the same id waits and then finds it sent (rowcount 0). A worker killed mid-send
    commits nothing; the message stays queued and goes out once on the next try. While paused, nothing is sent.
    """
    if is_paused():
        db.session.rollback()
        return MailStatus.QUEUED
    claimed = db.session.execute(
        sa.update(MailMessage)
        .where(MailMessage.id == message_id, MailMessage.status != MailStatus.SENT)
        .values(attempts=MailMessage.attempts + 1)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return MailStatus.SENT
    message = db.session.get(MailMessage, message_id)
    try:
        _send(message)
    except (OSError, smtplib.SMTPException) as exc:
        message.status = MailStatus.FAILED
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.next_attempt_at = utcnow() + backoff(message.attempts)
    else:
        message.status = MailStatus.SENT
        message.sent_at = utcnow()
        message.last_error = ""
        message.next_attempt_at = None
    db.session.commit()
    return message.status


def queued_ids(limit: int = 500, *, due_at: datetime | None = None) -> list[int]:
    """Messages still to send; with `due_at`, only those whose back-off has run out by then."""
    stmt = sa.select(MailMessage.id).where(
        MailMessage.status.in_([MailStatus.QUEUED, MailStatus.FAILED]), MailMessage.attempts < MAX_ATTEMPTS
    )
    if due_at is not None:
        stmt = stmt.where(sa.or_(MailMessage.next_attempt_at.is_(None), MailMessage.next_attempt_at <= due_at))
    return list(db.session.scalars(stmt.order_by(MailMessage.id).limit(limit)))


def _send(message: MailMessage) -> None:
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_SENDER"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Message-ID"] = make_msgid(domain="example.org")
    mail.set_content(message.body_text)
    url = current_app.config.get("MAIL_URL")
    if not url:
        folder = Path(current_app.config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}.eml").write_bytes(bytes(mail))
        return
    parts = urlsplit(url)
    smtp_cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_cls(parts.hostname or "localhost", parts.port or 25, timeout=10) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(mail)
