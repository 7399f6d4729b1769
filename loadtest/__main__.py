"""Load test of a running site (locust, bounded, loopback only).

    python -m loadtest --host http://127.0.0.1:8104 --users 50 --seconds 180

Against the demo city (``manage.py seed_demo``) served by gunicorn on PostgreSQL. Every
simulated user signs in as the lead department (password ``--password``), then reads pages
(home, the year's indicator system, the entry overview, a round's status matrix) and enters
data: it opens the entry grid of its own indicator in the open pre-assessment round, changes
its own county's progress cell and saves. Each user owns one (indicator, county) cell, so the
last save a user saw accepted is the value the cell must hold; a save refused as stale (someone
saved another cell of the grid meanwhile) is counted, not an error. At the end every owned
cell is read back through its grid page and compared with the last accepted save.

Prints requests per second, the median and 95th percentile response times (pages and saves
apart), the errors and the check of the saves. Exit status 1 on any error or lost save.
"""

import argparse
import html
import random
import re
import sys
import time
from urllib.parse import urlparse

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
import requests  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.stats import StatsEntry  # noqa: E402

GRID = re.compile(r'href="(/cycles/(\d+)/rounds/([\w-]+)/entry/([^/"]+)/)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOADED = re.compile(r'name="loaded" value="([^"]*)"')


def cells(html: str) -> dict[str, str]:
    """The progress cells of a grid page: name → value."""
    found = {}
    for match in re.finditer(r'<input[^>]*name="(c\d+-p)"[^>]*>', html):
        value = re.search(r'value="([^"]*)"', match.group(0))
        found[match.group(1)] = value.group(1) if value else ""
    return found


class Plan:
    """What the users share: the grids of the open round, each user's cell, the saves."""

    def __init__(self, host: str, password: str, year: int, round_code: str):
        self.host, self.password = host, password
        session = sign_in(requests.Session(), host, password)
        status = session.get(f"{host}/cycles/{year}/rounds/{round_code}/status/").text
        grids = sorted({m.group(1) for m in GRID.finditer(status) if m.group(3) == round_code})
        self.cells = []  # (grid URL, cell name) per user, each owned by one user
        for url in grids:
            page = session.get(f"{host}{url}").text
            if 'name="save"' not in page:  # approved or locked: not open for entry
                continue
            self.cells += [(url, name) for name in sorted(cells(page))]
        random.Random(16).shuffle(self.cells)
        self.saved: dict[tuple[str, str], str] = {}
        self.stale = self.accepted = 0
        self.next = 0


def sign_in(session, host: str, password: str):
    session.headers["Accept-Language"] = "en"
    page = session.get(f"{host}/accounts/login/")
    token = TOKEN.search(page.text).group(1)
    session.post(
        f"{host}/accounts/login/",
        data={"username": "lead", "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{host}/accounts/login/"},
    )
    return session


PLAN: Plan | None = None


class Appraiser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Accept-Language"] = "en"
        sign_in(self.client, "", PLAN.password)
        self.cell = PLAN.cells[PLAN.next % len(PLAN.cells)]
        PLAN.next += 1
        self.year = self.cell[0].split("/")[2]

    @task(3)
    def read(self) -> None:
        path = random.choice(
            ["/", f"/cycles/{self.year}/indicators/", f"/cycles/{self.year}/entry/"]
        )
        self.client.get(path, name=f"page {path.replace(self.year, 'YEAR')}")

    @task(1)
    def enter(self) -> None:
        url, name = self.cell
        page = self.client.get(url, name="page entry grid").text
        values = cells(page)
        data = dict(values)
        value = f"{random.randint(0, 10000) / 100:.2f}"
        data[name] = value
        data["loaded"] = html.unescape(LOADED.search(page).group(1))
        data["csrfmiddlewaretoken"] = TOKEN.search(page).group(1)
        with self.client.post(
            url, data=data, headers={"Referer": self.client.base_url + url},
            name="save entry grid", catch_response=True, allow_redirects=False,
        ) as response:  # fmt: skip
            if response.status_code == 302 and response.headers.get("Location") == url:
                PLAN.saved[(url, name)] = value
                PLAN.accepted += 1
                response.success()
            elif response.status_code == 409:  # stale: refused whole, nothing written
                PLAN.stale += 1
                response.success()
            else:  # a redirect elsewhere (signed out, locked) is not a save either
                response.failure(
                    f"save answered {response.status_code} {response.headers.get('Location')}"
                )


def check_saves(plan: Plan) -> list[str]:
    """Every cell's last accepted save, read back; the differences."""
    session = sign_in(requests.Session(), plan.host, plan.password)
    lost = []
    pages: dict[str, dict] = {}
    for (url, name), value in plan.saved.items():
        if url not in pages:
            pages[url] = cells(session.get(f"{plan.host}{url}").text)
        held = pages[url].get(name, "")
        if held == "" or abs(float(held) - float(value)) > 1e-9:
            lost.append(f"{url} {name}: saved {value}, holds {held!r}")
    return lost


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--round", default="august")
    args = parser.parse_args(argv)
    if urlparse(args.host).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load test runs against this machine only (127.0.0.1)")
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 900:
        parser.error("bounded: 1–200 users, 1–900 seconds")
    global PLAN
    PLAN = Plan(args.host, args.password, args.year, args.round)
    if not PLAN.cells:
        print("no open grid in that round: seed the demo first", file=sys.stderr)
        return 1
    # Users finish the task in hand when the time is up: a save still in flight when the
    # check starts would land after it.
    env = Environment(user_classes=[Appraiser], host=args.host, events=events, stop_timeout=300)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    started = time.monotonic()
    gevent.sleep(args.seconds)
    runner.quit()  # waits for the users' tasks in hand (stop_timeout)
    elapsed = time.monotonic() - started
    lost = check_saves(PLAN)
    total = env.stats.total
    rate = total.num_requests / elapsed
    print(f"users {args.users}, {elapsed:.0f} s, {total.num_requests} requests, "
          f"{rate:.1f} requests/s, {total.num_failures} errors")  # fmt: skip
    for name, entry in sorted(env.stats.entries.items()):
        print(f"  {name[1]:4} {name[0]:32} n={entry.num_requests:5} "
              f"p50={entry.get_response_time_percentile(0.5):.0f} ms "
              f"p95={entry.get_response_time_percentile(0.95):.0f} ms "
              f"errors={entry.num_failures}")  # fmt: skip
    # Pages and saves apart from signing in (a deliberately slow password hash).
    work = StatsEntry(env.stats, "pages and saves", "")
    for (name, _method), entry in env.stats.entries.items():
        if "login" not in name:
            work.extend(entry)
    print(f"  pages and saves: p50={work.get_response_time_percentile(0.5):.0f} ms "
          f"p95={work.get_response_time_percentile(0.95):.0f} ms, "
          f"{work.num_requests / elapsed:.1f} requests/s")  # fmt: skip
    print(f"saves accepted {PLAN.accepted}, refused as stale {PLAN.stale}, cells checked "
          f"{len(PLAN.saved)}, lost {len(lost)}")  # fmt: skip
    for line in lost:
        print("  LOST", line)
    return 1 if total.num_failures or lost else 0


if __name__ == "__main__":
    sys.exit(main())
