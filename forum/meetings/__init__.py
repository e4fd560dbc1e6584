"""Meetings of the forum's bodies and the summit programme: agendas, attendance, minutes and calendars."""
