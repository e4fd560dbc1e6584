"""The report of proceedings of a cycle, as a page and as PDF."""

from __future__ import annotations

from flask import Blueprint, Response

from forum.reports import services
from forum.roundtables import services as roundtables
from forum.structure import services as structure

bp = Blueprint("reports", __name__)


def _pdf(html: str, filename: str) -> Response:
    return Response(
        services.render_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@bp.get("/cycles/<int:year>/report")
def cycle_report(year: int):
    return services.cycle_report_html(structure.cycle_or_404(year))


@bp.get("/cycles/<int:year>/report.pdf")
def cycle_report_pdf(year: int):
    cycle = structure.cycle_or_404(year)
    return _pdf(services.cycle_report_html(cycle), f"gfmd-{cycle.year}-report-of-proceedings.pdf")


@bp.get("/cycles/<int:year>/follow-up/report.pdf")
def follow_up_report_pdf(year: int):
    cycle = structure.cycle_or_404(year)
    return _pdf(services.follow_up_report_html(cycle), f"gfmd-{cycle.year}-follow-up-report.pdf")


@bp.get("/sessions/<ref>/brief.pdf")
def session_brief_pdf(ref: str):
    session = roundtables.session_by_reference(ref)
    return _pdf(services.session_brief_html(session), f"gfmd-{session.reference}-brief.pdf")
