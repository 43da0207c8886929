"""Load test: 32 signed-in users against real gunicorn and PostgreSQL, with locust (headless).

    make loadtest
    .venv/bin/python bench/loadtest.py --users 32 --run-time 60 --json results.json

It drops and creates its own database (``saima_load`` on 127.0.0.1:5432, user postgres),
migrates it, loads the illustrative demo (``load_demo --force``), collects the static files,
starts gunicorn with gunicorn.conf.py on a free loopback port with DEBUG=0 and a random
SECRET_KEY, then runs bench/locustfile.py headless:

1. the load: the users sign in through the login form (the demo's official, viewer, clerk and
   reviewer) and read leaderboards, district pages, indicator pages and the home page, while
   the officials post comments;
2. the floor, right after on the same server: /healthz and a static file with no wait, so a
   figure can be judged against what this (shared, noisy) machine gave at that moment.

It prints requests/s, p50, p99 and errors per endpoint and in total, and exits non-zero on any
error (a failed request, or a traceback in gunicorn's log). gunicorn is stopped and the
database dropped at the end, also on failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live  # noqa: E402

LOCUST = str(Path(sys.executable).parent / "locust")
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


@dataclass
class EndpointStats:
    name: str
    method: str
    requests: int
    failures: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def stats_read(path: Path) -> list[EndpointStats]:
    """The rows of locust's ``*_stats.csv``; the total is the row named "Aggregated"."""
    rows = []
    with path.open(newline="") as stream:
        for row in csv.DictReader(stream):
            rows.append(
                EndpointStats(
                    name=row["Name"],
                    method=row["Type"],
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    requests_per_second=float(row["Requests/s"]),
                    p50_ms=_number(row["50%"]),
                    p99_ms=_number(row["99%"]),
                )
            )
    return rows


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def stats_table(rows: list[EndpointStats]) -> str:
    """A Markdown table: one line per endpoint, the total last."""
    lines = [
        "| endpoint | requests | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: (r.name == "Aggregated", r.name, r.method)):
        if not row.requests and row.name != "Aggregated":
            continue  # e.g. the sign-ins, counted apart before the statistics are reset
        name = "**total**" if row.name == "Aggregated" else f"{row.method} {row.name}"
        lines.append(
            f"| {name} | {row.requests:,} | {row.requests_per_second:.1f} | {row.p50_ms:.0f} "
            f"| {row.p99_ms:.0f} | {row.failures} |"
        )
    return "\n".join(lines)


def signin_summary(sign_ins: list[list], users: int) -> dict:
    """The sign-ins (seconds, signed in) each user made before the load: how many, how long."""
    seconds = sorted(duration for duration, _ok in sign_ins)
    failed = sum(1 for _duration, ok in sign_ins if not ok) + max(0, users - len(sign_ins))
    if not seconds:
        return {"users": users, "failed": failed, "text": f"none of {users} signed in"}
    median = seconds[len(seconds) // 2]
    text = (
        f"{sum(1 for _duration, ok in sign_ins if ok)} of {users} signed in, "
        f"median {median:.1f} s, slowest {seconds[-1]:.1f} s (all at once; password hashing)"
    )
    return {
        "users": users,
        "failed": failed,
        "median_s": median,
        "max_s": seconds[-1],
        "text": text,
    }


def tracebacks_count(log: str) -> int:
    return log.count("Traceback (most recent call last)")


def _locust(base: str, env: dict, prefix: Path, seconds: int, users: int, rate: float, *classes):
    """Run locust headless; SECONDS bounds the whole run (sign-ins included)."""
    command = [
        LOCUST,
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    # Exit status 1 means "some request failed"; the figures say which, below.
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
    return stats_read(Path(f"{prefix}_stats.csv"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--spawn-rate", type=float, default=8)
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load")
    parser.add_argument("--floor-time", type=int, default=15, help="seconds of the floor")
    parser.add_argument("--wait", default="0.5,1.5", help="each user's pause between pages, s")
    parser.add_argument("--database", default="saima_load")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    arguments = parser.parse_args()
    live.exit_on_sigterm()

    env = live.server_env(live.database_url(arguments.database))
    with tempfile.TemporaryDirectory(prefix="saima-load-") as tmp:
        server = live.Gunicorn(env, Path(tmp) / "gunicorn.log")
        try:
            print(f"Setting up {arguments.database} with the demo …", flush=True)
            live.demo_database(arguments.database, env)
            plan = live.demo_plan(env)
            server.start()
            machine = live.machine_description(server.workers)
            print(f"gunicorn on {server.base}; {', '.join(f'{k} {v}' for k, v in machine.items())}")
            locust_env = {
                **os.environ,
                "SAIMA_LOAD_PLAN": json.dumps(plan),
                "SAIMA_LOAD_WAIT": arguments.wait,
                "SAIMA_LOAD_PASSWORD": live.DEMO_PASSWORD,
            }
            print(
                f"Load: {arguments.users} users sign in, then {arguments.run_time} s of pages …",
                flush=True,
            )
            signin_report = Path(tmp) / "sign-ins.json"
            load = _locust(
                server.base,
                locust_env
                | {
                    "SAIMA_LOAD_USERS": str(arguments.users),
                    "SAIMA_LOAD_SECONDS": str(arguments.run_time),
                    "SAIMA_LOAD_SIGNIN_REPORT": str(signin_report),
                },
                Path(tmp) / "load",
                # The load starts once all have signed in; this only bounds a stuck run.
                arguments.run_time + 300,
                arguments.users,
                arguments.spawn_rate,
                "ReaderUser",
                "OfficialUser",
            )
            print(f"Floor: {arguments.users} users for {arguments.floor_time} s …", flush=True)
            floor = _locust(
                server.base,
                locust_env,
                Path(tmp) / "floor",
                arguments.floor_time,
                arguments.users,
                arguments.users,
                "FloorUser",
            )
            sign_ins = json.loads(signin_report.read_text()) if signin_report.exists() else []
        finally:
            server.stop()
            log = server.log.read_text() if server.log.exists() else ""
            live.database_drop(arguments.database)
    tracebacks = tracebacks_count(log)
    signin = signin_summary(sign_ins, arguments.users)
    print(f"\nSign-ins before the load: {signin['text']}")
    print(f"\nLoad ({arguments.users} signed-in users, {arguments.run_time} s):\n")
    print(stats_table(load))
    print(f"\nFloor, same server right after ({arguments.floor_time} s, no wait):\n")
    print(stats_table(floor))
    print(f"\nTracebacks in gunicorn's log: {tracebacks}")
    errors = sum(row.failures for row in load + floor if row.name == "Aggregated")
    errors += tracebacks + signin["failed"]
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "settings": vars(arguments) | {"json": str(arguments.json)},
                    "load": [asdict(row) for row in load],
                    "floor": [asdict(row) for row in floor],
                    "tracebacks": tracebacks,
                    "sign_ins": signin,
                },
                indent=2,
            )
        )
    print("PASS: no errors" if not errors else f"FAIL: {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted: gunicorn stopped, database dropped")
