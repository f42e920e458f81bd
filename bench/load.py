#!/usr/bin/env python
"""Load test: mixed staff and portal traffic from many virtual users against a real server (issue 12, item 5).

    # against gunicorn on PostgreSQL that this script starts (migrate + seed_demo on a fresh database first):
    .venv/bin/python bench/load.py --serve --database-url postgres://postgres@127.0.0.1:5432/xinfang_load --prepare
    # against a server that is already running (it must allow many portal submissions from one address):
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --track XF20260000123:DEMO-2026

Each virtual user is a thread with its own cookie jar: 70% are staff (the demo accounts, logged in once) who
open their home, the case list, a case, and search; 30% are petitioners who read the public pages, follow a demo
petition with its query code, and now and then submit online (answering the CAPTCHA as a person would). Between
requests a user thinks for 0.5-2 s. Prints the count, errors and p50/p95/p99 per page group; `--json` saves them.
Only the Python standard library and `requests` are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAFF = ["registrar", "triage", "supervisor", "analyst", "district_registrar", "district_triage", "handler",
         "approver", "district_bureau", "city_gov_handler"]  # fmt: skip
PASSWORD = "demo-2026"
SEARCH_WORDS = ["补偿", "拆迁", "工资", "噪音", "物业", "养老", "医保", "征收"]
STAFF_GROUPS = ("staff: home", "staff: case list", "staff: case page", "staff: search")
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def _words_to_int(text: str) -> int:
    if "十" in text and len(text) > 1:
        tens, _, ones = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    return DIGITS[text]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


@dataclass
class Results:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    measuring: bool = False

    def record(self, group: str, ms: float, error: str = "") -> None:
        if not self.measuring:
            return
        with self.lock:
            if error:
                self.errors[group].append(error)
            else:
                self.samples[group].append(ms)


class User:
    def __init__(self, base: str, results: Results, rng: random.Random) -> None:
        self.base, self.results, self.rng = base, results, rng
        self.session = requests.Session()

    def request(self, group: str, method: str, path: str, ok: tuple[int, ...] = (200,), **kwargs: Any) -> str:
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=30, allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            self.results.record(group, 0, f"{type(error).__name__}")
            return ""
        ms = (time.perf_counter() - started) * 1000
        if response.status_code not in ok:
            self.results.record(group, ms, f"HTTP {response.status_code} {path}")
            return ""
        self.results.record(group, ms)
        return response.text if response.status_code == 200 else response.headers.get("Location", "")

    def start(self) -> None:
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError


class Staff(User):
    def __init__(self, base: str, results: Results, rng: random.Random, username: str) -> None:
        super().__init__(base, results, rng)
        self.username = username
        self.cases: list[str] = []
        self.logged_in = False

    def start(self) -> None:
        page = self.request("login", "GET", "/work/login/")
        data = {"csrfmiddlewaretoken": _csrf(page), "username": self.username, "password": PASSWORD}
        self.logged_in = bool(self.request("login", "POST", "/work/login/", ok=(302,), data=data))
        if self.logged_in:
            listing = self.request("staff: case list", "GET", "/work/cases/")
            self.cases = sorted(set(re.findall(r'href="/work/cases/(\d+)/"', listing)))

    def step(self) -> None:
        if not self.logged_in:  # the login failed (counted as its error): try again rather than pile up redirects
            self.start()
            return
        roll = self.rng.random()
        if roll < 0.3:
            self.request("staff: home", "GET", "/work/")
        elif roll < 0.5:
            self.request("staff: case list", "GET", "/work/cases/?page=1")
        elif roll < 0.8 and self.cases:
            self.request("staff: case page", "GET", f"/work/cases/{self.rng.choice(self.cases)}/")
        else:
            self.request("staff: search", "GET", "/work/cases/", params={"q": self.rng.choice(SEARCH_WORDS)})


class Petitioner(User):
    def __init__(self, base: str, results: Results, rng: random.Random, tracks: list[tuple[str, str]]) -> None:
        super().__init__(base, results, rng)
        self.tracks = tracks
        self.following = ""

    def start(self) -> None:
        self.request("portal: public pages", "GET", "/")

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.35:
            self.request("portal: public pages", "GET", self.rng.choice(["/", "/public/roadmap/", "/rules/",
                                                                         "/public/organs/", "/public/help/"]))
        elif roll < 0.75 and self.tracks:
            if not self.following:
                number, code = self.rng.choice(self.tracks)
                page = self.request("portal: track", "GET", "/public/track/")
                data = {"csrfmiddlewaretoken": _csrf(page), "number": number, "code": code}
                if self.request("portal: track", "POST", "/public/track/", ok=(302,), data=data):
                    self.following = number
            else:
                self.request("portal: progress", "GET", f"/public/track/{self.following}/")
        else:
            self.submit()

    def submit(self) -> None:
        page = self.request("portal: submit", "GET", "/public/submit/")
        question = re.search(r"验证问题 \*：(\S+?)加(\S+?)等于几", page)
        token = re.search(r'name="captcha_token" value="([^"]+)"', page)
        place = re.search(r'data-region="(\d+)">\s*<option value="(\d+)"', page)  # a region and one of its organs
        if not (question and token and place):
            self.results.record("portal: submit", 0, "the form could not be read")
            return
        data = {
            "csrfmiddlewaretoken": _csrf(page),
            "region": place.group(1),
            "organ": place.group(2),
            "name": "压测用户",
            "id_number": "11010519491231002X",
            "contact": "13800001111",
            "address": "西地市测试路1号",
            "request": f"压力测试：请求维修小区路灯 {self.rng.randrange(10**9)}",
            "facts_and_reasons": "路灯坏了三个月。",
            "accusation": "no",
            "captcha_answer": str(_words_to_int(question.group(1)) + _words_to_int(question.group(2))),
            "captcha_token": token.group(1),
        }
        if self.request("portal: submit", "POST", "/public/submit/", ok=(302,), data=data):
            self.request("portal: submit", "GET", "/public/receipt/")


def group_cpu_seconds(pgid: int | None) -> float:
    """User + system CPU seconds of every process in the server's process group (Linux /proc), so that the cost
    of a request can be told apart from the time it waited for a CPU on a shared machine."""
    if pgid is None:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...; utime and stime are 12 and 13
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(base: str, users: int, duration: float, warmup: float, staff_share: float, tracks: list[tuple[str, str]],
        seed: int, pgid: int | None = None) -> dict[str, Any]:  # fmt: skip
    results = Results()
    rng = random.Random(seed)
    population: list[User] = []
    for n in range(users):
        user_rng = random.Random(rng.randrange(2**32))
        if n < round(users * staff_share):
            population.append(Staff(base, results, user_rng, STAFF[n % len(STAFF)]))
        else:
            population.append(Petitioner(base, results, user_rng, tracks))
    stop = threading.Event()

    def live(user: User) -> None:
        time.sleep(user.rng.uniform(0, warmup / 2))  # arrivals spread over the first half of the warm-up
        user.start()
        while not stop.is_set():
            user.step()
            stop.wait(user.rng.uniform(0.5, 2.0))

    threads = [threading.Thread(target=live, args=(u,), daemon=True) for u in population]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    results.measuring = True
    started, cpu_before, load_before = time.monotonic(), group_cpu_seconds(pgid), os.getloadavg()[0]
    time.sleep(duration)
    results.measuring = False
    elapsed, cpu = time.monotonic() - started, group_cpu_seconds(pgid) - cpu_before
    load_after = os.getloadavg()[0]
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    groups = {}
    for group in sorted(set(results.samples) | set(results.errors)):
        values = results.samples.get(group, [])
        groups[group] = {
            "requests": len(values),
            "errors": len(results.errors.get(group, [])),
            "p50": round(statistics.median(values), 1) if values else None,
            "p95": round(percentile(values, 95), 1) if values else None,
            "p99": round(percentile(values, 99), 1) if values else None,
            "first_errors": results.errors.get(group, [])[:3],
            "error_kinds": dict(Counter(e.split(" /")[0] for e in results.errors.get(group, []))),
        }
    staff_values = [v for g in STAFF_GROUPS for v in results.samples.get(g, [])]
    total = sum(len(v) for v in results.samples.values()) + sum(len(v) for v in results.errors.values())
    return {
        "users": users,
        "staff_users": round(users * staff_share),
        "seconds": round(elapsed, 1),
        "requests": total,
        "per_second": round(total / elapsed, 1),
        "errors": sum(len(v) for v in results.errors.values()),
        "staff_pages_p95": round(percentile(staff_values, 95), 1) if staff_values else None,
        "server_cpu_seconds": round(cpu, 1),
        "server_cpu_ms_per_request": round(cpu * 1000 / total, 1) if total and pgid else None,
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "cores": os.cpu_count(),
        "groups": groups,
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"\n{report['users']} users ({report['staff_users']} staff) for {report['seconds']} s: "
          f"{report['requests']} requests, {report['per_second']}/s, {report['errors']} errors")  # fmt: skip
    print(f"{'group':<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for group, row in report["groups"].items():
        cells = [f"{row[k]:>9.1f}" if row[k] is not None else f"{'-':>9}" for k in ("p50", "p95", "p99")]
        print(f"{group:<24}{row['requests']:>9}{row['errors']:>8}{''.join(cells)}")
        for error in row["first_errors"]:
            print(f"    {error}")
    print(f"staff pages p95: {report['staff_pages_p95']} ms")
    if report["server_cpu_ms_per_request"]:
        print(f"gunicorn CPU: {report['server_cpu_seconds']} s in the window, {report['server_cpu_ms_per_request']} ms "
              f"per request; load average {report['load_average'][0]} → {report['load_average'][1]} "
              f"on {report['cores']} cores")  # fmt: skip


Served = tuple[subprocess.Popen[bytes], list[tuple[str, str]]]


def serve(database_url: str, prepare: bool, workers: int, threads: int, port: int) -> Served:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XINFANG_SECRET_KEY": os.environ.get("XINFANG_SECRET_KEY", "load-test-only-" + "x" * 40),
        "XINFANG_FIELD_KEY": os.environ.get("XINFANG_FIELD_KEY", "00112233445566778899aabbccddeeff"),
        "XINFANG_HTTPS": "0",
        "XINFANG_PORTAL_SUBMISSIONS_PER_HOUR": "1000000",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("XINFANG_DEBUG", None)
    python = sys.executable
    tracks: list[tuple[str, str]] = []
    if prepare:
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True,
                                capture_output=True, text=True)  # fmt: skip
        tracks = re.findall(r"信访件编号 (\S+)，查询码 (\S+?)（", seeded.stdout)
    command = [str(Path(python).with_name("gunicorn")), "xinfang.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
               "--no-control-socket", "--log-level", "warning", "--timeout", "60",
               "--keep-alive", "75"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(600):
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process, tracks
        except requests.RequestException:
            pass
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("服务器没有就绪（/readyz）")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--serve", action="store_true", help="start gunicorn on --database-url")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xinfang_load")
    parser.add_argument("--prepare", action="store_true", help="migrate and seed_demo before serving")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--staff-share", type=float, default=0.7)
    parser.add_argument("--track", action="append", default=[], help="NUMBER:CODE of a petition to follow")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    tracks = [(t.split(":", 1)[0], t.split(":", 1)[-1]) for t in args.track]
    process = None
    if args.serve:
        process, found = serve(args.database_url, args.prepare, args.workers, args.threads, args.port)
        tracks += found
        base = f"http://127.0.0.1:{args.port}"
    elif args.url:
        base = args.url.rstrip("/")
    else:
        parser.error("give --url or --serve")
    try:
        pgid = process.pid if process is not None else None
        report = run(base, args.users, args.duration, args.warmup, args.staff_share, tracks, args.seed, pgid)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    report["workers"], report["threads"] = (args.workers, args.threads) if args.serve else (None, None)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
