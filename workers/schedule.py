"""The beat schedule: periodic sweeps over database rows."""

BEAT_SCHEDULE = {
    "mail-sweep": {"task": "mail.sweep", "schedule": 120.0},
    "reminders-sweep": {"task": "notifications.sweep_due", "schedule": 300.0},
    "reminder-digests": {"task": "notifications.send_digests", "schedule": 900.0},
}
