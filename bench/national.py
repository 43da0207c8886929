"""The Django side of bench/run.py: figures measured in a process with Django set up.

``national_figures`` generates the national race (``generate_scale``), publishes it and
times publish, engine, leaderboard and district page, each beside its floor from the same
run. ``small_race_prepared`` makes the 100-district race that gunicorn serves.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import time
from collections.abc import Callable
from functools import partial
from unittest import mock

import numpy as np
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError, connection
from django.template import Context, Engine
from django.test import Client

from accounts.roles import Role, ensure_roles
from demo.scale import RACE_CODE, scale_quarters
from districts.periods import Period
from districts.services.review import values_lock
from rankings.engine import parse_methodology, run_race
from rankings.models import Publication, Race, Standing
from rankings.selectors.publications import previous_standings, publication_current
from rankings.selectors.race_inputs import race_inputs

VIEWER = "bench-viewer"
BACKEND = "accounts.backends.RoleBackend"
BARE_LEADERBOARD = Engine().from_string(
    "<table><tbody>{% for row in rows %}<tr><td>{{ row.rank }}</td>"
    '<td><a href="/districts/{{ row.code }}/">{{ row.name }}</a></td><td>{{ row.score }}</td>'
    "{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}"
    "</tbody></table>"
)
BARE_DISTRICT = Engine().from_string(
    "<h1>{{ name }}</h1><ol>{% for rank in history %}<li>{{ rank.0 }}: {{ rank.1 }}</li>"
    "{% endfor %}</ol><table>{% for row in rows %}<tr><td>{{ row.0 }}</td><td>{{ row.1 }}</td>"
    "<td>{{ row.2 }}</td></tr>{% endfor %}</table>"
)


def _seconds(function: Callable, repeats: int) -> float:
    """The median time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        begun = time.perf_counter()
        function()
        times.append(time.perf_counter() - begun)
    return statistics.median(times)


def _figure(value: float, floor: float, **extra) -> dict:
    return {
        "s": round(value, 4),
        "floor_s": round(floor, 4),
        "ratio": round(value / floor, 1) if floor else None,
        **extra,
    }


def viewer_client() -> Client:
    user, created = get_user_model().objects.get_or_create(username=VIEWER)
    if created:
        user.groups.add(ensure_roles()[Role.VIEWER])
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def national_figures(
    *,
    districts: int,
    indicators: int,
    periods: int,
    repeats: int,
    profile: str,
    publish_limit_s: int,
) -> dict:
    begun = time.perf_counter()
    call_command(
        "generate_scale",
        districts=districts,
        indicators=indicators,
        periods=periods,
        stdout=io.StringIO(),
    )
    generated = time.perf_counter() - begun
    race = Race.objects.select_related("group").get(code=RACE_CODE)
    quarters = scale_quarters(periods)
    period = quarters[-1]
    methodology = parse_methodology(race.current_methodology.spec)
    size = f"{districts}x{indicators}"

    publish = timed_publish(period, limit_s=publish_limit_s)
    # The same inputs again: recognised by their fingerprint, nothing computed or written.
    publish["unchanged_s"] = _seconds(
        lambda: call_command("publish", RACE_CODE, period.code, stdout=io.StringIO()), repeats
    )
    publish_floor = _seconds(lambda: publish_floor_run(race=race, period=period), 3)

    inputs = race_inputs(race=race, period=period, methodology=methodology)
    previous = previous_standings(
        publication=publication_current(race=race, period=period.previous())
    )

    def engine():
        run_race(
            methodology,
            entrants=inputs.entrants,
            figures=inputs.figures,
            indicators=inputs.indicator_infos,
            previous=previous,
        )

    engine_s = _seconds(engine, repeats)
    matrix, weights, signs = figure_matrix(inputs, methodology)
    engine_floor = _seconds(lambda: weighted_zscore_ranks(matrix, weights, signs), 20)

    client = viewer_client()
    leaderboard_path = f"/races/{RACE_CODE}/{period.code}/"
    page = client.get(leaderboard_path)  # warm-up, and the rows it shows
    assert page.status_code == 200, page.status_code
    rows_shown = len(set(re.findall(rb"SYN\d{5}", page.content)))
    leaderboard_s = _seconds(lambda: client.get(leaderboard_path), repeats)
    publication = Publication.objects.get(race=race, period=period.code, superseded_at=None)
    leaderboard_floor = _seconds(
        lambda: bare_leaderboard(publication, methodology.indicator_codes, rows_shown), 5
    )

    district_path = f"/districts/SYN00001/?race={RACE_CODE}&period={period.code}"
    assert client.get(district_path).status_code == 200
    district_s = _seconds(lambda: client.get(district_path), max(repeats, 3))
    district_floor = _seconds(lambda: bare_district(race, "SYN00001", period), 5)

    if profile:
        _profile(
            profile,
            race=race,
            quarters=quarters,
            client=client,
            paths=[leaderboard_path, district_path],
        )
    return {
        "generate_s": round(generated, 1),
        f"publish_{size}": publish_figure(publish, publish_floor),
        f"engine_{size}": _figure(engine_s, engine_floor),
        f"leaderboard_{districts}": _figure(
            leaderboard_s, leaderboard_floor, rows=rows_shown, bytes=len(page.content)
        ),
        "district_page_national": _figure(district_s, district_floor),
    }


