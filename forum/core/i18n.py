"""Interface strings, translated with the catalogue of the request's locale, looked up once per request.

Flask-Babel finds the catalogue anew for every string (a dozen context lookups and the locale formatted to text):
on a page of a few hundred strings that was a tenth of its time. Here the catalogue is kept on `g` beside the locale
it was found for, so a locale forced for a while (`flask_babel.force_locale`) still gets its own catalogue. Outside
an application context the strings come back untranslated, as with Flask-Babel.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import flask_babel
from babel.support import NullTranslations
from flask import g
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

_UNTRANSLATED = NullTranslations()


def catalogue() -> NullTranslations:
    """The translations of the current locale (cached for the request)."""
    if not g:
        return _UNTRANSLATED
    locale = get_locale()
    found = g.get("_forum_catalogue")
    if found is None or found[0] is not locale:
        found = (locale, flask_babel.get_translations())
        g._forum_catalogue = found
    return found[1]


def gettext(string: str, **variables: Any) -> str:
    translated = catalogue().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return catalogue().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Translated when it is shown, in the locale of the request showing it (form labels, enum names)."""
    return LazyString(gettext, string, **variables)


def install_in_templates(jinja_env) -> None:
    """`_()`, `gettext()` and `ngettext()` in templates: Jinja's new-style gettext (autoescaped where the template
    is, always a `%(name)s` format), called directly rather than through the i18n extension's three wrappers.
    The messages are our own catalogue's, as trusted as the template; the variables are escaped by Markup's `%`."""
    jinja_env.newstyle_gettext = True
    jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
    return _formatted(eval_ctx, catalogue().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, catalogue().ungettext(singular, plural, num), variables)


def _formatted(eval_ctx: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        # our own catalogue's message, as trusted as the template that asks for it
        translated = Markup(translated)  # noqa: S704 # nosec B704
    # always a format, as in Jinja ("%%" is "%"); a message with no "%" in it is the same without one
    return translated % variables if variables or "%" in translated else translated


class PageLabels(Mapping):
    """An enum's readable names for one page: each translated the first time the page shows it, then kept, so a
    board of two hundred cells translates its five states once each, and a page that shows none translates none."""

    def __init__(self, labels: Mapping) -> None:
        self._labels = labels
        self._shown: dict[Any, str] = {}

    def __getitem__(self, key: Any) -> str:
        try:
            return self._shown[key]
        except KeyError:
            shown = self._shown[key] = str(self._labels[key])
            return shown

    def __iter__(self) -> Iterator:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def page_labels(**tables: Mapping) -> dict[str, PageLabels]:
    """Label tables for a context processor: `page_labels(ROLE_LABELS=ROLE_LABELS, …)`."""
    return {name: PageLabels(table) for name, table in tables.items()}
