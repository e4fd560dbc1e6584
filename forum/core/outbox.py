"""The mail outbox: every message is a row written in the same transaction as the change that caused it.

Delivery happens after commit, in a Celery task; if the broker or the mail server is down the row stays
queued and the periodic sweep sends it later. Nothing is ever sent from inside a request's transaction.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
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


def queue_mail(recipient: str, template: str, **context) -> MailMessage:
    """Render templates/emails/<template>/ and add the message to the session; it is sent after commit."""
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

    for message_id in ids:
        try:
            deliver_mail.apply_async((message_id,), retry=False)
        except Exception:  # noqa: BLE001 - the broker being down must never break the request; the sweep resends
            log.warning("broker unavailable; mail %s stays queued for the sweep", message_id)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("mail_after_commit", None)


def deliver(message_id: int) -> MailStatus:
    """Send one queued message and record the result; a sent message is never sent again."""
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
    else:
        message.status = MailStatus.SENT
        message.sent_at = utcnow()
        message.last_error = ""
    db.session.commit()
    return message.status


def queued_ids(limit: int = 500) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(MailMessage.id)
            .where(MailMessage.status.in_([MailStatus.QUEUED, MailStatus.FAILED]), MailMessage.attempts < 8)
            .order_by(MailMessage.id)
            .limit(limit)
        )
    )


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
