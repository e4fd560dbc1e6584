"""Form pieces every area shares: select fields whose options are built in one pass.

WTForms renders each `<option>` through `html_params`, a general attribute writer: a form listing a hundred
outcomes spent a sixth of its page there. `forum.core.html.option_html` writes the same markup directly.
"""

from __future__ import annotations

from typing import Any

import wtforms
from markupsafe import Markup
from wtforms import widgets
from wtforms.fields.choices import Choice

from forum.core.html import option_html


class Select(widgets.Select):
    def __call__(self, field, **kwargs):
        pairs = None if self.multiple else _pairs(field.choices)
        if pairs is None:
            return super().__call__(field, **kwargs)
        # WTForms' opening tag, then the options of the (value, label) pairs in one pass: no Choice or Markup
        # made for each of the five hundred time zones of the profile page
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        coerce, data = field.coerce, field.data
        options = "".join(
            option_html(str(v) if isinstance(v, bool) else v, label or v, coerce(v) == data) for v, label in pairs
        )
        # the values and labels are escaped by option_html, the attributes by html_params
        return Markup(f"<select {widgets.html_params(name=field.name, **kwargs)}>{options}</select>")  # noqa: S704 # nosec B704

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        return Markup(option_html(value, choice.label or choice.value, choice.selected))  # noqa: S704 # nosec B704


def _pairs(choices: Any) -> list[tuple[Any, Any]] | None:
    """The choices when they are a plain list of (value, label) pairs, the form nearly every field uses."""
    if isinstance(choices, list) and all(type(c) is tuple and len(c) == 2 for c in choices):
        return choices
    return None


class SelectField(wtforms.SelectField):
    """WTForms' select; a plain list of (value, label) pairs is read as it is, without making each pair a
    SelectChoice twice over (once to ask whether there are groups, once to list them): a time-zone list of five
    hundred zones spent most of the profile page there."""

    widget = Select()

    def has_groups(self):
        return False if _pairs(self.choices) is not None else super().has_groups()

    def iter_choices(self):
        pairs = _pairs(self.choices)
        if pairs is None:
            return super().iter_choices()
        coerce, data = self.coerce, self.data
        return [Choice(value, label, coerce(value) == data, {}) for value, label in pairs]


class SelectMultipleField(wtforms.SelectMultipleField):
    widget = Select(multiple=True)
