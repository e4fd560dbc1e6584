"""TEMPORARY skeleton: the pages helper replaces this file."""

from flask import Blueprint

bp = Blueprint("structure", __name__)


@bp.get("/")
def home():
    return "home"


@bp.get("/bodies")
def body_list():
    return "bodies"
