"""Page benchmark: real gunicorn on 127.0.0.1 serving the demo, timed from a client.

Run with `make bench`. It builds a throw-away SQLite database with the demo city, starts
gunicorn (2 workers) on a free loopback port, signs in as the demo official and requests
each main page a fixed number of times, sequentially and then from 4 client threads.
Every loop is bounded; nothing leaves the machine.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS_PER_PAGE = 60
THREADS = 4
PAGES = {
    "home": "/",
    "leaderboard": "/races/counties-economy/2026Q3/",
    "leaderboard values": "/races/counties-economy/2026Q3/?show=values&sort=-score",
    "district": "/districts/220106/?race=counties-economy&period=2026Q3",
    "indicator": "/indicators/gdp_growth/?group=counties&period=2026Q3",
    "comments": "/races/counties-economy/2026Q3/comments/",
    "csv export": "/races/counties-economy/2026Q3/export.csv",
    "xlsx export": "/races/counties-economy/2026Q3/export.xlsx",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "official", "password": "saima-demo"}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    response = opener.open(request)
    if response.url.rstrip("/") != base:
        raise SystemExit("could not sign in as the demo official")
    return opener


def timed_get(opener, url: str) -> float:
    start = time.perf_counter()
    with opener.open(url) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on 127.0.0.1: no redirect to HTTPS, cookies without Secure.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
        }
        manage(env, "migrate", "--noinput")
        # DEBUG is off here, as in production, so the demo has to be asked for.
        manage(env, "load_demo", "--force")
        manage(env, "collectstatic", "--noinput")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(100):  # up to 10 s for gunicorn to listen
                try:
                    urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            opener = signed_in_opener(base)
            print(f"gunicorn, 2 workers, SQLite demo; {REQUESTS_PER_PAGE} requests per page")
            print(f"{'page':<20}{'median ms':>10}{'p95 ms':>9}{f'{THREADS} threads req/s':>18}")
            for name, path in PAGES.items():
                url = base + path
                timed_get(opener, url)  # warm-up
                times = sorted(timed_get(opener, url) for _ in range(REQUESTS_PER_PAGE))
                p95 = times[int(len(times) * 0.95) - 1]
                start = time.perf_counter()
                with ThreadPoolExecutor(THREADS) as pool:
                    list(
                        pool.map(timed_get, [opener] * REQUESTS_PER_PAGE, [url] * REQUESTS_PER_PAGE)
                    )
                rate = REQUESTS_PER_PAGE / (time.perf_counter() - start)
                print(f"{name:<20}{statistics.median(times):>10.1f}{p95:>9.1f}{rate:>18.1f}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
