"""A leaderboard as a CSV or Excel file, with the same columns in both."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from districts.models import DistrictKind
from pages.formatting import flag_label
from pages.spreadsheets import csv_row, xlsx_append
from rankings.models import Standing
from rankings.presenters import leaderboard_reasons, monthly_review_title
from rankings.selectors.leaderboards import Leaderboard
from rankings.tables import indicator_points, reason_headline

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(board: Leaderboard, file_format: str) -> str:
    revision = board.publication.revision if board.publication else 0
    return f"{board.race.code}-{board.period.code}-r{revision}.{file_format}"


def export_header(board: Leaderboard) -> list[str]:
    return [
        _("Rank"),
        _("Tied"),
        _("District code"),
        _("District"),
        _("Kind"),
        _("Score"),
        _("Flags"),
        _("Rank change"),
        _("Movement"),
        *[
            _("%(indicator)s (points)") % {"indicator": indicator.display_name}
            for indicator in board.indicators
        ],
        _("Main reason"),
    ]


def export_rows(
    board: Leaderboard, standings: Iterable[Standing], *, ranked: int
) -> Iterable[list]:
    """One row per standing; numbers stay numbers so spreadsheets can sort and sum them.
    ``ranked`` is how many districts the whole race ranks (the main reason of the bottom
    half is a weakness)."""
    renderer = leaderboard_reasons(board)
    kinds = dict(DistrictKind.choices)
    movements = {
        "up": _("up"),
        "down": _("down"),
        "same": _("no change"),
        "new": _("new"),
        "unranked": _("unranked"),
    }
    for standing in standings:
        reason = reason_headline(standing, ranked=ranked)
        yield [
            standing.rank,
            _("yes") if standing.tied else _("no"),
            standing.district.code,
            standing.district.display_name,
            str(kinds.get(standing.district.kind, standing.district.kind)),
            round(standing.score, 2) if standing.score is not None else None,
            _(", ").join(flag_label(flag) for flag in standing.flags or []),
            standing.rank_change,
            movements.get(standing.movement, standing.movement),
            *[_rounded(indicator_points(standing, i.code)) for i in board.indicators],
            renderer.render(reason) if reason else "",
        ]


def _rounded(points: float | None) -> float | None:
    return round(points, 4) if points is not None else None


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(board: Leaderboard, standings: Iterable[Standing], *, ranked: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The byte-order mark tells Excel the file is UTF-8, so Chinese names open correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(csv_row(export_header(board)))
    for row in export_rows(board, standings, ranked=ranked):
        writer.writerow(csv_row(row))
    return _attachment(response, export_filename(board, "csv"))


def export_title(board: Leaderboard) -> str:
    values = {
        "race": board.race.display_name,
        # A monthly review is named as such, never taken for the quarterly race.
        "period": monthly_review_title(board.period) or board.period.code,
        "revision": board.publication.revision if board.publication else 0,
    }
    return _("%(race)s — %(period)s, revision %(revision)s") % values


def xlsx_response(
    board: Leaderboard, standings: Iterable[Standing], *, ranked: int
) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = board.period.code
    xlsx_append(sheet, [export_title(board)])
    sheet["A1"].font = Font(bold=True, size=13)
    header = export_header(board)
    xlsx_append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in export_rows(board, standings, ranked=ranked):
        xlsx_append(sheet, row)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGHI", (6, 6, 12, 24, 14, 9, 12, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, export_filename(board, "xlsx"))