def timed_publish(period: Period, *, limit_s: int) -> dict:
    """``manage.py publish`` in-process, stopped by PostgreSQL after ``limit_s``.

    When it is stopped, the quarter is published again with its values locked 1,000 at a
    time (``values_lock`` writes one UPDATE whose CASE has an arm per value, which costs the
    square of their number), so that the pages have a publication to show; both are said.
    """
    publish = partial(call_command, "publish", RACE_CODE, period.code, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{limit_s}s'")
    begun = time.perf_counter()
    try:
        publish()
        return {"s": time.perf_counter() - begun}
    except OperationalError:
        stopped = time.perf_counter() - begun
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '10min'")
    begun = time.perf_counter()
    with mock.patch("rankings.services.publishing.values_lock", values_lock_batched):
        publish()
    return {"s": None, "stopped_after_s": stopped, "s_lock_batched": time.perf_counter() - begun}


def values_lock_batched(*, values, user=None) -> int:
    ids = list(values.values_list("pk", flat=True))
    return sum(
        values_lock(values=values.filter(pk__in=ids[start : start + 1000]), user=user)
        for start in range(0, len(ids), 1000)
    )


def publish_figure(publish: dict, floor: float) -> dict:
    if publish["s"] is not None:
        return _figure(publish["s"], floor, unchanged_s=round(publish["unchanged_s"], 4))
    return {
        "s": None,
        "floor_s": round(floor, 4),
        "ratio": None,
        "stopped_after_s": round(publish["stopped_after_s"], 1),
        "s_with_values_locked_1000_at_a_time": round(publish["s_lock_batched"], 2),
        "note": "publish did not finish: values_lock's UPDATE (one CASE arm per value)",
    }


def publish_floor_run(*, race: Race, period: Period):
    """The approved values publish reads, by raw psycopg; weighted z-scores and ranks."""
    import psycopg

    codes = parse_methodology(race.current_methodology.spec).indicator_codes
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        rows = connection.execute(
            "SELECT v.district_id, i.code, v.period, v.value::float8, v.target::float8 "
            "FROM districts_value v JOIN districts_district d ON d.id = v.district_id "
            "JOIN districts_indicator i ON i.id = v.indicator_id "
            "WHERE d.group_id = %s AND d.active AND i.code = ANY(%s) AND v.period = ANY(%s) "
            "AND v.status = 'approved'",
            [race.group_id, list(codes), [period.code, period.same_period_last_year().code]],
        ).fetchall()
        directions = dict(
            connection.execute(
                "SELECT code, direction FROM districts_indicator WHERE code = ANY(%s)",
                [list(codes)],
            ).fetchall()
        )
    current = [row for row in rows if row[2] == period.code]
    district_ids, district_index = np.unique([row[0] for row in current], return_inverse=True)
    column = {code: n for n, code in enumerate(codes)}
    matrix = np.full((len(district_ids), len(codes)), np.nan)
    matrix[district_index, [column[row[1]] for row in current]] = [row[3] for row in current]
    weights = _weights(race)
    signs = np.array([-1.0 if directions[code] == "lower" else 1.0 for code in codes])
    return weighted_zscore_ranks(matrix, weights, signs)


def _weights(race: Race) -> np.ndarray:
    methodology = parse_methodology(race.current_methodology.spec)
    return np.array([leaf.weight for leaf in methodology.leaves], dtype=float)


def figure_matrix(inputs, methodology):
    codes = methodology.indicator_codes
    matrix = np.full((len(inputs.entrants), len(codes)), np.nan)
    row = {district: n for n, district in enumerate(inputs.entrants)}
    column = {code: n for n, code in enumerate(codes)}
    for (district, code), figure in inputs.figures.items():
        if figure.value is not None and code in column:
            matrix[row[district], column[code]] = figure.value
    weights = np.array([leaf.weight for leaf in methodology.leaves], dtype=float)
    signs = np.array(
        [-1.0 if inputs.indicators[code].direction == "lower" else 1.0 for code in codes]
    )
    return matrix, weights, signs


def weighted_zscore_ranks(matrix: np.ndarray, weights: np.ndarray, signs: np.ndarray):
    """Sample-SD z-scores per column, a missing figure at the group average (0), the
    weighted mean, and the districts in score order."""
    mean = np.nanmean(matrix, axis=0)
    sd = np.nanstd(matrix, axis=0, ddof=1)
    scores = np.nan_to_num((matrix - mean) / sd * signs) @ weights / weights.sum()
    return np.argsort(-scores, kind="stable")


def bare_leaderboard(publication: Publication, codes, rows: int) -> str:
    standings = (
        Standing.objects.filter(publication=publication)
        .order_by("rank")
        .values_list("rank", "district__code", "district__name_en", "score", "contributions")[:rows]
    )
    table = [
        {
            "rank": rank,
            "code": code,
            "name": name,
            "score": score,
            "cells": [f"{(contributions or {}).get(c, 0):.2f}" for c in codes],
        }
        for rank, code, name, score, contributions in standings
    ]
    return BARE_LEADERBOARD.render(Context({"rows": table}))


def bare_district(race: Race, code: str, period: Period) -> str:
    from districts.models import District, Value

    district = District.objects.get(code=code)
    history = list(
        Standing.objects.filter(publication__race=race, district=district)
        .order_by("publication__period")
        .values_list("publication__period", "rank")
    )
    rows = list(
        Value.objects.filter(district=district, period=period.code).values_list(
            "indicator__name_en", "value", "indicator__unit"
        )
    )
    return BARE_DISTRICT.render(
        Context({"name": district.name_en, "history": history, "rows": rows})
    )


def _profile(target: str, *, race: Race, quarters, client: Client, paths: list[str]) -> None:
    from bench.run import profile_top

    # The quarter before the measured one: publishing it costs the same, and the
    # measured publication stays as it was.
    earlier = quarters[-2].code
    parts = [
        profile_top(
            lambda: call_command("publish", RACE_CODE, earlier, stdout=io.StringIO()),
            title=f"manage.py publish {RACE_CODE} {earlier}",
        )
    ]
    for path in paths:
        parts.append(profile_top(lambda path=path: client.get(path), title=f"GET {path}"))
    with open(target, "w", encoding="utf-8") as stream:
        stream.write("\n".join(parts))


def small_race_prepared(*, indicators: int) -> dict:
    """100 synthetic districts published for their latest quarter; a viewer's session."""
    call_command(
        "generate_scale", districts=100, indicators=indicators, periods=8, stdout=io.StringIO()
    )
    period = scale_quarters(8)[-1]
    call_command("publish", RACE_CODE, period.code, stdout=io.StringIO())
    client = viewer_client()
    path = f"/races/{RACE_CODE}/{period.code}/"
    assert client.get(path).status_code == 200
    return {"path": path, "cookie": client.cookies["sessionid"].value}
