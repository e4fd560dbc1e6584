"""Outcomes of the sessions and their follow-up across the years."""
