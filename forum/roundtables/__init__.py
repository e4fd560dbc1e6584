"""Roundtables and their sessions: teams, roles, the preparation checklist and the board."""
