"""Time run_race on a synthetic race: `python -m rankings.engine.bench [districts] [runs]`.

Prints the median time per run and the peak memory of one run; asserts nothing.
Default: 200 districts × 30 indicators in a 3-level tree (root → 5 dimensions → 2 groups
→ 3 indicators, one dimension a geometric mean), every normalisation method and missing
policy, about 3 % missing figures, previous standings, 50 runs.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from typing import Any

from .inputs import Figure, IndicatorInfo, PreviousStanding
from .parsing import parse_methodology
from .race import run_race

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


def main(argv: list[str]) -> None:
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


if __name__ == "__main__":
    main(sys.argv[1:])
