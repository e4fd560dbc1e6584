"""Pages of outcomes and their follow-up."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outcomes", __name__)
