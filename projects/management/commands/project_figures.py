"""manage.py project_figures PERIOD --indicator share_on_schedule=CODE ... --user NAME"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from districts.models import Indicator
from districts.periods import Period, PeriodError
from projects.services.figures import FIGURES, project_figures_compute


class Command(BaseCommand):
    help = (
        "Compute each unit's figures from its projects' weekly reports for a month or a "
        "quarter and save them as draft values, citing the reports, for the normal review."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="a month (2026-03) or a quarter (2026Q1)")
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            metavar="FIGURE=CODE",
            help=f"which indicator holds a figure; figures: {', '.join(FIGURES)}",
        )
        parser.add_argument(
            "--user", required=True, help="the bureau member recorded as entering the figures"
        )

    def handle(self, *args, period, indicator, user, **options):
        try:
            period_obj = Period.parse(period)
        except PeriodError as error:
            raise CommandError(f"PERIOD {period!r}: {error}") from error
        indicator_map = _indicator_map(indicator)
        entering = (
            None if "\x00" in user else get_user_model().objects.filter(username=user).first()
        )
        if entering is None:
            raise CommandError(f"--user: no user named {user!r}")
        try:
            result = project_figures_compute(
                user=entering, period=period_obj, indicator_map=indicator_map
            )
        except PermissionDenied as error:
            raise CommandError(f"--user {user}: {error}") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{period_obj} (reports up to {result.last_week}): {result.written} figures "
            f"saved as drafts, {result.unchanged} unchanged, {len(result.skipped)} skipped."
        )
        for unit, indicator_obj, reason in result.skipped:
            self.stdout.write(f"  skipped {unit.code} {indicator_obj.code}: {reason}")


def _indicator_map(options: list[str]) -> dict[str, Indicator]:
    if not options:
        raise CommandError(
            f"--indicator FIGURE=CODE is needed at least once; figures: {', '.join(FIGURES)}"
        )
    wanted: dict[str, str] = {}
    for option in options:
        name, sep, code = option.partition("=")
        name, code = name.strip(), code.strip()
        if not sep or not name or not code:
            raise CommandError(f"--indicator {option!r}: write FIGURE=CODE")
        if name not in FIGURES:
            raise CommandError(
                f"--indicator {option!r}: no figure {name!r}; figures: {', '.join(FIGURES)}"
            )
        if name in wanted:
            raise CommandError(f"--indicator {option!r}: {name} is given twice")
        wanted[name] = code
    codes = [code for code in wanted.values() if "\x00" not in code]
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unknown = [code for code in wanted.values() if code not in found]
    if unknown:
        raise CommandError(f"--indicator: no indicator with code {', '.join(map(repr, unknown))}")
    return {name: found[code] for name, code in wanted.items()}
