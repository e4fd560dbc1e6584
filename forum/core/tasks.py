"""Celery tasks for the shared mechanism: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task

from forum.core import outbox
from forum.core.models import utcnow


@shared_task(name="mail.deliver", acks_late=True, ignore_result=True)
def deliver_mail(message_id: int) -> str:
    return outbox.deliver(message_id).value


@shared_task(name="mail.sweep", ignore_result=True)
def sweep_mail() -> int:
    """Send what is still queued: messages whose after-commit dispatch could not reach the broker, and failed
    ones whose back-off has run out. Nothing while the Support Unit has paused sending."""
    if outbox.is_paused():
        return 0
    ids = outbox.queued_ids(due_at=utcnow())
    for message_id in ids:
        outbox.deliver(message_id)
    return len(ids)
