import csv
import json

from django.core.management.base import BaseCommand, CommandError

from rankings.errors import RaceConfigurationError
from rankings.management.commands.publish import race_and_period
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.race_previews import race_compute


class Command(BaseCommand):
    help = (
        "Preview a race's standings for a period without publishing. JSON: a list of objects "
        "with rank, district, name, score, tied, flags, rank_change, contributions, reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("race", help="Race code")
        parser.add_argument("period", help="Period code, e.g. 2025Q1")
        parser.add_argument("--format", choices=["json", "csv", "text"], default="text")

    def handle(self, *args, race, period, format, **options):
        race_obj, period_obj = race_and_period(race, period)
        try:
            preview = race_compute(race=race_obj, period=period_obj)
        except RaceConfigurationError as error:
            raise CommandError(str(error)) from error
        renderer = ReasonRenderer(preview.inputs.indicators, period_obj.code)
        records = [
            {
                "rank": standing.rank,
                "district": standing.district,
                "name": preview.inputs.districts[standing.district].name,
                "score": standing.score,
                "ranking_score": standing.ranking_score,
                "tied": standing.tied,
                "flags": list(standing.flags),
                "rank_change": standing.rank_change,
                "movement": standing.movement,
                "coverage": standing.coverage,
                "contributions": dict(standing.contributions),
                "reasons": [
                    {**reason.to_dict(), "text": renderer.render(reason.to_dict())}
                    for reason in standing.reasons
                ],
            }
            for standing in preview.result.standings
        ]
        if format == "json":
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
        elif format == "csv":
            self._write_csv(records, preview.result.standings)
        else:
            self._write_text(records, race_obj, period_obj, preview.version.number)

    def _write_csv(self, records, standings):
        codes = list(standings[0].indicators) if standings else []
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(
            ["rank", "tied", "district", "name", "score", "flags", "rank_change", *codes]
        )
        for record in records:
            writer.writerow(
                [
                    record["rank"] if record["rank"] is not None else "",
                    "yes" if record["tied"] else "",
                    record["district"],
                    record["name"],
                    "" if record["score"] is None else f"{record['score']:.6f}",
                    " ".join(record["flags"]),
                    "" if record["rank_change"] is None else record["rank_change"],
                    *(
                        f"{record['contributions'][code]:.6f}"
                        if code in record["contributions"]
                        else ""
                        for code in codes
                    ),
                ]
            )

    def _write_text(self, records, race, period, version):
        self.stdout.write(f"{race.code} {period} (methodology v{version}) — preview, not published")
        for record in records:
            rank = (
                "-"
                if record["rank"] is None
                else f"{'=' if record['tied'] else ''}{record['rank']}"
            )
            score = "—" if record["score"] is None else f"{record['score']:.3f}"
            flags = f" [{', '.join(record['flags'])}]" if record["flags"] else ""
            self.stdout.write(
                f"{rank:>4}  {score:>9}  {record['district']:<8} {record['name']}{flags}"
            )
            for reason in record["reasons"][:2]:
                self.stdout.write(f"      {reason['text']}")
