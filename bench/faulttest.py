"""Fault test: PostgreSQL restarts under load; what users see, how fast Saima recovers, and
that nothing a user was told is saved gets lost.

    make faulttest                                         # restarts the shared PostgreSQL!
    .venv/bin/python bench/faulttest.py --fault own-database   # only this test's database

It drops and creates its own database (``saima_fault`` on 127.0.0.1:5432, user postgres) with
the illustrative demo and clearly synthetic bench data (group ``faultbench``: districts
FI0001…FI0500 for the import, FW001…FW040 for the form writes, indicators fault_01…fault_20),
starts gunicorn with gunicorn.conf.py on a free loopback port (DEBUG=0, random SECRET_KEY),
and then, at once:

- three readers (viewer, official, clerk) request DB-backed pages through signed-in sessions;
- a probe (viewer) requests a leaderboard every 0.1 s;
- two writers (reviewer) save new figures through the admin's value form, a POST that
  commits; every figure answered with the redirect of a saved form is recorded;
- ``manage.py import_values`` imports a generated CSV of 200,000 values.

Once the import has staged its file and is writing the values (its transaction open), plus
``--import-delay`` seconds, the fault: ``--fault restart`` (the default) restarts
the PostgreSQL cluster with pg_ctlcluster (fast shutdown: every session of every database on
the server is cut, other people's test runs included); ``--fault own-database`` refuses new
connections to this test's database and terminates its sessions for ``--downtime`` seconds,
which exercises the same paths without touching anyone else; ``--restart-command`` runs a
command of your own. Load goes on for a few seconds after the server is back.

It reports the status codes users got while the database was down and whether each error body
was the clean bilingual 500 page (no traceback, no "psycopg"), the seconds from pg_isready
answering to the first 200 on a DB-backed page (target ≤ 5 s, Saima not restarted), how many
saved figures are missing afterwards (target 0), and whether the interrupted import was
applied wholly or not at all. Exit status 1 when a target fails. PostgreSQL is started again
in every case, gunicorn stopped and the database dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live  # noqa: E402
from fault_report import (  # noqa: E402
    Event,
    body_is_clean,
    import_verdict,
    last_error_seconds,
    lost_figures,
    recovery_seconds,
    statuses_seen,
    succeeded,
)

IMPORT_DISTRICTS, WRITE_DISTRICTS, INDICATORS = 500, 40, 20
PERIODS = [f"{year}Q{quarter}" for year in range(2021, 2026) for quarter in (1, 2, 3, 4)]
IMPORT_ROWS = IMPORT_DISTRICTS * INDICATORS * len(PERIODS)  # 200,000
IMPORT_APP_NAME = "saima-faulttest-import"
RECOVERY_TARGET_S = 5.0


# --- set-up ---------------------------------------------------------------------------------

REFERENCE = f"""
import json
from districts.models import District, Group, Indicator
group, _ = Group.objects.get_or_create(
    code="faultbench", defaults={{"name": "故障测试组 (synthetic)"}}
)
District.objects.bulk_create(
    [District(code=f"FI{{n:04}}", name=f"导入区{{n:04}} (synthetic)", kind="district",
              group=group) for n in range(1, {IMPORT_DISTRICTS} + 1)]
    + [District(code=f"FW{{n:03}}", name=f"录入区{{n:03}} (synthetic)", kind="district",
                group=group) for n in range(1, {WRITE_DISTRICTS} + 1)]
)
Indicator.objects.bulk_create(
    [Indicator(code=f"fault_{{n:02}}", name=f"故障指标{{n:02}} (synthetic)", unit="%",
               frequency="quarterly") for n in range(1, {INDICATORS} + 1)]
)
writes = District.objects.filter(code__startswith="FW")
indicators = Indicator.objects.filter(code__startswith="fault_")
print(json.dumps({{
    "districts": dict(writes.values_list("code", "pk")),
    "indicators": dict(indicators.values_list("code", "pk")),
}}))
"""


def _import_file(path: Path) -> None:
    randomness = random.Random(9)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["district", "indicator", "period", "value", "target", "note"])
        for period in PERIODS:
            for district in range(1, IMPORT_DISTRICTS + 1):
                for indicator in range(1, INDICATORS + 1):
                    figure = f"{randomness.uniform(-40, 400):.4f}"
                    writer.writerow(
                        [
                            f"FI{district:04}",
                            f"fault_{indicator:02}",
                            period,
                            figure,
                            "",
                            "synthetic",
                        ]
                    )


# --- the users ------------------------------------------------------------------------------


@dataclass
class Run:
    base: str
    stop: threading.Event = field(default_factory=threading.Event)
    events: list[Event] = field(default_factory=list)
    saved: dict[tuple, Decimal] = field(default_factory=dict)
    refused: dict[tuple, Decimal] = field(default_factory=dict)  # answered without the redirect
    lock: threading.Lock = field(default_factory=threading.Lock)
    leaks: list[str] = field(default_factory=list)

    def record(self, event: Event, body: str = "") -> None:
        if not succeeded(event) and event.status is not None:
            event.clean = body_is_clean(body)
        with self.lock:
            self.events.append(event)
            if not event.clean and len(self.leaks) < 3:
                self.leaks.append(body[:2000])

    def request(self, session, kind: str, method: str, path: str, **kwargs):
        started = time.monotonic()
        try:
            response = session.request(
                method, self.base + path, timeout=15, allow_redirects=False, **kwargs
            )
        except Exception as error:  # noqa: BLE001 - every failure is what a user saw
            self.record(Event(kind, started, time.monotonic(), None, False, type(error).__name__))
            return None
        self.record(Event(kind, started, time.monotonic(), response.status_code), response.text)
        return response


def _session(base: str, username: str):
    import requests

    session = requests.Session()
    live.sign_in(session, base, username)
    return session


def _reader(run: Run, username: str, paths: list[str]) -> None:
    session = _session(run.base, username)
    randomness = random.Random(username)
    while not run.stop.is_set():
        run.request(session, "read", "GET", randomness.choice(paths))
        time.sleep(0.05)


def _probe(run: Run, path: str) -> None:
    session = _session(run.base, "viewer")
    while not run.stop.is_set():
        run.request(session, "probe", "GET", path)
        time.sleep(0.1)


def _writer(run: Run, number: int, keys: list[tuple[int, int, str]]) -> None:
    session = _session(run.base, "reviewer")
    add = "/admin/districts/value/add/"
    run.request(session, "read", "GET", add)  # as a browser: the form first, then saves
    randomness = random.Random(number)
    for district, indicator, period in keys:
        if run.stop.is_set():
            return
        figure = Decimal(f"{randomness.uniform(1, 999):.4f}")
        response = run.request(
            session,
            "write",
            "POST",
            add,
            data={
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                "district": district,
                "indicator": indicator,
                "period": period,
                "value": str(figure),
                "target": "",
                "note": "fault test (synthetic)",
                "justification": "",
                "expected_version": "",
                "_save": "Save",
            },
            headers={"Referer": run.base + add},
        )
        # Saved: the admin's redirect to the value list; anything else told the user it was not.
        location = response.headers.get("Location", "") if response is not None else ""
        saved = response is not None and response.status_code == 302
        saved = saved and location.rstrip("/").endswith("/admin/districts/value")
        with run.lock:
            (run.saved if saved else run.refused)[(district, indicator, period)] = figure
        time.sleep(0.05)


# --- the fault ------------------------------------------------------------------------------


def _pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[0]


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def _pg_ensure_running() -> None:
    """Whatever happened, leave PostgreSQL running: CI and other people use it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _pg_ready():
            return
        time.sleep(0.5)
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "start"]
    print(f"PostgreSQL is not answering; running {shlex.join(command)}", flush=True)
    subprocess.run(command, check=False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _pg_ready():
        time.sleep(0.5)


def _wait_ready(timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _pg_ready():
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError("PostgreSQL did not answer pg_isready after the fault")


def _fault_restart(command: list[str]) -> float:
    print(f"Fault: {shlex.join(command)}", flush=True)
    subprocess.run(command, check=True)
    return _wait_ready()


def _fault_own_database(name: str, downtime: float) -> float:
    import psycopg

    print(f"Fault: {name} refuses connections and its sessions end, for {downtime} s", flush=True)
    with psycopg.connect(live.PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            time.sleep(downtime)
        finally:
            connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    return time.monotonic()


def _import_backend(name: str) -> str | None:
    """The import's statement once its transaction has written something, else None."""
    import psycopg

    with psycopg.connect(live.PG_ADMIN_URL, autocommit=True) as connection:
        row = connection.execute(
            "SELECT left(query, 60) FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = %s AND backend_xid IS NOT NULL",
            [name, IMPORT_APP_NAME],
        ).fetchone()
    return row[0] if row else None


# --- the run --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault",
        choices=["restart", "own-database"],
        default="restart",
        help="restart the PostgreSQL cluster, or cut only this test's database",
    )
    parser.add_argument("--restart-command", help="a shell command to run as the fault instead")
    parser.add_argument("--downtime", type=float, default=3.0, help="own-database: seconds down")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=8.0, help="seconds of load after")
    parser.add_argument(
        "--import-delay",
        type=float,
        default=0.5,
        help="seconds after the import has staged its file and writes, before the fault",
    )
    parser.add_argument("--database", default="saima_fault")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    arguments = parser.parse_args()
    live.exit_on_sigterm()

    name = arguments.database
    env = live.server_env(live.database_url(name))
    if arguments.restart_command:
        fault = lambda: _fault_restart(["sh", "-c", arguments.restart_command])  # noqa: E731
        fault_name = arguments.restart_command
    elif arguments.fault == "restart":
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", _pg_version(), "main", "restart"]
        fault = lambda: _fault_restart(command)  # noqa: E731
        fault_name = shlex.join(command)
    else:
        fault = lambda: _fault_own_database(name, arguments.downtime)  # noqa: E731
        fault_name = f"own database refuses connections for {arguments.downtime} s"

    with tempfile.TemporaryDirectory(prefix="saima-fault-") as tmp:
        server = live.Gunicorn(env, Path(tmp) / "gunicorn.log")
        importer: subprocess.Popen | None = None
        threads: list[threading.Thread] = []
        run = Run(server.base)
        try:
            print(
                f"Setting up {name} with the demo and {IMPORT_ROWS:,} values to import …",
                flush=True,
            )
            live.demo_database(name, env)
            plan = live.demo_plan(env)
            ids = json.loads(
                live.manage(
                    env, "shell", "--no-imports", "-c", REFERENCE, capture=True
                ).splitlines()[-1]
            )
            csv_path = Path(tmp) / "values.csv"
            _import_file(csv_path)
            server.start()
            machine = live.machine_description(server.workers)

            race, period = plan["races"][-1]
            pages = [
                "/",
                f"/races/{race}/{period}/",
                f"/districts/{plan['districts'][0]}/",
                f"/indicators/{plan['indicators'][0]}/",
                f"/races/{race}/{period}/comments/",
            ]
            keys = [
                (district, indicator, quarter)
                for quarter in PERIODS
                for district in sorted(ids["districts"].values())
                for indicator in sorted(ids["indicators"].values())
            ]
            threads = [
                threading.Thread(target=_reader, args=(run, user, pages), daemon=True)
                for user in ("viewer", "official", "clerk")
            ]
            threads.append(threading.Thread(target=_probe, args=(run, pages[1]), daemon=True))
            threads += [
                threading.Thread(target=_writer, args=(run, n, keys[n::2]), daemon=True)
                for n in range(2)
            ]
            for thread in threads:
                thread.start()
            time.sleep(arguments.warm_up)

            print(f"Importing {IMPORT_ROWS:,} values …", flush=True)
            importer = subprocess.Popen(
                [live.PYTHON, "manage.py", "import_values", str(csv_path)],
                cwd=live.ROOT,
                env={**env, "PGAPPNAME": IMPORT_APP_NAME},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            deadline = time.monotonic() + 120
            import_statement = None
            # The fault comes once the import has read and staged the file (COPY into its
            # staging table) and writes the values themselves, plus --import-delay seconds.
            while time.monotonic() < deadline and importer.poll() is None:
                import_statement = _import_backend(name)
                if import_statement and not import_statement.lstrip().upper().startswith("COPY"):
                    break
                time.sleep(0.05)
            time.sleep(arguments.import_delay)
            import_statement = _import_backend(name) or import_statement
            import_running = importer.poll() is None

            fault_started = time.monotonic()
            ready_at = fault()
            fault_seconds = ready_at - fault_started
            print(f"PostgreSQL answers again after {fault_seconds:.1f} s", flush=True)
            time.sleep(arguments.after)
            run.stop.set()
            for thread in threads:
                thread.join(timeout=30)
            import_output, _ = importer.communicate(timeout=600)
            import_status = importer.returncode

            stored = _stored_figures(env["DATABASE_URL"])
            imported = _imported_count(env["DATABASE_URL"])
            rerun = None
            if imported == 0:
                # What the person whose import failed does next: run it again.
                print("Importing the same file again …", flush=True)
                live.manage(env, "import_values", str(csv_path))
                rerun = _imported_count(env["DATABASE_URL"])
        finally:
            run.stop.set()
            if importer is not None and importer.poll() is None:
                importer.kill()
                importer.wait()
            if arguments.fault == "restart" or arguments.restart_command:
                _pg_ensure_running()
            for thread in threads:
                thread.join(timeout=20)
            server.stop()
            log = server.log.read_text() if server.log.exists() else ""
            live.database_drop(name)

    events = sorted(run.events, key=lambda e: e.started)
    recovery = recovery_seconds(events, ready_at)
    fully = last_error_seconds(events, ready_at)
    lost = lost_figures(run.saved, stored)
    verdict = import_verdict(imported, IMPORT_ROWS)
    unclean = [e for e in events if not e.clean]
    outage = statuses_seen(events, fault_started, ready_at + (recovery or 0))
    results = {
        "machine": machine,
        "fault": fault_name,
        "database down (fault start → pg_isready), s": round(fault_seconds, 2),
        "requests": len(events),
        "statuses during the outage": outage,
        "statuses over the whole run": statuses_seen(events, 0, float("inf")),
        "error answers that were not the clean 500 page": len(unclean),
        "recovery: pg_isready → first 200, s": None if recovery is None else round(recovery, 2),
        "last failed request after pg_isready, s": None if fully is None else round(fully, 2),
        "figures saved (302)": len(run.saved),
        "figures lost": len(lost),
        "figures answered with an error (not saved, as the user was told)": len(run.refused),
        "…of which the database holds anyway": len(run.refused)
        - len(lost_figures(run.refused, stored)),
        "import: statement when the fault came": import_statement,
        "import: still running when the fault came": import_running,
        "import: exit status": import_status,
        "import: values in the database": imported,
        "import: applied": verdict,
        "import: values after running it again": rerun,
        "gunicorn log: tracebacks (logged, not shown to users)": log.count("Traceback"),
    }
    recovered_in_time = recovery is not None and recovery <= RECOVERY_TARGET_S
    checks = {
        "error pages clean": not unclean,
        f"recovery ≤ {RECOVERY_TARGET_S:g} s": recovered_in_time,
        "no saved figure lost": not lost,
        "import all or nothing": verdict in ("all", "none"),
        "import run again applies all": rerun in (None, IMPORT_ROWS),
        "PostgreSQL running at the end": _pg_ready(),
    }
    for key, value in results.items():
        print(f"{key}: {value}")
    if unclean:
        shown = run.leaks[0] if run.leaks else unclean[0].detail
        print(f"An unclean error answer (first 2,000 characters):\n{shown}")
    if import_status:
        print("import_values said:\n" + "\n".join(import_output.strip().splitlines()[-5:]))
    for check, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}: {check}")
    if arguments.json:
        arguments.json.write_text(json.dumps(results | {"checks": checks}, indent=2, default=str))
    return 0 if all(checks.values()) else 1


def _stored_figures(url: str) -> dict[tuple, Decimal]:
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT v.district_id, v.indicator_id, v.period, v.value FROM districts_value v "
            "JOIN districts_district d ON d.id = v.district_id WHERE d.code LIKE 'FW%%'"
        ).fetchall()
    return {(d, i, p): value for d, i, p, value in rows}


def _imported_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT count(*) FROM districts_value v "
            "JOIN districts_district d ON d.id = v.district_id WHERE d.code LIKE 'FI%%'"
        ).fetchone()[0]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted: PostgreSQL left running, gunicorn stopped, database dropped")
