import json
import re

from django.core.management.base import BaseCommand, CommandError

from rankings.engine import ExplanationError
from rankings.engine.parsing import MAX_ROBUSTNESS_DRAWS
from rankings.errors import RaceConfigurationError
from rankings.management.commands.publish import race_and_period
from rankings.selectors.explanations import district_explanation

# Plain ASCII digits only: int() would also read "٣" or "３", which nobody types on purpose.
WHOLE_NUMBER = re.compile(r"[0-9]+")


def _whole_number(text: str | None, argument: str, *, low: int, high: int | None = None):
    if text is None:
        return None
    if not WHOLE_NUMBER.fullmatch(text):
        raise CommandError(f"{argument}: expected a whole number, got {text!r}")
    number = int(text)
    if number < low or (high is not None and number > high):
        bound = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
        raise CommandError(f"{argument}: must be {bound}, got {number:,}")
    return number


def _signed(number: float) -> str:
    return f"{number:+.6g}"


class Command(BaseCommand):
    help = (
        "Explain one district's place in a race and period: the indicators behind the gap to "
        "another district, what change of one figure would overtake the district above or "
        "lose to the one below, where the score change since the previous period came from, "
        "and how robust the rank is. See docs/explanations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("race", help="Race code")
        parser.add_argument("period", help="Period code, e.g. 2025Q1")
        parser.add_argument("--district", required=True, help="The district to explain (code)")
        parser.add_argument(
            "--versus", help="Compare with this district (default: the one ranked just above)"
        )
        parser.add_argument(
            "--draws", help="Robustness draws (default: the methodology's, else 1000)"
        )
        parser.add_argument("--seed", default="0", help="Robustness seed (default 0)")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, race, period, district, versus, draws, seed, format, **options):
        draws_number = _whole_number(draws, "--draws", low=1, high=MAX_ROBUSTNESS_DRAWS)
        seed_number = _whole_number(seed, "--seed", low=0, high=2**64 - 1)
        race_obj, period_obj = race_and_period(race, period)
        try:
            found = district_explanation(
                race=race_obj,
                period=period_obj,
                district=district,
                versus=versus,
                draws=draws_number,
                seed=seed_number,
            )
        except RaceConfigurationError as error:
            raise CommandError(str(error)) from error
        except ExplanationError as error:
            raise CommandError(f"--{error.argument}: {error} {race} {period_obj}") from error
        if format == "json":
            self.stdout.write(json.dumps(found.explanation.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._write_text(found)

    def _name(self, found, code):
        district = found.districts.get(code)
        return f"{code} {district.display_name}" if district is not None else code

    def _indicator(self, found, code):
        indicator = found.indicators.get(code)
        return indicator.display_name if indicator is not None else code

    def _write_text(self, found):
        explanation = found.explanation
        write = self.stdout.write
        state = (
            f"published revision {found.publication.revision}"
            if found.publication is not None
            else "preview, not published"
        )
        write(f"{found.race.code} {found.period} (methodology v{found.version.number}, {state})")
        rank = explanation.rank if explanation.rank is not None else "unranked"
        log = explanation.contribution_scale == "log"
        write(
            f"{self._name(found, explanation.district)}: rank {rank}, "
            f"score {explanation.score:.6g}"
            + (" (contributions add up to the log of the score)" if log else "")
        )
        self._write_versus(found, log)
        self._write_changes(found, explanation.overtake, "To overtake", "needs")
        self._write_changes(found, explanation.hold, "To stay ahead of", "can fall to")
        self._write_rank_change(found, log)
        robustness = explanation.robustness
        if robustness is not None:
            write("")
            write(
                f"Robustness ({robustness.draws} draws, seed {robustness.seed}): rank "
                f"{robustness.rank_low} to {robustness.rank_high} (5th to 95th percentile), "
                f"median {robustness.rank_median}"
            )

    def _write_versus(self, found, log):
        versus = found.explanation.versus
        if versus is None:
            return
        write = self.stdout.write
        difference = versus.score_difference
        where = "Ahead of" if difference > 0 else "Behind" if difference < 0 else "Level with"
        write("")
        write(
            f"{where} {self._name(found, versus.district)}: "
            f"{'ln score' if log else 'score'} difference {_signed(difference)}"
        )
        # Parts of the difference's own sign open the gap; the others close it.
        sign = 1 if difference >= 0 else -1
        opening = [(c, p) for c, p in versus.parts.items() if p * sign > 0]
        closing = [(c, p) for c, p in versus.parts.items() if p * sign < 0]
        for label, parts in (("opening the gap", opening), ("closing it", closing)):
            if parts:
                listed = ", ".join(f"{self._indicator(found, c)} {_signed(p)}" for c, p in parts)
                write(f"  {label}: {listed}")

    def _write_changes(self, found, changes, heading, verb):
        if not changes:
            return
        write = self.stdout.write
        write("")
        write(f"{heading} {self._name(found, changes[0].rival)}, one figure at a time:")
        for change in changes:
            name = self._indicator(found, change.indicator)
            if change.value is None:
                write(f"  {name}: no figure of its own")
            elif not change.reachable:
                outcome = (
                    "not reachable: no figure within the search range does it"
                    if verb == "needs"
                    else "no fall within the search range loses the place"
                )
                write(f"  {name}: {outcome}")
            elif change.change == 0:
                # The least fall loses (a figure level with the group's worst drops to the
                # bottom of a min-max range, for example).
                write(f"  {name}: {change.value:.6g}, and the least fall loses the place")
            else:
                write(
                    f"  {name}: {change.value:.6g} {verb} {change.needed:.6g} "
                    f"({_signed(change.change)})"
                )

    def _write_rank_change(self, found, log):
        change = found.explanation.rank_change
        if change is None:
            return
        write = self.stdout.write
        write("")
        write(
            f"Since {change.previous_period}: {'ln score' if log else 'score'} "
            f"{_signed(change.score_change)}"
        )
        own = ", ".join(f"{self._indicator(found, c)} {_signed(p)}" for c, p in change.own.items())
        write(f"  own figures: {own}")
        write(f"  the other districts' figures: {_signed(change.others)}")
        write(f"  the methodology: {_signed(change.methodology)}")
