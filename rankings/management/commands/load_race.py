from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rankings.errors import RaceConfigurationError
from rankings.methodology_files import MethodologyFileError, methodology_from_file
from rankings.services.races import race_load


class Command(BaseCommand):
    help = "Create or update a race from a methodology file (TOML); see docs/methodology.md."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--note", default="", help="What changed, kept with the version.")
        parser.add_argument("--user", help="Username recorded as the author of the version.")

    def handle(self, *args, file, note, user, **options):
        author = None
        if user:
            try:
                if "\x00" in user:  # PostgreSQL refuses NUL in text, and no username holds one
                    raise get_user_model().DoesNotExist
                author = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"--user: no user named {user!r}") from error
        try:
            spec = methodology_from_file(file)
            result = race_load(spec=spec, user=author, note=note)
        except MethodologyFileError as error:
            raise CommandError(str(error)) from error
        except RaceConfigurationError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(error.problems)} problem(s) in {file}; nothing was loaded"
            ) from error
        race, version = result.race, result.version
        if result.created_version:
            action = "created" if result.created_race else "updated"
            self.stdout.write(f"Race {race.code} {action}: methodology version {version.number}.")
        else:
            self.stdout.write(
                f"Race {race.code} unchanged: methodology version {version.number} is current."
            )
