"""The beat schedule: periodic sweeps over database rows."""

BEAT_SCHEDULE = {
    "mail-sweep": {"task": "mail.sweep", "schedule": 120.0},
}
