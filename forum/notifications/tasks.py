"""Celery tasks for reminders: thin wrappers around the services, run by beat (workers/schedule.py)."""

from __future__ import annotations

from celery import shared_task

from forum.notifications import services


@shared_task(name="notifications.sweep_due", acks_late=True, ignore_result=True)
def sweep_due() -> int:
    """Plan new reminders and turn the due ones into notifications and outbox mail, exactly once."""
    return services.sweep()


@shared_task(name="notifications.send_digests", acks_late=True, ignore_result=True)
def send_digests() -> int:
    """Send the daily and weekly digests whose local hour has come."""
    return services.send_digests()
