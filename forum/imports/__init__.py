"""The Support Unit's imports from CSV: memberships of a body, a cycle's team matrix, a session's outcomes.

Each module declares one importer for the shared flow in forum.core.imports; views.py gives them their pages.
"""
