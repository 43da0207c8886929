"""Import benchmark: import_values on PostgreSQL, beside raw COPY of the same rows.

    .venv/bin/python bench/imports.py                     # 1,000 / 100,000 / 1,000,000 rows
    .venv/bin/python bench/imports.py --rows 1000 20000   # other sizes

It uses a database of its own (``saima_bench`` on 127.0.0.1 unless ``--database-url`` names
another whose name contains "bench"), creates and migrates it, and fills it with clearly
synthetic reference data: districts BENCH0001…, indicators bench_01…, quarterly periods.
Nothing it writes is real statistics.

For each size N it writes two CSV files of N values (the second changes every value) and
times, each in a fresh process so that peak memory (ru_maxrss) is the import's own:

- ``new``: import_values of the first file into an empty value table;
- ``changed``: import_values of the second file over the first;
- ``dry run``: a dry run of the first file over an empty table (checks and compares only);
- the floors, from the same run: COPY of the same N rows into an unindexed temporary table;
  COPY straight into the value table (its indexes and constraints, no checks, no history);
  the same plus one INSERT … SELECT of a historical row for each; for changed rows, COPY
  into a temporary table then one UPDATE … FROM it (no history).

Times are the service call's own (Django's start-up is left out). Results are printed as a
Markdown table (and kept as JSON with ``--json FILE``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/saima_bench"
DEFAULT_ROWS = (1_000, 100_000, 1_000_000)
DISTRICTS, INDICATORS = 1000, 50  # with 20 quarters: up to 1,000,000 distinct values
FIRST_YEAR = 2021


# --- the parent: set up, generate, run children, report --------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=list(DEFAULT_ROWS))
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    arguments = parser.parse_args()
    url = arguments.database_url
    if "bench" not in urlsplit(url).path:
        sys.exit("refusing: the benchmark empties its database; name one containing 'bench'")
    if max(arguments.rows) > DISTRICTS * INDICATORS * 20:
        sys.exit(f"at most {DISTRICTS * INDICATORS * 20} rows")
    _create_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # A developer's tool: DEBUG on (no SECRET_KEY needed) unless the caller says otherwise.
        "DEBUG": os.environ.get("DEBUG", "1"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    _child(env, "reference")
    results = []
    with tempfile.TemporaryDirectory(prefix="saima-bench-") as folder:
        for rows in arguments.rows:
            new, changed = Path(folder) / f"new-{rows}.csv", Path(folder) / f"changed-{rows}.csv"
            _write_values(new, rows, seed=1)
            _write_values(changed, rows, seed=2)
            size = {"rows": rows, "file_mb": round(new.stat().st_size / 1e6, 1)}
            _child(env, "empty")
            size["copy_unindexed"] = _child(env, "copy-unindexed", str(new))
            size["copy_into_values"] = _child(env, "copy-into-values", str(new))
            _child(env, "empty")
            size["copy_with_history"] = _child(env, "copy-with-history", str(new))
            _child(env, "empty")
            size["dry_run"] = _child(env, "import", str(new), "--dry-run")
            size["new"] = _child(env, "import", str(new))
            size["update_floor"] = _child(env, "update-floor", str(changed))
            _child(env, "empty")
            _child(env, "import", str(new))
            size["changed"] = _child(env, "import", str(changed))
            results.append(size)
            print(_row(size), flush=True)
    _report(results, arguments.json)


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _write_values(path: Path, rows: int, *, seed: int) -> None:
    """N synthetic values: each district's indicators for each quarter, random figures."""
    randomness = random.Random(seed)
    periods = [
        f"{year}Q{quarter}"
        for year in range(FIRST_YEAR, FIRST_YEAR + 5)
        for quarter in (1, 2, 3, 4)
    ]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["district", "indicator", "period", "value", "target", "note"])
        written = 0
        for period in periods:
            for district in range(1, DISTRICTS + 1):
                for indicator in range(1, INDICATORS + 1):
                    if written == rows:
                        return
                    value = f"{randomness.uniform(-40, 400):.4f}"
                    writer.writerow(
                        [
                            f"BENCH{district:04}",
                            f"bench_{indicator:02}",
                            period,
                            value,
                            "",
                            "synthetic",
                        ]
                    )
                    written += 1


