"""The scheduling board as a CSV or Excel file: the page's lists, one row each, with the same
columns in both formats; numbers stay numbers, text never runs as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pages.spreadsheets import csv_row, xlsx_append
from projects.selectors.board import ProjectLine, SchedulingBoard, Totals

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(board: SchedulingBoard, file_format: str) -> str:
    return f"scheduling-board-{board.week.code}.{file_format}"


def export_header() -> list[str]:
    return [
        _("List"),
        _("Unit code"),
        _("Unit"),
        _("Project"),
        _("Industry"),
        _("Planned this year (10,000 yuan)"),
        _("Completed this year (10,000 yuan)"),
        _("Share done (%)"),
        _("Latest report"),
        _("Problem"),
        _("Weeks open"),
        _("Completed this week (10,000 yuan)"),
        _("Projects behind"),
        _("Change in projects behind"),
    ]


def _figure(number: Decimal | None) -> float | None:
    # Stored with ten decimal places; a spreadsheet needs the number, not 240.0000000000.
    return round(float(number), 4) if number is not None else None


def _percent(share: float | None) -> float | None:
    return round(share * 100, 1) if share is not None else None


def _project_row(section: str, line: ProjectLine) -> list:
    project = line.project
    return [
        section,
        project.unit.code,
        project.unit.display_name,
        project.name,
        project.industry,
        _figure(project.planned_annual_investment),
        _figure(line.completed) if line.report else None,
        _percent(line.share_done),
        line.report.week if line.report else "",
        "",
        None,
        None,
        None,
        None,
    ]


def _totals_row(section: str, code: str, name: str, industry: str, totals: Totals) -> list:
    return [
        section,
        code,
        name,
        _("%(count)s projects") % {"count": totals.projects},
        industry,
        _figure(totals.planned),
        _figure(totals.completed),
        _percent(totals.share_done),
        "",
        "",
        None,
    ]


def export_rows(board: SchedulingBoard) -> Iterable[list]:
    sections = (
        ("behind", _("Behind the time account")),
        ("not_reported", _("Not reported")),
        ("not_started", _("Not started when planned")),
    )
    for attribute, label in sections:
        for unit in board.units:
            for line in getattr(unit, attribute):
                yield _project_row(label, line)
    for unit in board.units:
        for problem in unit.new_problems:
            yield _problem_row(_("New problem"), problem, None)
    label = _("Problem open more than %(weeks)s weeks") % {"weeks": board.open_weeks}
    for unit in board.units:
        for line in unit.long_open_problems:
            yield _problem_row(label, line.problem, line.weeks_open)
    for unit in board.units:
        yield [
            *_totals_row(_("Unit total"), unit.unit.code, unit.unit.display_name, "", unit.totals),
            _figure(unit.completed_this_week),
            len(unit.behind),
            unit.behind_change,
        ]
    for industry, totals in board.industries.items():
        yield [*_totals_row(_("Industry total"), "", "", industry, totals), None, None, None]
    yield [*_totals_row(_("All units"), "", "", "", board.totals), None, None, None]


def _problem_row(section: str, problem, weeks_open: int | None) -> list:
    project = problem.project
    return [
        section,
        project.unit.code,
        project.unit.display_name,
        project.name,
        project.industry,
        None,
        None,
        None,
        problem.raised_week,
        f"{problem.get_category_display()} ({problem.get_status_display()}): {problem.description}",
        weeks_open,
        None,
        None,
        None,
    ]


def export_title(board: SchedulingBoard) -> str:
    return _("Weekly scheduling board %(week)s (%(first)s to %(last)s)") % {
        "week": board.week.code,
        "first": board.week.first_day.isoformat(),
        "last": board.week.last_day.isoformat(),
    }


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(board: SchedulingBoard) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte-order mark tells Excel the file is UTF-8, so Chinese names open correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(csv_row(export_header()))
    for row in export_rows(board):
        writer.writerow(csv_row(row))
    return _attachment(response, export_filename(board, "csv"))


def xlsx_response(board: SchedulingBoard) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = board.week.code
    xlsx_append(sheet, [export_title(board)])
    sheet["A1"].font = Font(bold=True, size=13)
    xlsx_append(sheet, export_header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in export_rows(board):
        xlsx_append(sheet, row)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGHIJ", (22, 10, 14, 24, 12, 12, 12, 9, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, export_filename(board, "xlsx"))
