"""Small pieces of HTML written in Python, for the ones a page repeats hundreds of times.

A Jinja macro call costs more than the markup it writes (a new context, its arguments, its own translations); the
cells of the preparation board, the rows of the follow-up lists and long `<select>`s use these instead. Every value
is escaped here, so what they return is safe markup.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.numbers import format_percent
from flask_babel import get_locale
from markupsafe import Markup, escape


def option_html(value: Any, label: Any, selected: bool) -> str:
    """One `<option>`, value and label escaped, exactly as WTForms writes it."""
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'


def options_html(choices: Any, selected: Any = None) -> Markup:
    """The `<option>`s of (value, label) pairs, the one whose value is `selected` chosen."""
    chosen = str(selected) if selected not in (None, "") else None
    # every value and label is escaped by option_html
    return Markup("".join(option_html(v, label, str(v) == chosen) for v, label in choices))  # noqa: S704 # nosec B704


def badge(css_class: str, label: Any) -> Markup:
    """A Bootstrap badge: `css_class` is one of the code's own, the label is escaped."""
    return Markup(f'<span class="badge {escape(css_class)}">{escape(label)}</span>')  # noqa: S704 # nosec B704


@lru_cache(maxsize=4096)
def _percent(percent: int, locale: str) -> str:
    return format_percent(percent / 100, locale=locale)


def percent(value: int) -> str:
    """A whole percentage written the reader's way ("55 %" in French), each value formatted once per language."""
    return _percent(int(value), str(get_locale() or "en"))
