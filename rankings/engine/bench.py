"""Time run_race on a synthetic race: `python -m rankings.engine.bench [districts] [runs]`.

Prints the median time per run and the peak memory of one run; asserts nothing.
Default: 200 districts × 30 indicators in a 3-level tree (root → 5 dimensions → 2 groups
→ 3 indicators, one dimension a geometric mean), every normalisation method and missing
policy, about 3 % missing figures, previous standings, 50 runs.

`python -m rankings.engine.bench --wide [districts] [runs]` times the large case (2,844
districts × 40 z-scored indicators, 20 % missing and imputed, reasons and previous
standings) beside a numpy floor in the same run: the same matrix mean-filled, z-scored,
weighted and argsorted. The machine may be shared, so only the ratio is comparable
between runs.

`python -m rankings.engine.bench --robustness [districts] [indicators] [draws]` times the
Monte Carlo rank intervals of explanations (default 100 districts × 20 indicators, 1,000
draws, weights ±20 % and two other normalisations; the target is under 2 s) beside a numpy
floor in the same run: perturbed weights times a ready z-score matrix, then a sort per
draw, then one whole explanation and the overtake of every district of that race (what
publishing stores). The default run (no option) times both the race and the robustness.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from .explain import explain_district, neighbours
from .inputs import Figure, IndicatorInfo, PreviousStanding
from .overtaking import changes_each
from .parsing import parse_methodology
from .race import run_race
from .race_setup import RaceSetup
from .robustness import rank_intervals

METHODS: list[dict[str, Any]] = [
    {"method": "efficacy"},
    {"method": "minmax"},
    {"method": "zscore"},
    {"method": "goalposts", "min": 0, "max": 200},
    {"method": "rank_points"},
    {"method": "target_ratio", "cap": 150},
]
INPUTS = ["growth", "value", "target_completion", "progress", "value", "target_completion"]
MISSING = ["average", "zero", "reweight"]


def synthetic_spec(dimensions: int = 5, groups: int = 2, per_group: int = 3) -> dict[str, Any]:
    nodes = []
    number = 0
    for d in range(dimensions):
        group_nodes = []
        for g in range(groups):
            leaves = []
            for _ in range(per_group):
                leaves.append(
                    {
                        "indicator": f"i{number:02d}",
                        "weight": 1 + number % 4,
                        "input": INPUTS[number % len(INPUTS)],
                        # The geometric dimension needs positive scores: efficacy gives 60..100.
                        "normalisation": METHODS[0] if d == 0 else METHODS[number % len(METHODS)],
                        "missing": MISSING[number % len(MISSING)],
                    }
                )
                number += 1
            group_nodes.append({"code": f"d{d}g{g}", "weight": 1, "nodes": leaves})
        nodes.append(
            {
                "code": f"d{d}",
                "weight": 10 + d,
                "nodes": group_nodes,
                "aggregation": "geometric_mean" if d == 0 else "weighted_mean",
            }
        )
    return {
        "code": "bench",
        "name": "Benchmark race",
        "score": {
            "aggregation": "weighted_sum",
            "round": 2,
            "min_coverage": 0.5,
            "tie_break": ["i00"],
        },
        "flags": [
            {"name": "red", "position": "top", "count": 3},
            {"name": "yellow", "position": "bottom", "count": 3},
        ],
        "nodes": nodes,
    }


def synthetic_inputs(codes: tuple[str, ...], districts: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    entrants = [f"district-{n:03d}" for n in range(districts)]
    figures = {}
    for district in entrants:
        for code in codes:
            if rng.random() < 0.03:  # a few unreported figures
                continue
            last_year = rng.uniform(50, 150)
            figures[(district, code)] = Figure(
                value=last_year * rng.uniform(0.9, 1.2),
                last_year=last_year,
                target=rng.uniform(100, 200),
                year_share=0.75,
                ref={"id": f"{district}/{code}", "period": "2024-Q3"},
            )
    indicators = {
        code: IndicatorInfo(code, "lower" if code.endswith("7") else "higher") for code in codes
    }
    previous = {
        district: PreviousStanding(rank=n + 1, contributions={code: 1.0 for code in codes})
        for n, district in enumerate(entrants)
        if n % 10
    }
    return {
        "entrants": entrants,
        "figures": figures,
        "indicators": indicators,
        "previous": previous,
    }


def wide_spec(indicators: int = 40) -> dict[str, Any]:
    """A flat z-score race: every leaf imputes the group mean when a figure is missing."""
    return {
        "code": "bench-wide",
        "name": "Wide benchmark race",
        "score": {"aggregation": "weighted_mean", "round": 3, "reasons": 3},
        "flags": [
            {"name": "red", "position": "top", "count": 10},
            {"name": "yellow", "position": "bottom", "count": 10},
        ],
        "nodes": [
            {
                "indicator": f"w{n:02d}",
                "weight": 1 + n % 5,
                "normalisation": {"method": "zscore"},
                "missing": "average",
            }
            for n in range(indicators)
        ],
    }


def wide_inputs(codes: tuple[str, ...], districts: int, seed: int = 11) -> dict[str, Any]:
    rng = random.Random(seed)
    entrants = [f"district-{n:04d}" for n in range(districts)]
    figures = {
        (district, code): Figure(value=rng.gauss(100, 15), ref={"id": f"{district}/{code}"})
        for district in entrants
        for code in codes
        if rng.random() >= 0.2  # a fifth unreported: imputed with the group mean
    }
    indicators = {code: IndicatorInfo(code, "higher") for code in codes}
    previous = {
        district: PreviousStanding(rank=n + 1, contributions={code: 0.0 for code in codes})
        for n, district in enumerate(entrants)
    }
    return {
        "entrants": entrants,
        "figures": figures,
        "indicators": indicators,
        "previous": previous,
    }


def numpy_floor(methodology: Any, inputs: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """The least any engine must do: weighted z-scores of a mean-filled matrix, then sort.

    Timed twice: from a ready matrix, and reading the matrix from the figures first (as the
    engine has to)."""
    import numpy as np

    codes = methodology.indicator_codes
    entrants, figures = inputs["entrants"], inputs["figures"]
    weights = np.array([leaf.weight for leaf in methodology.leaves])
    weights = weights / weights.sum()

    def read() -> Any:
        return np.array(
            [
                [figures[(d, c)].value if (d, c) in figures else np.nan for c in codes]
                for d in entrants
            ]
        )

    def rank(matrix: Any) -> Any:
        means = np.nanmean(matrix, axis=0)
        filled = np.where(np.isnan(matrix), means, matrix)
        z = (filled - means) / np.nanstd(matrix, axis=0, ddof=1)
        return np.argsort(-(z @ weights), kind="stable")

    matrix = read()
    return {"from a matrix": lambda: rank(matrix), "from figures": lambda: rank(read())}


def _median_ms(function: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median wall and CPU (process) time of a run, in ms; CPU time is less disturbed when
    the machine is shared."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def wide(argv: list[str]) -> None:
    districts = int(argv[0]) if argv else 2844
    runs = int(argv[1]) if len(argv) > 1 else 5
    methodology = parse_methodology(wide_spec())
    inputs = wide_inputs(methodology.indicator_codes, districts)
    floors = numpy_floor(methodology, inputs)
    engine_ms, engine_cpu = _median_ms(lambda: run_race(methodology, **inputs), runs)
    print(
        f"run_race: {districts} districts × {len(methodology.indicator_codes)} zscore "
        f"indicators, 20 % missing (average), reasons, previous standings; median of {runs}"
    )
    print(f"  engine {engine_ms:.1f} ms/run (CPU {engine_cpu:.1f} ms)")
    for name, floor in floors.items():
        floor_ms, floor_cpu = _median_ms(floor, max(runs, 20))
        print(
            f"  numpy floor {name}: {floor_ms:.1f} ms/run (CPU {floor_cpu:.1f} ms); "
            f"engine / floor = {engine_ms / floor_ms:.1f} (CPU {engine_cpu / floor_cpu:.1f})"
        )


def robustness_floor(methodology: Any, inputs: dict[str, Any], draws: int) -> Callable[[], Any]:
    """The least any Monte Carlo of the weights must do: draw the weights, weight a ready
    normalised matrix and sort every draw."""
    import numpy as np

    codes = methodology.indicator_codes
    matrix = np.array(
        [
            [
                inputs["figures"][(d, c)].value if (d, c) in inputs["figures"] else np.nan
                for c in codes
            ]
            for d in inputs["entrants"]
        ]
    )
    means = np.nanmean(matrix, axis=0)
    filled = np.where(np.isnan(matrix), means, matrix)
    z = (filled - means) / np.nanstd(matrix, axis=0, ddof=1)
    weights = np.array([leaf.weight for leaf in methodology.leaves])

    def floor() -> Any:
        drawn = weights * np.random.default_rng(1).uniform(0.8, 1.2, size=(draws, len(codes)))
        return np.argsort(-(drawn @ z.T), axis=1, kind="stable")

    return floor


def robustness(argv: list[str]) -> None:
    districts = int(argv[0]) if argv else 100
    indicators = int(argv[1]) if len(argv) > 1 else 20
    draws = int(argv[2]) if len(argv) > 2 else 1000
    runs = 5
    spec = wide_spec(indicators)
    spec["robustness"] = {"weight_spread": 0.2, "normalisations": ["minmax", "efficacy"]}
    methodology = parse_methodology(spec)
    inputs = wide_inputs(methodology.indicator_codes, districts)
    setup = RaceSetup(
        methodology, tuple(inputs["entrants"]), inputs["figures"], inputs["indicators"]
    )
    result = setup.run()
    engine_ms, engine_cpu = _median_ms(
        lambda: rank_intervals(setup, draws=draws, seed=1, result=result), runs
    )
    floor_ms, floor_cpu = _median_ms(robustness_floor(methodology, inputs, draws), runs)
    print(
        f"rank_intervals: {districts} districts × {indicators} indicators, {draws} draws "
        f"(weights ±20 %, zscore / minmax / efficacy); median of {runs}; target under 2000 ms"
    )
    print(f"  engine {engine_ms:.1f} ms/run (CPU {engine_cpu:.1f} ms)")
    print(
        f"  numpy floor (weights × ready z-scores, sort per draw): {floor_ms:.1f} ms/run "
        f"(CPU {floor_cpu:.1f} ms); engine / floor = {engine_ms / floor_ms:.1f} "
        f"(CPU {engine_cpu / floor_cpu:.1f})"
    )
    middle = result.standings[len(result.standings) // 2].district
    explain_ms, explain_cpu = _median_ms(
        lambda: explain_district(setup, district=middle, draws=draws, seed=1, result=result), 3
    )
    print(
        f"  a whole explanation of a mid-table district (versus, overtake and hold on every "
        f"indicator, robustness): {explain_ms:.1f} ms (CPU {explain_cpu:.1f} ms), median of 3"
    )
    pairs = {}
    for standing in result.standings:
        above, _ = neighbours(result, standing.district)
        if standing.score is not None and above is not None:
            pairs[standing.district] = above
    overtake_ms, overtake_cpu = _median_ms(
        lambda: changes_each(setup, pairs=pairs, overtake=True), 3
    )
    print(
        f"  overtake of every district against the one above, every indicator (what "
        f"publishing stores): {overtake_ms:.1f} ms (CPU {overtake_cpu:.1f} ms), median of 3"
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--wide"]:
        wide(argv[1:])
        return
    if argv[:1] == ["--robustness"]:
        robustness(argv[1:])
        return
    districts = int(argv[0]) if argv else 200
    runs = int(argv[1]) if len(argv) > 1 else 50
    methodology = parse_methodology(synthetic_spec())
    inputs = synthetic_inputs(methodology.indicator_codes, districts)
    run_race(methodology, **inputs)  # warm-up

    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run_race(methodology, **inputs)
        timings.append((time.perf_counter() - start) * 1000)

    tracemalloc.start()
    run_race(methodology, **inputs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"run_race: {districts} districts × {len(methodology.indicator_codes)} indicators, "
        f"3-level tree, {runs} runs"
    )
    print(
        f"  median {statistics.median(timings):.1f} ms/run "
        f"(min {min(timings):.1f}, max {max(timings):.1f})"
    )
    print(f"  peak memory {peak / 1024 / 1024:.2f} MiB (tracemalloc, one run)")
    robustness([])


if __name__ == "__main__":
    main(sys.argv[1:])
