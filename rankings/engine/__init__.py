"""Saima's ranking engine ("horse race"): plain Python, no Django.

    methodology = parse_methodology(tomllib.load(file))
    result = run_race(methodology, entrants=codes, figures=figures, indicators=infos)
    explanation = explain_district(RaceSetup(methodology, codes, figures, infos), district=code)

See docs/methodology.md for the file format and the methods, docs/explanations.md for
the explanations.
"""

from .collection import cycle_collection_paused
from .explain import (
    Explanation,
    ExplanationError,
    Versus,
    explain_district,
    neighbours,
    versus_parts,
)
from .inputs import Figure, IndicatorInfo, PreviousStanding
from .methodology import (
    Cap,
    Dimension,
    FlagRule,
    Leaf,
    Methodology,
    Node,
    Normalisation,
    Robustness,
    ScoreRule,
)
from .overtaking import RequiredChange, hold_changes, overtake_changes, overtakes
from .parsing import MethodologyError, parse_methodology
from .race import run_race
from .race_setup import RaceSetup, ValidRange
from .rank_change import RankChange, rank_change_parts
from .ranking import Entry, Placed, competition_ranks, round_half_away
from .results import DimensionResult, IndicatorResult, RaceResult, Reason, Standing
from .robustness import RankInterval, rank_draws, rank_intervals

__all__ = [
    "cycle_collection_paused",
    "Cap",
    "Dimension",
    "DimensionResult",
    "Entry",
    "Explanation",
    "ExplanationError",
    "Figure",
    "FlagRule",
    "IndicatorInfo",
    "IndicatorResult",
    "Leaf",
    "Methodology",
    "MethodologyError",
    "Node",
    "Normalisation",
    "Placed",
    "PreviousStanding",
    "RaceResult",
    "RaceSetup",
    "RankChange",
    "RankInterval",
    "Reason",
    "RequiredChange",
    "Robustness",
    "competition_ranks",
    "ScoreRule",
    "Standing",
    "ValidRange",
    "Versus",
    "explain_district",
    "hold_changes",
    "neighbours",
    "overtake_changes",
    "overtakes",
    "parse_methodology",
    "rank_change_parts",
    "rank_draws",
    "rank_intervals",
    "round_half_away",
    "run_race",
    "versus_parts",
]
