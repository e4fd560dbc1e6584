"""Printable reports assembled from the data: the report of proceedings of a cycle, as PDF."""
