import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rankings.methodology_files import methodology_to_toml
from rankings.models import MethodologyVersion, Race


class Command(BaseCommand):
    help = "Write a race's methodology (current or a given version) as a TOML file."

    def add_arguments(self, parser):
        parser.add_argument("race", help="Race code")
        parser.add_argument("file", nargs="?", default="-", help="Output file; - for stdout")
        parser.add_argument("--methodology-version", type=int, dest="version_number")

    def handle(self, *args, race, file, version_number, **options):
        try:
            if "\x00" in race:  # PostgreSQL refuses NUL in text, and no code holds one
                raise Race.DoesNotExist
            race_obj = Race.objects.get(code=race)
        except Race.DoesNotExist as error:
            raise CommandError(f"no race with code {race!r}") from error
        versions = race_obj.versions.all()
        if version_number is not None:
            versions = versions.filter(number=version_number)
        version: MethodologyVersion | None = versions.order_by("-number").first()
        if version is None:
            raise CommandError(f"race {race!r} has no such methodology version")
        text = methodology_to_toml(version.spec)
        if file == "-":
            sys.stdout.write(text)
        else:
            Path(file).write_text(text, encoding="utf-8")
