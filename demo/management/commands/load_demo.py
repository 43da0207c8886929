from django.core.management.base import BaseCommand, CommandError

from demo.city import DEMO_PASSWORD, DemoLoadRefused, load_demo


class Command(BaseCommand):
    help = (
        "Load the illustrative demo city (idempotent). Its figures are NOT real statistics. "
        "Refuses with DEBUG off or when the database holds other districts, unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off or beside districts that are not the demo's.",
        )

    def handle(self, *args, force: bool, **options) -> None:
        try:
            result = load_demo(force=force)
        except DemoLoadRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        summary = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        self.stdout.write("The demo figures are illustrative, not real statistics.")
        if result.users_created:
            self.stdout.write(
                f"Demo users created: {', '.join(result.users_created)} / {DEMO_PASSWORD}"
            )
        if result.users_kept:
            self.stdout.write(
                f"Users that existed already kept their password: {', '.join(result.users_kept)}"
            )
