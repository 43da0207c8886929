"""Locust users for `make loadtest` (bench/loadtest.py runs them; do not import from pytest:
locust patches the interpreter with gevent).

Every user signs in through the login form with the demo password, like a browser (CSRF token,
cookie, Referer), then reads leaderboards, district pages, indicator pages and the home page;
officials also post comments on a race's comment page. What exists is read from the demo
database by bench/loadtest.py and passed in SAIMA_LOAD_PLAN (JSON). FloorUser measures the
floor of the same run: /healthz (one query) and a static file, with no wait.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, task

PLAN = json.loads(
    os.environ.get("SAIMA_LOAD_PLAN", '{"races": [], "districts": [], "indicators": []}')
)
PASSWORD = os.environ.get("SAIMA_LOAD_PASSWORD", "saima-demo")
WAIT = [float(part) for part in os.environ.get("SAIMA_LOAD_WAIT", "0.5,1.5").split(",")]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONCERNING = re.compile(r'<option value="((?:district|indicator):[^"]+|race)"')
READERS = itertools.cycle(["viewer", "clerk", "reviewer"])
# The measured load starts when every user has signed in (a sign-in hashes the password, about
# a second of CPU each, so 32 at once take a while): statistics are reset then, and the run
# ends SAIMA_LOAD_SECONDS later. The sign-ins are summed up apart, in SAIMA_LOAD_SIGNIN_REPORT.
USERS = int(os.environ.get("SAIMA_LOAD_USERS", "0"))
SECONDS = float(os.environ.get("SAIMA_LOAD_SECONDS", "60"))
SIGNIN_REPORT = os.environ.get("SAIMA_LOAD_SIGNIN_REPORT", "")
ALL_SIGNED_IN = Event()
SIGN_INS: list[tuple[float, bool]] = []  # (seconds, signed in)


def _signed_in(environment, seconds: float, ok: bool) -> None:
    SIGN_INS.append((seconds, ok))
    if len(SIGN_INS) != USERS or ALL_SIGNED_IN.is_set():
        return
    if SIGNIN_REPORT:
        with open(SIGNIN_REPORT, "w") as stream:
            json.dump(SIGN_INS, stream)
    environment.runner.stats.reset_all()
    gevent.spawn_later(SECONDS, environment.runner.quit)
    ALL_SIGNED_IN.set()


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    username = ""

    def on_start(self) -> None:
        started = time.monotonic()
        ok = self.sign_in()
        _signed_in(self.environment, time.monotonic() - started, ok)
        ALL_SIGNED_IN.wait(timeout=300)

    def sign_in(self) -> bool:
        login = "/accounts/login/"
        page = self.client.get(login, name="sign in: form")
        token = CSRF_INPUT.search(page.text or "")
        with self.client.post(
            login,
            data={
                "csrfmiddlewaretoken": token[1] if token else "",
                "username": self.username,
                "password": PASSWORD,
            },
            headers={"Referer": self.host + login},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {self.username}: HTTP {response.status_code}")
                return False
            return True

    def page(self, path: str, name: str) -> None:
        # Redirects are not followed: a signed-in reader is never sent to the login page.
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(4)
    def leaderboard(self) -> None:
        race, period = random.choice(PLAN["races"])
        self.page(f"/races/{race}/{period}/", "leaderboard /races/<code>/<period>/")

    @task(3)
    def district(self) -> None:
        self.page(f"/districts/{random.choice(PLAN['districts'])}/", "district /districts/<code>/")

    @task(2)
    def indicator(self) -> None:
        code = random.choice(PLAN["indicators"])
        self.page(f"/indicators/{code}/", "indicator /indicators/<code>/")

    @task(2)
    def home(self) -> None:
        self.page("/", "home /")


class ReaderUser(SignedInUser):
    """A viewer, clerk or reviewer reading the pages."""

    def on_start(self) -> None:
        self.username = next(READERS)
        super().on_start()


class OfficialUser(SignedInUser):
    """The demo official: reads, and now and then comments on a published race."""

    fixed_count = 8
    username = "official"

    @task(1)
    def comment(self) -> None:
        race, period = random.choice(PLAN["races"])
        path = f"/races/{race}/{period}/comments/"
        page = self.client.get(path, name="comments page /races/<code>/<period>/comments/")
        token = CSRF_INPUT.search(page.text or "")
        choices = CONCERNING.findall(page.text or "")
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": token[1] if token else "",
                "concerning": random.choice(choices) if choices else "race",
                "body": f"Load-test comment {random.randrange(10**9)} (synthetic).",
            },
            headers={"Referer": self.host + path},
            allow_redirects=False,
            name="comment post",
            catch_response=True,
        ) as response:
            # Posted: a redirect to the comment; a form with errors comes back as 200.
            if response.status_code != 302 or "#comment-" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"comment not posted: HTTP {response.status_code}")


class FloorUser(HttpUser):
    """The floor of this machine at this moment: no session, one query or none, no wait."""

    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="floor: /healthz")

    @task
    def static_file(self) -> None:
        self.client.get("/static/css/saima.css", name="floor: static file")
