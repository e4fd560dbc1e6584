"""The search box's results page: a GET form, so it works without JavaScript and can be bookmarked."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from forum.search import index, services
from forum.search.registry import SOURCES

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    page = request.args.get("page", 1, type=int) or 1
    found = services.search(current_user, request.args.get("q"), request.args.get("kind") or None, page)
    return render_template("search/results.html", results=found, sources=SOURCES)


@bp.cli.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the records (after bulk loads, or on a database that predates it)."""
    for kind, count in index.rebuild().items():
        print(f"{kind}: {count}")
