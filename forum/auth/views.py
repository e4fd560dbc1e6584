"""TEMPORARY skeleton: the auth helper replaces this file."""

from flask import Blueprint, abort

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    abort(404)


@bp.post("/sign-out")
def sign_out():
    abort(404)


@bp.get("/profile")
def profile():
    abort(404)


@bp.get("/accounts")
def account_list():
    abort(404)
