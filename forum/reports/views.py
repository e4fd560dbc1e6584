"""The report of proceedings of a cycle, as a page and as PDF."""

from __future__ import annotations

from flask import Blueprint, Response

from forum.core.errors import NotFound
from forum.reports import services
from forum.structure import services as structure

bp = Blueprint("reports", __name__)


def _cycle(year: int):
    cycle = structure.cycle_by_year(year)
    if cycle is None:
        raise NotFound()
    return cycle


@bp.get("/cycles/<int:year>/report")
def cycle_report(year: int):
    return services.cycle_report_html(_cycle(year))


@bp.get("/cycles/<int:year>/report.pdf")
def cycle_report_pdf(year: int):
    cycle = _cycle(year)
    pdf = services.render_pdf(services.cycle_report_html(cycle))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="gfmd-{cycle.year}-report-of-proceedings.pdf"'},
    )
