"""manage.py store_explanations RACE PERIOD: store every explanation of the period's current
publication (rank intervals, overtake, rank-change parts) so that pages read them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from districts.periods import Period
from rankings.errors import RaceConfigurationError
from rankings.models import Race
from rankings.selectors.publications import publication_current
from rankings.services.explanations import store_explanations


class Command(BaseCommand):
    help = "Store the explanations of a race's published standings for a period (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("race", help="the race's code")
        parser.add_argument("period", help="the period, e.g. 2024 or 2024Q3")

    def handle(self, *args, race: str, period: str, **options) -> None:
        found = Race.objects.filter(code=race).first()
        if found is None:
            raise CommandError(f"race: no race with code {race!r}")
        try:
            parsed = Period.parse(period)
        except (ValueError, TypeError) as error:
            raise CommandError(f"period: {error}") from None
        publication = publication_current(race=found, period=parsed)
        if publication is None:
            raise CommandError(f"period: race {race!r} has no publication for {parsed.code}")
        try:
            stored = store_explanations(publication)
        except RaceConfigurationError as error:
            raise CommandError(str(error)) from None
        if stored:
            self.stdout.write(f"stored the explanations of {stored} districts of {publication}")
        else:
            self.stdout.write(f"the explanations of {publication} were stored already")
