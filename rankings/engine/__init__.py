"""Saima's ranking engine ("horse race"): plain Python, no Django.

    methodology = parse_methodology(tomllib.load(file))
    result = run_race(methodology, entrants=codes, figures=figures, indicators=infos)

See docs/methodology.md for the file format and the methods.
"""

from .collection import cycle_collection_paused
from .inputs import Figure, IndicatorInfo, PreviousStanding
from .methodology import (
    Cap,
    Dimension,
    FlagRule,
    Leaf,
    Methodology,
    Node,
    Normalisation,
    ScoreRule,
)
from .parsing import MethodologyError, parse_methodology
from .race import run_race
from .ranking import Entry, Placed, competition_ranks, round_half_away
from .results import DimensionResult, IndicatorResult, RaceResult, Reason, Standing

__all__ = [
    "cycle_collection_paused",
    "Cap",
    "Dimension",
    "DimensionResult",
    "Entry",
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
    "Reason",
    "competition_ranks",
    "ScoreRule",
    "Standing",
    "parse_methodology",
    "round_half_away",
    "run_race",
]
