import time

from django.core.management.base import BaseCommand, CommandError

from demo.scale import SCALE_SEED, ScaleGenerateRefused, scale_generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with SYNTHETIC data at national scale for measuring Saima: "
        "one group of districts, indicators, quarters of approved values and a z-score race. "
        "Not real statistics. Refuses a database that holds other data unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--districts", type=int, default=2844)
        parser.add_argument("--indicators", type=int, default=40)
        parser.add_argument("--periods", type=int, default=8, help="quarters, from 2024Q1")
        parser.add_argument("--seed", type=int, default=SCALE_SEED)
        parser.add_argument(
            "--force", action="store_true", help="Generate beside other districts and races."
        )

    def handle(self, *args, districts, indicators, periods, seed, force, **options) -> None:
        started = time.perf_counter()
        try:
            result = scale_generate(
                districts=districts,
                indicators=indicators,
                periods=periods,
                seed=seed,
                force=force,
            )
        except (ScaleGenerateRefused, ValueError) as refusal:
            raise CommandError(str(refusal)) from refusal
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data generated in {seconds:.1f} s: {result.districts} districts, "
                f"{result.indicators} indicators, {len(result.periods)} quarters "
                f"({result.periods[0]}–{result.periods[-1]}), {result.values} values, "
                f"race {result.race.code}."
            )
        )
        self.stdout.write(
            f"Publish with: manage.py publish {result.race.code} {result.periods[-1]}. "
            "The figures are synthetic, not real statistics."
        )
