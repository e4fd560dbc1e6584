"""The report of proceedings of a cycle, as a page and as PDF."""

from __future__ import annotations

from flask import Blueprint, Response

from forum.reports import services
from forum.structure import services as structure

bp = Blueprint("reports", __name__)



@bp.get("/cycles/<int:year>/report")
def cycle_report(year: int):
    return services.cycle_report_html(structure.cycle_or_404(year))


@bp.get("/cycles/<int:year>/report.pdf")
def cycle_report_pdf(year: int):
    cycle = structure.cycle_or_404(year)
    pdf = services.render_pdf(services.cycle_report_html(cycle))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="gfmd-{cycle.year}-report-of-proceedings.pdf"'},
    )
