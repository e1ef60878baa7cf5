"""The alignment report as plain rows for the Excel writer in `selaras.formats.alignment_report`.

Only the conversion of report objects lives here; the workbook layout is a format concern.
"""

from __future__ import annotations

from selaras.formats.alignment_report import FindingLine, ReportSheets, write_report
from selaras.web.alignment.selectors import AlignmentReport

__all__ = ["report_sheets", "report_workbook"]


def report_sheets(report: AlignmentReport) -> ReportSheets:
    """What the workbook shows of `report`, as plain values."""
    findings = [
        FindingLine(code=row.finding.code, severity=row.severity_label, title=row.title, agency=row.agency,
                    document=row.finding.location.document, line=row.finding.location.line,
                    location_code=row.finding.location.code, year=row.finding.location.year,
                    message=row.message, params=dict(row.finding.params))
        for row in report.rows
    ]
    return ReportSheets(
        government_name=report.government.name, year=report.year, findings=findings,
        rules=[(group.code, group.title, group.severity_label, group.count) for group in report.by_rule],
        agencies=[(agency.code or "-", agency.name, agency.errors, agency.warnings, agency.total)
                  for agency in report.by_agency],
        coverage=[(label, share["done"], share["total"], share["percent"])
                  for label, share in report.coverage_rows()],
    )


def report_workbook(report: AlignmentReport) -> bytes:
    """The report as an .xlsx file (bytes)."""
    return write_report(report_sheets(report))
