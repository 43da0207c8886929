"""National-scale benchmark (issue 10): each figure measured beside its floor, in one run.

    make bench                                    # or: .venv/bin/python bench/run.py
    BENCH_QUICK=1 make bench                      # imports of 100,000 rows, fewer repeats
    .venv/bin/python bench/run.py --profile prof.txt   # also cProfile publish and pages

It needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; started like .ci/run does when
it is not running), creates its own databases ``saima_scale_bench`` (2,844 synthetic
districts × 40 indicators × 8 quarters, from ``generate_scale``), ``saima_scale_bench_100``
(100 districts, served by gunicorn) and ``saima_scale_bench_imports``, and drops them at the
end. The last line printed is one JSON object; times are in seconds, rates per second.
For a time, ``ratio`` is value / floor (1 is the floor, lower is better); for a rate it is
value / floor rate (1 is the floor, higher is better).

- ``publish_2844x40``: ``manage.py publish`` of one quarter, in-process (start-up left out),
  beside the floor: the same approved values read with raw psycopg, weighted z-scores and
  ranks in numpy.
- ``engine_2844x40``: ``run_race`` on the same race's inputs, beside numpy weighted z-scores
  and an argsort of the same matrix.
- ``leaderboard_2844``: the leaderboard page through Django's test client, signed in as a
  viewer, beside a bare Django template of the same rows and cells (as many rows as the
  page shows).
- ``district_page_national``: one district page of that race, beside a bare template of
  the district's standings and figures.
- ``leaderboard_rps_100``: requests/s of a published 100-district leaderboard under 16
  connections on gunicorn (gunicorn.conf.py, DEBUG off) on 127.0.0.1, beside /healthz
  on the same gunicorn (``trivial_rps``). When Redis answers on 127.0.0.1:6379, gunicorn
  runs with ``CACHE_URL`` naming a Redis database of its own (``BENCH_REDIS_URL``, flushed
  before and after), as a deployment of several processes would (``cache`` in the JSON
  says which cache served it: ``redis`` or ``per-process``).
- ``import_*``: bench/imports.py's children (import_values beside COPY floors): new and
  changed rows/s at 1,000,000 rows (100,000 quick) and the peak memory of the new import.

PostgreSQL's JIT is turned off in the bench databases: with it, today's publish compiles the
giant ``CASE`` of ``bulk_update`` (one arm per value it locks) for longer than any run, and
the compiling backend answers no cancel. Every query also has a 10-minute timeout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
# BENCH_DB_PREFIX lets two runs on one server keep out of each other's databases.
_PREFIX = os.environ.get("BENCH_DB_PREFIX", "saima_scale_bench")
NATIONAL_DB, SMALL_DB, IMPORTS_DB = (_PREFIX, f"{_PREFIX}_100", f"{_PREFIX}_imports")
CONNECTIONS = 16
VIEWER = "bench-viewer"
SESSION_COOKIE = "sessionid"

# --- the parent: databases, children, gunicorn, the JSON line -------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", default=_env_quick())
    parser.add_argument("--districts", type=int, default=2844)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--periods", type=int, default=8)
    parser.add_argument("--rps-seconds", type=float, default=10.0)
    parser.add_argument("--profile", type=Path, help="write cProfile tops to this file")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["national", "rps", "imports"], help="parts"
    )
    arguments = parser.parse_args()
    _postgres_running()
    started = time.perf_counter()
    result: dict = {"quick": arguments.quick, "commit": _commit(), "machine": _machine()}
    try:
        _create_databases()
        if "national" not in arguments.skip:
            national = _child(
                _env(NATIONAL_DB),
                "national",
                json.dumps(
                    {
                        "districts": arguments.districts,
                        "indicators": arguments.indicators,
                        "periods": arguments.periods,
                        "repeats": 1 if arguments.quick else 3,
                        "profile": str(arguments.profile) if arguments.profile else "",
                        "publish_limit_s": 120 if arguments.quick else 300,
                    }
                ),
            )
            result.update(national)
        if "rps" not in arguments.skip:
            result["leaderboard_rps_100"] = _requests_per_second(arguments)
        if "imports" not in arguments.skip:
            result.update(_imports(quick=arguments.quick))
    finally:
        if not arguments.keep:
            _drop_databases()
    result["bench_s"] = round(time.perf_counter() - started, 1)
    for key, figure in result.items():
        if isinstance(figure, dict) and key != "machine":
            print(f"{key:<28}{json.dumps(figure)}", file=sys.stderr)
    print(json.dumps(result), flush=True)


def _env_quick() -> bool:
    return os.environ.get("BENCH_QUICK", "").lower() in ("1", "true", "yes")


def _env(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies without Secure.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "PYTHONPATH": str(ROOT),
    }


def _postgres_running() -> None:
    ready = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]
    if subprocess.run(ready).returncode == 0:
        return
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
    )
    for _ in range(30):
        if subprocess.run(ready).returncode == 0:
            return
        time.sleep(1)
    sys.exit("PostgreSQL did not start on 127.0.0.1:5432")


def _commit() -> str:
    if named := os.environ.get("BENCH_COMMIT"):  # a copy of the code outside git
        return named
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return completed.stdout.strip() or "unknown"


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def _admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _create_databases() -> None:
    _drop_databases()
    _admin(f'CREATE DATABASE "{NATIONAL_DB}"')
    _tune(NATIONAL_DB)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_env(NATIONAL_DB),
        check=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_env(NATIONAL_DB),
        check=True,
    )
    # The migrated, still empty database is the template of the other two.
    for name in (SMALL_DB, IMPORTS_DB):
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{NATIONAL_DB}"')
        _tune(name)


def _tune(name: str) -> None:
    _admin(
        f'ALTER DATABASE "{name}" SET jit = off',
        f"ALTER DATABASE \"{name}\" SET statement_timeout = '10min'",
    )


def _drop_databases() -> None:
    for name in (NATIONAL_DB, SMALL_DB, IMPORTS_DB):
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(env: dict, mode: str, argument: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "child", mode, argument],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _ratio(value: float, floor: float) -> float:
    return round(value / floor, 4) if floor else float("inf")


# --- requests per second on real gunicorn ---------------------------------------------------


def _requests_per_second(arguments) -> dict:
    import socket

    env = _env(SMALL_DB)
    prepared = _child(env, "small", json.dumps({"indicators": arguments.indicators}))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    redis_url = _redis_flushed()
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}", **({"CACHE_URL": redis_url} if redis_url else {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # up to 20 s for gunicorn to listen
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"{SESSION_COOKIE}={prepared['cookie']}"
        leaderboard = _load(port, prepared["path"], cookie, arguments.rps_seconds)
        trivial = _load(port, "/healthz", "", arguments.rps_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis_url:
            _redis_flushed()
    return {
        "cache": "redis" if redis_url else "per-process",
        "rps": leaderboard["rps"],
        "trivial_rps": trivial["rps"],
        "ratio": _ratio(leaderboard["rps"], trivial["rps"]),
        "connections": CONNECTIONS,
        "seconds": arguments.rps_seconds,
        "median_ms": leaderboard["median_ms"],
        "p95_ms": leaderboard["p95_ms"],
        "errors": leaderboard["errors"] + trivial["errors"],
        "workers": _gunicorn_workers(env),
    }


def _redis_flushed() -> str | None:
    """The bench's own Redis database, emptied; None when Redis does not answer."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
        client.close()
    except Exception:  # no redis package, no server: the per-process cache, as before
        return None
    return url


