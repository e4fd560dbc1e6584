"""Reminders and notifications: rules as rows, scheduled notifications, in-app list, digests, preferences."""
