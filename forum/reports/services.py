"""The report of a cycle: sections contributed by the areas, rendered to HTML and then to PDF by WeasyPrint.

An area adds its part of the report by appending a Section to SECTIONS (a title, a template, and a function
that loads what the template needs for one cycle, in a bounded number of queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from forum.structure import services as structure
from forum.structure.models import ForumCycle


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    template: str
    load: Callable[[ForumCycle], dict[str, Any]]


def _the_cycle(cycle: ForumCycle) -> dict[str, Any]:
    return {"troika": structure.troika_of(cycle), "holders": structure.office_holders(cycle)}


def _the_bodies(cycle: ForumCycle) -> dict[str, Any]:
    day = cycle.summit_starts_on or cycle.ends_on
    bodies = [b for b in structure.bodies_overview() if b.cycle_id in (None, cycle.id)]
    members = structure.members_of_bodies_on(bodies, day)
    return {"day": day, "bodies": [(b, members.get(b.id, [])) for b in bodies if members.get(b.id)]}


SECTIONS: list[Section] = [
    Section("cycle", _l("The cycle"), "reports/_cycle.html", _the_cycle),
    Section("bodies", _l("The bodies and their members"), "reports/_bodies.html", _the_bodies),
]


def cycle_report_html(cycle: ForumCycle) -> str:
    sections = [(section, section.load(cycle)) for section in SECTIONS]
    return render_template("reports/cycle.html", cycle=cycle, sections=sections)


STATIC_PREFIX = "file:///static/"


def _static_file(url: str) -> Path:
    """The static file a report URL names; anything else (the network, other files) is refused."""
    static = Path(current_app.static_folder).resolve()
    if not url.startswith(STATIC_PREFIX):
        raise ValueError(f"the report may not fetch {url}")
    path = (static / url.removeprefix(STATIC_PREFIX).split("?")[0]).resolve()
    if static not in path.parents or not path.is_file():
        raise ValueError(f"the report may not fetch {url}")
    return path


def render_document(html: str):
    """The laid-out report (WeasyPrint's Document); its stylesheet and images come from the static folder only."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_file(url)
            content_type = "text/css" if path.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyFetcher()).render()


def render_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()
