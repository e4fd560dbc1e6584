"""Shared mechanism: model base, permissions, audit, workflow, dates, exports, errors."""