def _child(env: dict, *arguments: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "child", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _rate(result: dict, rows: int) -> str:
    return (
        f"{result['seconds']:.2f} s, {rows / result['seconds']:,.0f}/s, {result['peak_mb']:.0f} MB"
    )


def _row(size: dict) -> str:
    rows = size["rows"]
    cells = [
        f"{rows:,}",
        f"{size['file_mb']}",
        _rate(size["new"], rows),
        _rate(size["changed"], rows),
        _rate(size["dry_run"], rows),
        _rate(size["copy_unindexed"], rows),
        _rate(size["copy_into_values"], rows),
        _rate(size["copy_with_history"], rows),
        _rate(size["update_floor"], rows),
        " / ".join(f"{size[kind]['seconds'] / rows * 1e6:.1f}" for kind in ("new", "changed")),
    ]
    return "| " + " | ".join(cells) + " |"


def _report(results: list[dict], target: Path | None) -> None:
    header = (
        "| rows | CSV MB | import new | import changed | dry run (new) | floor: COPY, no index "
        "| floor: COPY into value table | floor: same + history rows | floor: COPY + one UPDATE "
        "| µs/row new / changed |"
    )
    print()
    print(header)
    print("|" + "---|" * 10)
    for size in results:
        print(_row(size))
    if target is None:
        return
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }
    target.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    print(f"\nkept in {target}")


# --- the children: one measurement each, in a fresh process ----------------------------------


def child(mode: str, arguments: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    started_rss = _peak_mb()
    if mode == "reference":
        _reference()
        print(json.dumps({}))
        return
    if mode == "empty":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE districts_value, districts_historicalvalue, districts_datareturn, "
                "districts_historicaldatareturn"
            )
        print(json.dumps({}))
        return
    path = Path(arguments[0])
    begun = time.perf_counter()
    outcome: dict = {}
    if mode == "import":
        from districts.services.imports import values_import

        result = values_import(path=path, dry_run="--dry-run" in arguments)
        assert result.ok, [str(problem) for problem in result.problems[:5]]
        outcome = {"created": result.created, "updated": result.updated}
    else:
        _floor(mode, path)
    seconds = time.perf_counter() - begun
    print(
        json.dumps({"seconds": seconds, "peak_mb": _peak_mb(), "start_mb": started_rss, **outcome})
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _reference() -> None:
    from districts.models import District, Group, Indicator

    group, _created = Group.objects.get_or_create(
        code="bench", defaults={"name": "基准组 (synthetic)"}
    )
    District.objects.bulk_create(
        [
            District(
                code=f"BENCH{n:04}", name=f"基准区{n:04} (synthetic)", kind="district", group=group
            )
            for n in range(1, DISTRICTS + 1)
        ],
        ignore_conflicts=True,
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"bench_{n:02}",
                name=f"基准指标{n:02} (synthetic)",
                unit="%",
                frequency="quarterly",
            )
            for n in range(1, INDICATORS + 1)
        ],
        ignore_conflicts=True,
    )


def _resolved_rows(path: Path):
    """The file's rows as the columns of the value table, codes turned into ids."""
    from districts.models import District, Indicator

    # Looked up before the first row is asked for: no query can run while a COPY is open.
    districts = dict(District.objects.values_list("code", "pk"))
    indicators = dict(Indicator.objects.values_list("code", "pk"))

    def rows():
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)
            for district, indicator, period, value, _target, note in reader:
                yield districts[district], indicators[indicator], period, value, note

    return rows()


def _floor(mode: str, path: Path) -> None:
    from django.db import connection, transaction

    from districts.models import Value

    with transaction.atomic(), connection.cursor() as cursor:
        if mode in ("copy-into-values", "copy-with-history"):
            columns = (
                "district_id, indicator_id, period, value, note, status, justification, locked, "
                "version, entered_at"
            )
            rows = _resolved_rows(path)
            with cursor.copy(f"COPY districts_value ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, "approved", "", False, 1, "2025-01-01T00:00:00Z"))
            if mode == "copy-with-history":
                tracked = ", ".join(f.column for f in Value.history.model.tracked_fields)
                cursor.execute(
                    f"INSERT INTO districts_historicalvalue ({tracked}, history_date, "
                    f"history_change_reason, history_type) SELECT {tracked}, now(), 'floor', '+' "
                    "FROM districts_value"
                )
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE floor_values (district_id bigint, indicator_id bigint, "
            "period varchar(7), value numeric, note text) ON COMMIT DROP"
        )
        rows = _resolved_rows(path)
        with cursor.copy("COPY floor_values FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if mode == "update-floor":
            cursor.execute("ANALYZE floor_values")
            cursor.execute(
                "UPDATE districts_value AS v SET value = f.value, version = v.version + 1 "
                "FROM floor_values AS f WHERE v.district_id = f.district_id "
                "AND v.indicator_id = f.indicator_id AND v.period = f.period"
            )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3:])
    else:
        main()
