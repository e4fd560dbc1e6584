"""Demo reminders: the default rules of every kind, a few users' settings, and one sweep over the demo data."""

from __future__ import annotations

import sqlalchemy as sa

from forum.directory.models import User
from forum.extensions import db
from forum.notifications import services
from forum.notifications.models import DeliveryMode, NotificationPreference

#: demo accounts that chose something other than "immediately", to show the digests
DEMO_PREFERENCES = {
    "focal.philippines@example.org": {"checklist_item": DeliveryMode.WEEKLY, "meeting_reply": DeliveryMode.DAILY},
    "focal.switzerland@example.org": {"meeting_reply": DeliveryMode.DAILY},
}
DEMO_TIMEZONES = {
    "focal.philippines@example.org": "Asia/Manila",
    "focal.mexico@example.org": "America/Mexico_City",
    "focal.morocco@example.org": "Africa/Casablanca",
    "focal.switzerland@example.org": "Europe/Zurich",
}


def load_notifications() -> int:
    """Idempotent: rules are added once by name, settings once per user and kind, and the sweep's unique key
    refuses anything already sent. Returns the number of notifications this run created."""
    services.ensure_default_rules()
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(DEMO_TIMEZONES)))}
    for email, zone in DEMO_TIMEZONES.items():
        if email in users and users[email].timezone == "UTC":
            users[email].timezone = zone
    for email, choices in DEMO_PREFERENCES.items():
        user = users.get(email)
        if user is None:
            continue
        chosen = set(
            db.session.scalars(sa.select(NotificationPreference.kind).where(NotificationPreference.user_id == user.id))
        )
        for kind, mode in choices.items():
            if kind not in chosen:
                db.session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=mode))
    db.session.commit()
    return services.sweep()
