"""The rules that keep the code easy to change, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from config.settings import ROOT
from forum import BLUEPRINTS

FORUM = ROOT / "forum"
TEMPLATES = ROOT / "templates"


def _python_files(pattern: str = "**/*.py") -> list[Path]:
    return sorted(FORUM.glob(pattern))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_services_never_read_the_request():
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("**/services.py")
        if {"flask.request", "flask.session", "flask_login.current_user"} & _imports(path)
    ]
    assert offenders == [], "services take the acting user as an argument and never read the request"


def test_templates_ask_can_instead_of_reading_roles():
    pattern = re.compile(r"\b(is_support_unit|chair_cycle_ids|focal_country_ids)\b")
    offenders = [str(path.relative_to(ROOT)) for path in TEMPLATES.rglob("*.html") if pattern.search(path.read_text())]
    assert offenders == [], "templates ask can(Action.…), they never look at roles"


def test_the_clock_is_read_in_one_place():
    pattern = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if path != FORUM / "core" / "models.py" and pattern.search(path.read_text())
    ]
    assert offenders == [], "use forum.core.dates.today() / utcnow(), which tests can move"


def test_templates_never_mark_text_safe_or_carry_inline_script():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if "|safe" in text.replace(" ", "") or re.search(r"<script(?![^>]*\bsrc=)", text) or " style=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "no |safe, no inline <script>, no style attributes (the CSP forbids them)"


def test_every_area_with_views_is_registered():
    areas = {f"forum.{p.parent.name}.views" for p in _python_files("*/views.py")}
    assert areas == set(BLUEPRINTS)