def _gunicorn_workers(env: dict) -> str:
    workers = env.get("WEB_CONCURRENCY") or str((os.cpu_count() or 1) * 2 + 1)
    return f"{workers} workers × {env.get('GUNICORN_THREADS', '2')} threads"


def _load(port: int, path: str, cookie: str, seconds: float) -> dict:
    """CONNECTIONS client threads, each requesting the page again and again for ``seconds``,
    keeping the cookies it is given as a browser does."""
    import http.client

    deadline = time.perf_counter() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        mine = []
        while time.perf_counter() < deadline:
            begun = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                # Keep the cookies a browser would (the CSRF cookie of the page's forms).
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie" and cookie:
                        name_value = value.split(";", 1)[0]
                        kept = dict(part.split("=", 1) for part in headers["Cookie"].split("; "))
                        name, _, text = name_value.partition("=")
                        kept[name] = text
                        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in kept.items())
                if response.status != 200:
                    raise OSError(response.status)
                mine.append(time.perf_counter() - begun)
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    begun = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    times.sort()
    return {
        "rps": round(len(times) / elapsed, 1),
        "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1) if times else None,
        "errors": errors[0],
    }


# --- imports, by bench/imports.py's children ------------------------------------------------


def _imports(*, quick: bool) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import imports

    rows = 100_000 if quick else 1_000_000
    env = _env(IMPORTS_DB)
    imports._child(env, "reference")
    sizes = {}
    with tempfile.TemporaryDirectory(prefix="saima-bench-") as folder:
        for count in (1_000, rows):
            new, changed = Path(folder) / f"new-{count}.csv", Path(folder) / f"changed-{count}.csv"
            imports._write_values(new, count, seed=1)
            imports._write_values(changed, count, seed=2)
            imports._child(env, "empty")
            measured = {"new": imports._child(env, "import", str(new))}
            measured["changed"] = imports._child(env, "import", str(changed))
            imports._child(env, "empty")
            measured["new_floor"] = imports._child(env, "copy-with-history", str(new))
            measured["changed_floor"] = imports._child(env, "update-floor", str(changed))
            sizes[count] = measured
    big, small = sizes[rows], sizes[1_000]

    def rate(result: dict, count: int) -> float:
        return round(count / result["seconds"])

    def per_row_us(result: dict, count: int) -> float:
        return round(result["seconds"] / count * 1e6, 1)

    figures = {}
    for kind in ("new", "changed"):
        value, floor = rate(big[kind], rows), rate(big[f"{kind}_floor"], rows)
        figures[f"import_{kind}_rows_per_s"] = {
            "rows_per_s": value,
            "floor_rows_per_s": floor,
            "ratio": _ratio(value, floor),
            "rows": rows,
            "us_per_row_1k": per_row_us(small[kind], 1_000),
            f"us_per_row_{rows // 1000}k": per_row_us(big[kind], rows),
        }
    peak, floor_peak = big["new"]["peak_mb"], big["new_floor"]["peak_mb"]
    figures["import_peak_mb_1m"] = {
        "mb": round(peak),
        "floor_mb": round(floor_peak),
        "ratio": _ratio(peak, floor_peak),
        "rows": rows,
        **({"note": "quick: 100,000 rows, not 1,000,000"} if quick else {}),
    }
    return figures


# --- the children: Django set up, one database ----------------------------------------------


def child(mode: str, argument: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    options = json.loads(argument)
    if mode == "national":
        from bench.national import national_figures

        print(json.dumps(national_figures(**options)))
    elif mode == "small":
        from bench.national import small_race_prepared

        print(json.dumps(small_race_prepared(**options)))


def profile_top(function, *, title: str, limit: int = 10) -> str:
    """Run ``function`` under cProfile; its top functions by own time and by cumulative."""
    profiler = cProfile.Profile()
    profiler.runcall(function)
    text = io.StringIO()
    text.write(f"## {title}\n")
    for order in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler, stream=text)
        stats.strip_dirs().sort_stats(order).print_stats(limit)
    return re.sub(r"\n{3,}", "\n\n", text.getvalue())


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
