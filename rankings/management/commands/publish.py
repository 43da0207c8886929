from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from districts.periods import Period, PeriodError
from rankings.errors import RaceConfigurationError
from rankings.models import Race
from rankings.services.publishing import standings_publish


class Command(BaseCommand):
    help = "Publish a race's standings for a period as an immutable snapshot."

    def add_arguments(self, parser):
        parser.add_argument("race", help="Race code")
        parser.add_argument("period", help="Period code, e.g. 2025Q1")
        parser.add_argument("--user", help="Username recorded as the publisher.")

    def handle(self, *args, race, period, user, **options):
        race_obj, period_obj = race_and_period(race, period)
        publisher = None
        if user:
            # PostgreSQL refuses NUL in text, and no username holds one.
            users = get_user_model().objects.filter(username=user)
            publisher = None if "\x00" in user else users.first()
            if publisher is None:
                raise CommandError(f"--user: no user named {user!r}")
        try:
            result = standings_publish(race=race_obj, period=period_obj, user=publisher)
        except RaceConfigurationError as error:
            raise CommandError(str(error)) from error
        publication = result.publication
        if not result.created:
            self.stdout.write(
                f"{race} {period_obj}: inputs unchanged; revision {publication.revision} "
                "stays current."
            )
        elif result.superseded:
            self.stdout.write(
                f"{race} {period_obj}: published revision {publication.revision}; "
                f"revision {result.superseded.revision} is superseded."
            )
        else:
            self.stdout.write(f"{race} {period_obj}: published revision {publication.revision}.")


def race_and_period(race: str, period: str) -> tuple[Race, Period]:
    try:
        period_obj = Period.parse(period)
    except PeriodError as error:
        raise CommandError(f"period: {error}") from error
    try:
        if "\x00" in race:  # PostgreSQL refuses NUL in text, and no code holds one
            raise Race.DoesNotExist
        return Race.objects.select_related("group").get(code=race), period_obj
    except Race.DoesNotExist as error:
        known = ", ".join(Race.objects.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"no race with code {race!r} (known: {known})") from error
