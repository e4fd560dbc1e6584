"""The directory: countries, organisations and people, with every role each has held."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.core.errors import NotFound
from forum.core.i18n import gettext as _
from forum.core.permissions import Action, require
from forum.core.web import bind_form, get_or_404
from forum.directory import forms, services
from forum.directory.models import Organisation, OrganisationKind, Person
from forum.structure import services as structure
from forum.structure.models import MemberKind

bp = Blueprint("directory", __name__)


def _search() -> str | None:
    return request.args.get("q", "").strip()[:100] or None


def _page() -> int:
    return request.args.get("page", 1, type=int)


# ------------------------------------------------------------------------------------------------- countries


@bp.get("/countries")
def country_list():
    page = services.country_page(_search(), _page())
    return render_template("directory/country_list.html", page=page, search=_search() or "")


@bp.get("/countries/<iso2>")
def country_detail(iso2: str):
    country = services.country_by_code(iso2)
    if country is None:
        raise NotFound()
    roles = structure.roles_of(MemberKind.GOVERNMENT, country.id)
    return render_template("directory/country_detail.html", country=country, roles=roles)


# --------------------------------------------------------------------------------------------- organisations


@bp.get("/organisations")
def organisation_list():
    raw_kind = request.args.get("kind", "")
    kind = OrganisationKind(raw_kind) if raw_kind in OrganisationKind._value2member_map_ else None
    page = services.organisation_page(_search(), kind, _page())
    return render_template(
        "directory/organisation_list.html", page=page, search=_search() or "", kind=kind, kinds=list(OrganisationKind)
    )


@bp.get("/organisations/<int:organisation_id>")
def organisation_detail(organisation_id: int):
    organisation = services.organisation_with_country(organisation_id)
    roles = structure.roles_of(MemberKind.ORGANISATION, organisation.id)
    people = services.people_of(organisation)
    return render_template("directory/organisation_detail.html", organisation=organisation, roles=roles, people=people)


def _organisation_values(form: forms.OrganisationForm) -> dict:
    return {
        "name": form.name.data.strip(),
        "acronym": (form.acronym.data or "").strip() or None,
        "kind": OrganisationKind(form.kind.data),
        "country_id": services.country_id_from_name(form.country_name.data, "country_name"),
        "aliases": (form.aliases.data or "").strip(),
    }


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def organisation_new():
    require(current_user, Action.DIRECTORY_EDIT)
    form = forms.OrganisationForm()
    bind_form(form, "directory/organisation_form.html", organisation=None)
    if form.validate_on_submit():
        organisation = services.create_organisation(current_user, **_organisation_values(form))
        flash(_("%(name)s is in the directory.", name=organisation.name), "success")
        return redirect(url_for("directory.organisation_detail", organisation_id=organisation.id))
    return render_template("directory/organisation_form.html", form=form, organisation=None), (
        422 if form.errors else 200
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def organisation_edit(organisation_id: int):
    organisation = get_or_404(Organisation, organisation_id)
    require(current_user, Action.DIRECTORY_EDIT, organisation)
    form = forms.OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.country_name.data = organisation.country.name if organisation.country else ""
        form.version_id.data = organisation.version_id
    bind_form(form, "directory/organisation_form.html", organisation=organisation)
    if form.validate_on_submit():
        services.update_organisation(
            current_user, organisation, version_id=form.version(), **_organisation_values(form)
        )
        flash(_("%(name)s is saved.", name=organisation.name), "success")
        return redirect(url_for("directory.organisation_detail", organisation_id=organisation.id))
    return render_template("directory/organisation_form.html", form=form, organisation=organisation), (
        422 if form.errors else 200
    )


# ---------------------------------------------------------------------------------------------------- people


@bp.get("/people")
def person_list():
    page = services.person_page(_search(), _page())
    return render_template("directory/person_list.html", page=page, search=_search() or "")


@bp.get("/people/<int:person_id>")
def person_detail(person_id: int):
    person = services.person_with_links(person_id)
    roles = structure.roles_of(MemberKind.PERSON, person.id)
    return render_template("directory/person_detail.html", person=person, roles=roles)


def _person_form(person: Person | None = None) -> forms.PersonForm:
    form = forms.PersonForm(obj=person)
    form.organisation_id.choices = [(0, "—")] + services.organisation_choices()
    if person is not None and request.method == "GET":
        form.country_name.data = person.country.name if person.country else ""
        form.version_id.data = person.version_id
    return form


def _person_values(form: forms.PersonForm) -> dict:
    return {
        "honorific": (form.honorific.data or "").strip() or None,
        "name": form.name.data.strip(),
        "title": (form.title.data or "").strip() or None,
        "organisation_id": form.organisation_id.data,
        "country_id": services.country_id_from_name(form.country_name.data, "country_name"),
        "email": (form.email.data or "").strip() or None,
        "aliases": (form.aliases.data or "").strip(),
    }


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new():
    require(current_user, Action.DIRECTORY_EDIT)
    form = _person_form()
    bind_form(form, "directory/person_form.html", person=None)
    if form.validate_on_submit():
        person = services.create_person(current_user, **_person_values(form))
        flash(_("%(name)s is in the directory.", name=person.name), "success")
        return redirect(url_for("directory.person_detail", person_id=person.id))
    return render_template("directory/person_form.html", form=form, person=None), 422 if form.errors else 200


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    person = get_or_404(Person, person_id)
    require(current_user, Action.DIRECTORY_EDIT, person)
    form = _person_form(person)
    bind_form(form, "directory/person_form.html", person=person)
    if form.validate_on_submit():
        services.update_person(current_user, person, version_id=form.version(), **_person_values(form))
        flash(_("%(name)s is saved.", name=person.name), "success")
        return redirect(url_for("directory.person_detail", person_id=person.id))
    return render_template("directory/person_form.html", form=form, person=person), 422 if form.errors else 200
