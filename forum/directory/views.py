"""TEMPORARY skeleton: the pages helper replaces this file."""

from flask import Blueprint, abort

bp = Blueprint("directory", __name__)


@bp.get("/countries")
def country_list():
    abort(404)


@bp.get("/organisations")
def organisation_list():
    abort(404)


@bp.get("/people")
def person_list():
    abort(404)
