"""What the load and fault tests share: a throw-away PostgreSQL database with the demo, real
gunicorn on 127.0.0.1 with production-like settings, signed-in HTTP sessions, the machine.

Imported by bench/loadtest.py and bench/faulttest.py (run as scripts); it imports neither
Django nor locust, so the pure helpers can be tested from pytest.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEMO_USERS = ("official", "viewer", "clerk", "reviewer")
DEMO_PASSWORD = "saima-demo"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _admin(statement: str, *, timeout_s: int = 0) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        if timeout_s:
            connection.execute(f"SET statement_timeout = '{timeout_s}s'")
        connection.execute(statement)


def _exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        return bool(
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def _own(name: str) -> str:
    if not re.fullmatch(r"saima_[a-z0-9_]+", name):
        raise ValueError(f"refusing to drop {name!r}: these tests own saima_* databases only")
    return name


def database_recreate(name: str) -> None:
    """Drop (closing its sessions) and create an empty database of that name."""
    if _exists(_own(name)):
        database_drop(name, must=True)
    _admin(f'CREATE DATABASE "{name}"')


def database_drop(name: str, *, must: bool = False) -> None:
    """Drop the database. DROP DATABASE waits until every session on the server has taken
    note (a ProcSignalBarrier), which a long statement elsewhere holds back: after 60 s give
    up with a warning (or an error when MUST), instead of hanging."""
    import psycopg

    try:
        _admin(f'DROP DATABASE IF EXISTS "{_own(name)}" WITH (FORCE)', timeout_s=60)
    except psycopg.errors.QueryCanceled:
        message = (
            f"could not drop {name} within 60 s: a long statement in another session on the "
            f"server holds DROP DATABASE back; drop it later: psql -h 127.0.0.1 -U postgres "
            f'-c "DROP DATABASE {name} WITH (FORCE)"'
        )
        if must:
            raise RuntimeError(message) from None
        print(f"WARNING: {message}", file=sys.stderr)


def server_env(url: str) -> dict[str, str]:
    """Production-like settings, as `make serve` runs them, on plain HTTP at 127.0.0.1."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback, no TLS proxy in front: no redirect, cookies without Secure.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def demo_database(name: str, env: dict) -> None:
    """A fresh database named NAME with the migrated schema and the illustrative demo."""
    database_recreate(name)
    manage(env, "migrate", "--noinput")
    # DEBUG is off here, as in production, so the demo has to be asked for.
    manage(env, "load_demo", "--force")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def demo_plan(env: dict) -> dict:
    """Published races and periods, districts by group and indicators, read from the database."""
    code = (
        "import json\n"
        "from rankings.models import Publication\n"
        "from districts.models import District, Indicator\n"
        "races = Publication.objects.values_list('race__code', 'period')\n"
        "print(json.dumps({"
        "'races': sorted(set(races)),"
        "'districts': sorted(District.objects.values_list('code', flat=True)),"
        "'indicators': sorted(Indicator.objects.values_list('code', flat=True))}))"
    )
    output = manage(env, "shell", "--no-imports", "-c", code, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with gunicorn.conf.py on a free loopback port, in a process group of its own
    (so a Ctrl-C in the terminal reaches the script, which stops it in order)."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}", "GUNICORN_ACCESS_LOG": "-"}
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def workers(self) -> int:
        return int(self.env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)

    def start(self) -> None:
        with self.log.open("w") as stream:
            self.process = subprocess.Popen(
                [GUNICORN, "config.wsgi:application", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        import urllib.request

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def sign_in(session, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form as a browser does: its CSRF token, cookie and Referer."""
    login = f"{base}/accounts/login/"
    page = session.get(login, timeout=30)
    page.raise_for_status()
    token = CSRF_INPUT.search(page.text)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    response = session.post(
        login,
        data={"csrfmiddlewaretoken": token[1], "username": username, "password": password},
        headers={"Referer": login},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"signing in as {username}: HTTP {response.status_code}")


def exit_on_sigterm() -> None:
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so every `finally` cleans up."""

    def _raise(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)


def machine_description(workers: int) -> dict[str, str]:
    import psycopg

    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    with psycopg.connect(PG_ADMIN_URL) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "postgresql": version,
        "gunicorn": f"{workers} workers × {os.environ.get('GUNICORN_THREADS', '2')} threads",
        "python": sys.version.split()[0],
    }
