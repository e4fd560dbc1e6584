"""The theme taxonomy shared by outcomes and partnership projects."""

from __future__ import annotations

from forum.core.i18n import lazy_gettext as _l

#: The theme taxonomy's top level (seed-notes/001 §2, built from the UNITAR series chapters); fixed, not editable.
THEMES: dict[str, str] = {
    "T1": _l("Migration drivers and dynamics"),
    "T2": _l("Human rights and protection of migrants"),
    "T3": _l("Labour migration and mobility"),
    "T4": _l("Irregular migration"),
    "T5": _l("Trafficking in persons and smuggling"),
    "T6": _l("Integration and social cohesion"),
    "T7": _l("Diasporas and transnational communities"),
    "T8": _l("Remittances and financial inclusion"),
    "T9": _l("Migration and development, policy coherence"),
    "T10": _l("Partnerships and migration governance"),
    "T11": _l("Capacity-building and training"),
    "T12": _l("Migration data and research"),
    "T13": _l("Health and migration"),
}
