from django.core.management.base import BaseCommand

from demo.city import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the illustrative demo city (idempotent). Its figures are NOT real statistics."

    def handle(self, *args, **options) -> None:
        counts = load_demo()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded: {summary}."))
        self.stdout.write(
            "The demo figures are illustrative, not real statistics. "
            f"Demo logins: admin, reviewer, clerk, official, viewer / {DEMO_PASSWORD}"
        )
