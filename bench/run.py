#!/usr/bin/env python3
"""`make bench` and `make bench-smoke`: intake, the admin list and statistics under load.

Starts the server (release for `make bench`, the debug build for the smoke run) on fresh
PostgreSQL databases and on an SQLite file, drives it with wrk (Lua scripts in bench/lua/) beside
a same-run baseline (bench/baseline: one single-row INSERT per request), checks that nothing
acknowledged was lost, and writes latest.md and latest.json to the results directory.

    python3 bench/run.py                      # full run, results in bench/results/
    python3 bench/run.py --smoke --results-dir /tmp/x --no-build   # tiny scale, debug build

PostgreSQL: 127.0.0.1:5432, user postgres, trust auth (BENCH_PG_URL to change); the databases
it creates are named od_bench_<pid>_* and dropped afterwards. Load goes to 127.0.0.1 only.
The smoke run fails (exit 1) when the harness breaks: an error response, a lost point or order,
a batch not applied exactly once, a missing figure. It never asserts on timings.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gzip
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lua"
SEED = ROOT / "bench" / "seed"

# The site's pages the tracker reports (SITE_PAGES); the first gets most traffic.
SITE_PAGES = "/,/prices,/contacts"
POINTS_PER_BATCH = 20
# Points in the heatmap: in its cells (SQLite: a row each), on PostgreSQL in its rows of
# column counts and in the log not yet folded into them (flushed, so on disk;
# server/src/metrics/heatmap_store.rs, cell_log.rs).
HEATMAP_CELL_POINTS = "SELECT COALESCE(SUM(count), 0) FROM heatmap_cells"
PG_HEATMAP_ROW_POINTS = "SELECT COALESCE(SUM(n), 0) FROM heatmap_rows, unnest(counts) AS n"
PG_HEATMAP_POINTS = (f"SELECT ({PG_HEATMAP_ROW_POINTS}) + "
                     "(SELECT COALESCE(SUM(n), 0) FROM heatmap_cell_log, unnest(counts) AS n)")
ADMIN_EMAIL = "bench@example.com"

REQUIRED_KEYS = [
    "baseline_rps", "ingest_rps", "ingest_p99_ms", "ingest_errors", "ingest_lost_points",
    "contention_errors", "orders_rps", "orders_p99_ms", "list_first_page_p99_ms",
    "list_search_p99_ms", "stats_p99_ms", "rss_mb_under_load", "startup_ms",
    "sqlite_ingest_rps", "sqlite_orders_rps",
]


@dataclass
class Scale:
    name: str
    duration: int  # seconds of each main wrk run
    short: int  # seconds of each read run (list, statistics)
    pg_orders: int  # orders in PostgreSQL for the list
    stats_visits: int
    heat: tuple[int, int, int]  # days, columns, rows of seeded heatmap cells
    sqlite_orders: int
    contention: tuple[int, int, int]  # visits, batches each, passes
    list_page: int  # the deep page fetched by cursor
    page_size: int = 50
    batches_per_visit: int = 30


FULL = Scale("full", 20, 10, 1_000_000, 1_000_000, (30, 100, 250), 100_000, (64, 16, 2), 200)
SMOKE = Scale("smoke", 2, 2, 1_000, 3_000, (30, 10, 20), 1_000, (6, 16, 2), 5)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, timeout=timeout, check=True, text=True, capture_output=True, **kw)


# --- CPU ---------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int, reaped_children: bool = False) -> float | None:
    """User + system CPU seconds of a process, all its threads (with `reaped_children`, also
    those of its children that have exited); None when it is not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the name: state, ppid, ... utime, stime, cutime, cstime are fields 14-17 of stat.
    used = int(fields[11]) + int(fields[12])
    if reaped_children:
        used += int(fields[13]) + int(fields[14])
    return used / TICKS


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return found


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot (`/proc/stat`; idle and iowait are idle)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(ticks[:8])  # guest time is already counted in user
    return total - ticks[3] - ticks[4], total


# --- PostgreSQL --------------------------------------------------------------------------------


class Postgres:
    def __init__(self, url: str):
        parsed = urllib.parse.urlparse(url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 5432
        self.user = parsed.username or "postgres"
        self.databases: list[str] = []
        self._postmaster: int | None = None

    def postmaster(self) -> int | None:
        """The cluster's postmaster when it runs on this machine (its `postmaster.pid`)."""
        if self._postmaster is None:
            self._postmaster = 0
            try:
                data = self.psql("postgres", "SHOW data_directory", timeout=30)
                pid = int((Path(data) / "postmaster.pid").read_text().split("\n", 1)[0])
                if Path(f"/proc/{pid}/comm").read_text().strip() in ("postgres", "postmaster"):
                    self._postmaster = pid
            except (OSError, ValueError, subprocess.SubprocessError):
                log("PostgreSQL's CPU is not measured: its postmaster is not a process here")
        return self._postmaster or None

    def cpu_s(self) -> float | None:
        """CPU seconds of the whole cluster so far: the postmaster, its live processes (the
        backends, the WAL writer, the checkpointer...) and those that have exited."""
        postmaster = self.postmaster()
        if postmaster is None:
            return None
        total = process_cpu_s(postmaster, reaped_children=True)
        if total is None:
            return None
        return total + sum(process_cpu_s(child) or 0.0 for child in children_of(postmaster))

    def url(self, db: str) -> str:
        # As in docker-compose: the app reaches PostgreSQL over the stack's private network,
        # where the postgres image serves no TLS. A Debian cluster on this machine offers TLS
        # with its snakeoil certificate, which sqlx's default (`prefer`) would take, putting
        # encryption that production never does on both the server's and the baseline's path.
        return f"postgres://{self.user}@{self.host}:{self.port}/{db}?sslmode=disable"

    def psql(self, db: str, sql: str, timeout: float = 900) -> str:
        out = run(
            ["psql", "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", db,
             "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
            timeout,
        )
        return out.stdout.strip()

    def psql_file(self, db: str, path: Path, variables: dict[str, str], timeout: float = 1800):
        cmd = ["psql", "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", db,
               "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-f", str(path)]
        for k, v in variables.items():
            cmd += ["-v", f"{k}={v}"]
        return run(cmd, timeout).stdout.strip()

    def start(self, db: str, sql: str | None = None, path: Path | None = None,
              variables: dict[str, str] | None = None) -> subprocess.Popen:
        """psql in the background (finish() waits for it)."""
        cmd = ["psql", "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", db,
               "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
        cmd += ["-c", sql] if sql is not None else ["-f", str(path)]
        for k, v in (variables or {}).items():
            cmd += ["-v", f"{k}={v}"]
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @staticmethod
    def finish_all(jobs: list[subprocess.Popen], started: float, timeout: float = 1800) -> list[float]:
        """Waits for background psql jobs; for each, seconds from `started` to its end."""
        ends: list[float | None] = [None] * len(jobs)
        deadline = started + timeout
        while None in ends:
            for i, job in enumerate(jobs):
                if ends[i] is None and job.poll() is not None:
                    ends[i] = time.monotonic() - started
                    if job.returncode != 0:
                        for other in jobs:
                            other.kill()
                        raise RuntimeError(f"psql failed: {job.stderr.read().strip()}")
            if time.monotonic() > deadline:
                for job in jobs:
                    job.kill()
                raise RuntimeError("seeding took longer than its bound")
            time.sleep(0.05)
        return [e for e in ends if e is not None]

    def scalar(self, db: str, sql: str) -> int:
        return int(float(self.psql(db, sql) or 0))

    def create(self, name: str) -> str:
        self.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.psql("postgres", f"CREATE DATABASE {name}")
        self.databases.append(name)
        return name

    def drop_all(self) -> None:
        for name in self.databases:
            try:
                self.psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", timeout=60)
            except Exception as err:  # noqa: BLE001 - best effort at exit
                log(f"could not drop {name}: {err}")
        self.databases.clear()


# --- processes -----------------------------------------------------------------------------------


class Process:
    """A server (or the baseline) on its own port, logs in the work directory; `database` is
    the PostgreSQL it uses, if any (its CPU is measured with the process's)."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], workdir: Path, port: int,
                 health: str, database: Postgres | None = None):
        self.name, self.port, self.health, self.database = name, port, health, database
        self.log_path = workdir / f"{name}.log"
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=workdir, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        RUNNING.append(self)

    def wait_healthy(self, timeout: float = 60) -> float:
        """Milliseconds from start to the first 200 on the health path."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.proc.returncode}): {self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.health)
                if conn.getresponse().status == 200:
                    return (time.monotonic() - self.started) * 1000
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} not healthy within {timeout}s: {self.tail()}")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_s(self) -> float | None:
        return process_cpu_s(self.proc.pid)

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self in RUNNING:
            RUNNING.remove(self)


RUNNING: list[Process] = []


class RssSampler(threading.Thread):
    """The highest VmRSS of a process while a run lasts."""

    def __init__(self, process: Process):
        super().__init__(daemon=True)
        self.process, self.peak, self.stopped = process, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.peak = max(self.peak, self.process.rss_mb())
            except OSError:
                return
            self.stopped.wait(0.2)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.join()


# --- GraphQL from the runner --------------------------------------------------------------------


def graphql(port: int, query: str, variables: dict | None = None, token: str | None = None,
            operation: str | None = None) -> dict:
    body = {"query": query, "variables": variables or {}}
    if operation:
        body["operationName"] = operation
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/graphql", json.dumps(body), headers)
    answer = json.loads(conn.getresponse().read())
    if answer.get("errors"):
        raise RuntimeError(f"GraphQL errors: {answer['errors']}")
    return answer["data"]


# --- documents as the clients send them ----------------------------------------------------------


def ts_document(path: Path, const: str) -> str:
    """A document string of the public page's documents.ts: `CONST = doc<...>('text')`."""
    source = path.read_text()
    match = re.search(const + r"\s*=\s*doc<[\s\S]*?>\(\s*'([^']*)'", source)
    if not match:
        raise RuntimeError(f"{const} not found in {path}")
    return match.group(1)


def spa_document(operation: str, path: Path, fragments: list[Path]) -> tuple[str, str]:
    """The admin SPA's operation with the fragments it spreads, as its urql client sends it
    (formatted by bench/spa-document.mjs); the source text when admin-spa has no node_modules."""
    blocks = []
    for p in [path, *fragments]:
        blocks += re.findall(r"graphql\(`([\s\S]*?)`\)", p.read_text())
    op = next((b for b in blocks if re.search(rf"\bquery {operation}\b", b)), None)
    if op is None:
        raise RuntimeError(f"query {operation} not found in {path}")
    text = op
    for name in sorted(set(re.findall(r"\.\.\.(\w+)", op))):
        frag = next((b for b in blocks if re.search(rf"\bfragment {name}\b", b)), None)
        if frag is None:
            raise RuntimeError(f"fragment {name} not found")
        text += "\n" + frag
    try:
        out = subprocess.run(["node", str(ROOT / "bench" / "spa-document.mjs")], input=text,
                             capture_output=True, text=True, timeout=60, check=True)
        return out.stdout, "urql formatDocument (as sent)"
    except (OSError, subprocess.SubprocessError):
        return text.strip(), "source text (admin-spa/node_modules missing: no __typename)"


# --- wrk -----------------------------------------------------------------------------------------


def wrk(name: str, server: Process, script: str, args: list[str], threads: int, connections: int,
        seconds: int, results: dict) -> dict:
    url = f"http://127.0.0.1:{server.port}"
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
           "-s", str(LUA / script), url, "--", *args]
    before = loadavg()
    log(f"{name}: wrk -t{threads} -c{connections} -d{seconds}s {script} (load {before[0]:.2f})")
    cpu = CpuUse(server)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # A script that is done before -d prints BENCH_STOP: SIGINT makes wrk stop and report.
    watchdog = threading.Timer(seconds + 120, proc.kill)
    watchdog.start()
    lines = []
    try:
        for text in proc.stdout:
            lines.append(text)
            if text.strip() == "BENCH_STOP" and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        stderr = proc.stderr.read()
        proc.wait()
    finally:
        watchdog.cancel()
    stdout = "".join(lines)
    line = next((l for l in lines if l.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {stdout[-2000:]} {stderr[-2000:]}")
    if server.proc.poll() is not None:
        code = server.proc.returncode
        why = " (0: stopped by SIGTERM or SIGINT from outside the bench)" if code == 0 else ""
        raise RuntimeError(f"{server.name} exited ({code}{why}) during {name}:\n{server.tail()}")
    figures = json.loads(line[len("BENCH_JSON "):])
    figures |= cpu.per_request(figures["requests"])
    figures["loadavg_before"] = before
    figures["connections"] = connections
    figures["threads"] = threads
    results.setdefault("runs", {})[name] = figures
    log(f"  {figures['rps']:.0f} req/s, p50 {figures['p50_ms']:.1f} ms, p99 "
        f"{figures['p99_ms']:.1f} ms, accepted {figures['accepted']}, errors {figures['errors']}"
        + (f" — {figures['rejected_sample']}" if figures.get("rejected_sample") else ""))
    used = ", ".join(f"{who} {'—' if figures[key] is None else round(figures[key])}" for who, key in
                     [("server", "cpu_us_server"), ("PostgreSQL", "cpu_us_postgres"), ("wrk", "cpu_us_wrk")])
    log(f"  CPU a request (µs): {used}; the cores {figures['cores_busy_pct']:.0f} % busy")
    return figures


class CpuUse:
    """What a wrk run costs: CPU of the server, of PostgreSQL's whole cluster (when the server
    uses one on this machine) and of wrk itself, a request; and how busy the machine's cores
    were (100 % = every core; below it, the run waited on something other than CPU)."""

    def __init__(self, server: Process):
        self.server, self.database = server, server.database
        self.wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.server_s = server.cpu_s()
        self.database_s = self.database.cpu_s() if self.database else None
        self.busy = machine_busy()

    def per_request(self, requests: int) -> dict:
        # wrk is the only child reaped during the run: its CPU is what RUSAGE_CHILDREN gained.
        wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy, total = (now - then for now, then in zip(machine_busy(), self.busy))
        server_s = self.server.cpu_s()
        database_s = self.database.cpu_s() if self.database else None

        def us(used: float | None) -> float | None:
            return None if used is None else used / max(requests, 1) * 1e6

        return {
            "cpu_us_server": us(None if server_s is None or self.server_s is None
                                else server_s - self.server_s),
            "cpu_us_postgres": us(None if database_s is None or self.database_s is None
                                  else database_s - self.database_s),
            "cpu_us_wrk": us(wrk.ru_utime + wrk.ru_stime - self.wrk.ru_utime - self.wrk.ru_stime),
            "cores_busy_pct": 100 * busy / max(total, 1),
        }


# --- the bench -----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.scale = SMOKE if args.smoke else FULL
        self.profile = "debug" if args.smoke else "release"
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        self.server_bin = target / self.profile / "server"
        self.baseline_bin = target / self.profile / "baseline"
        self.pg = Postgres(args.pg_url)
        self.work = Path(tempfile.mkdtemp(prefix="order-desk-bench-"))
        self.prefix = f"od_bench_{os.getpid()}"
        self.r: dict = {}  # the results (latest.json)
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.password = "Bench-" + secrets.token_urlsafe(18)
        self.secret = secrets.token_hex(32)
        self.tracker_doc = ts_document(ROOT / "public-site/src/api/documents.ts", "SUBMIT_METRICS")
        self.order_doc = ts_document(ROOT / "public-site/src/api/documents.ts", "SUBMIT_APPLICATION")
        orders_page = ROOT / "admin-spa/src/orders/OrdersPage.tsx"
        fragments = [ROOT / "admin-spa/src/orders/fragments.ts"]
        self.list_doc, source = spa_document("Leads", orders_page, fragments)
        stats_page = ROOT / "admin-spa/src/stats/StatsPage.tsx"
        self.stats_doc, _ = spa_document("MetricStats", stats_page, [])
        self.heatmap_doc, _ = spa_document("Heatmap", stats_page, [])
        self.r["spa_document_source"] = source
        self.run_tags = iter(range(1, 1000))

    # helpers

    def tag(self, kind: str) -> str:
        """8 hex digits naming a run's rows: kind (1 hex digit) + pid + counter."""
        return f"{kind}{os.getpid() % 0x10000:04x}{next(self.run_tags):03x}"

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)
            log(f"CHECK FAILED: {what}")

    def server_env(self, database_url: str, port: int) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DATABASE_URL": database_url,
            "APP_ENV": "production",
            "JWT_SECRET": self.secret,
            "BIND_ADDR": f"127.0.0.1:{port}",
            "SITE_PAGES": SITE_PAGES,
            "TIMEZONE": "UTC",
            # 0 turns each limit off (README, Configuration): the load comes from one address.
            "RATE_LIMIT_LOGINS_PER_MINUTE": "0",
            "RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_MINUTE": "0",
            "RATE_LIMIT_ORDERS_PER_MINUTE": "0",
            "RATE_LIMIT_METRICS_PER_MINUTE": "0",
            "RUST_LOG": "warn",
        }

    def start_server(self, name: str, database_url: str) -> tuple[Process, float]:
        port = free_port()
        database = self.pg if database_url.startswith("postgres") else None
        server = Process(name, [str(self.server_bin), "serve"], self.server_env(database_url, port),
                         self.work, port, "/healthz", database)
        return server, server.wait_healthy()

    def sign_in(self, server: Process, database_url: str) -> str:
        """An admin made with the CLI (`server create-admin`), signed in with `login`."""
        env = self.server_env(database_url, server.port) | {"ADMIN_PASSWORD": self.password}
        exists = subprocess.run(
            [str(self.server_bin), "create-admin", "--email", ADMIN_EMAIL], env=env, cwd=self.work,
            capture_output=True, text=True, timeout=120)
        if exists.returncode != 0 and "exists" not in (exists.stdout + exists.stderr).lower():
            raise RuntimeError(f"create-admin failed: {exists.stdout} {exists.stderr}")
        data = graphql(server.port, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                       {"e": ADMIN_EMAIL, "p": self.password})
        return data["login"]["token"]

    def create_services(self, server: Process, token: str) -> list[str]:
        names = ["Сайт под ключ", "Интернет-магазин", "Мобильное приложение", "SEO-продвижение",
                 "Поддержка сайта", "CRM и автоматизация"]
        ids = []
        for name in names:
            data = graphql(server.port, "mutation($i: ServiceInput!) { createService(input: $i) { id } }",
                           {"i": {"name": name, "description": f"{name}: от идеи до запуска."}}, token)
            ids.append(data["createService"]["id"])
        return ids

    # phases

    def baseline(self) -> None:
        db = self.pg.create(f"{self.prefix}_baseline")
        port = free_port()
        env = {"PATH": os.environ.get("PATH", ""), "DATABASE_URL": self.pg.url(db),
               "BIND_ADDR": f"127.0.0.1:{port}"}
        proc = Process("baseline", [str(self.baseline_bin)], env, self.work, port, "/health", self.pg)
        proc.wait_healthy()
        try:
            f = wrk("baseline", proc, "tracker.lua",
                    ["baseline", self.tag("a"), SITE_PAGES, str(self.scale.batches_per_visit)],
                    2, 32, self.scale.duration, self.r)
        finally:
            proc.stop(signal.SIGINT)
        stored = self.pg.scalar(db, "SELECT count(*) FROM baseline_rows")
        self.check(f["errors"] == 0, f"baseline: {f['errors']} errors ({f.get('rejected_sample')})")
        self.check(stored >= f["accepted"], f"baseline: {f['accepted']} acknowledged, {stored} stored")
        self.r |= {"baseline_rps": f["rps"], "baseline_p50_ms": f["p50_ms"], "baseline_p99_ms": f["p99_ms"]}
        self.r |= cpu_figures("baseline", f)

    def settled_total(self, heatmap_total) -> int:
        """The heatmap total once the aggregator has nothing left to add (two readings a flush
        apart agree), so a run starts from a known figure."""
        last = heatmap_total()
        for _ in range(20):
            time.sleep(1.1)
            now = heatmap_total()
            if now == last:
                return now
            last = now
        return last

    def reach(self, heatmap_total, expected: int, polls: int = 240) -> int:
        """Polls the heatmap total until it is no longer short of `expected` (the aggregator
        writes once a second, but falls behind under load), at most `polls` times 0.25 s apart:
        what is still missing after a minute counts as lost."""
        total = heatmap_total()
        for _ in range(polls):
            if total >= expected:
                break
            time.sleep(0.25)
            total = heatmap_total()
        return total

    def ingest(self, name: str, server: Process, connections: int, heatmap_total, visit_query,
               rss: list[float] | None = None) -> dict:
        """A tracker run, then: accepted batches x 20 points reached the heatmap, and the
        run's visits hold them; nothing was applied that was not sent."""
        before = self.settled_total(heatmap_total)
        tag = self.tag("b")
        args = ["graphql", tag, SITE_PAGES, str(self.scale.batches_per_visit), self.tracker_doc]
        with RssSampler(server) as sampler:
            f = wrk(name, server, "tracker.lua", args, 2, connections,
                    self.scale.duration, self.r)
        if rss is not None:
            rss.append(sampler.peak)
        f["tag"] = tag
        f["rss_peak_mb"] = sampler.peak
        expected = before + f["accepted"] * POINTS_PER_BATCH
        ended = time.monotonic()
        total = self.reach(heatmap_total, expected)
        # How long after the load the aggregated statistics had caught up (flushes once a second).
        f["heatmap_caught_up_s"] = time.monotonic() - ended
        f["heatmap_points_expected"] = f["accepted"] * POINTS_PER_BATCH
        f["heatmap_points_found"] = total - before
        f["lost_points"] = max(0, expected - total)
        # Requests wrk abandoned in flight at the end may have been applied without an answer.
        f["unanswered_applied_points"] = max(0, total - expected)
        visits, points = visit_query(tag)
        f["visits"] = visits
        f["visit_rows_points"] = points
        f["visit_rows_lost_points"] = max(0, f["accepted"] * POINTS_PER_BATCH - points)
        self.check(f["errors"] == 0, f"{name}: {f['errors']} errors ({f.get('rejected_sample')})")
        self.check(f["lost_points"] == 0, f"{name}: {f['lost_points']} acknowledged points missing from the heatmap")
        self.check(f["visit_rows_lost_points"] == 0, f"{name}: {f['visit_rows_lost_points']} acknowledged points missing from visits")
        self.check(total - before <= f["batches"] * POINTS_PER_BATCH,
                   f"{name}: heatmap grew by {total - before}, more than the {f['batches']} batches sent carry")
        self.check(points <= f["batches"] * POINTS_PER_BATCH,
                   f"{name}: visits hold {points} points, more than the {f['batches']} batches sent carry")
        log(f"  verified: {f['accepted']} batches acknowledged, heatmap +{total - before} points "
            f"(expected {f['heatmap_points_expected']}, reached {f['heatmap_caught_up_s']:.1f} s after the "
            f"load), {visits} visits holding {points}")
        return f

    def orders(self, name: str, server: Process, services: list[str], visit_tag: str, count) -> dict:
        before = count()
        tag = self.tag("d")
        f = wrk(name, server, "orders.lua",
                [tag, self.order_doc, ",".join(services), visit_tag], 2, 32, self.scale.duration, self.r)
        stored = count() - before
        f["stored"] = stored
        f["lost_orders"] = max(0, f["accepted"] - stored)
        self.check(f["errors"] == 0, f"{name}: {f['errors']} errors ({f.get('rejected_sample')})")
        self.check(f["lost_orders"] == 0, f"{name}: {f['accepted']} orders acknowledged, {stored} stored")
        return f

    def list_runs(self, prefix: str, server: Process, token: str, total_orders: int) -> None:
        """The SPA's list query: first page, priority + search, and a deep page by cursor."""
        size = self.scale.page_size
        runs = {
            "first_page": [json.dumps({"first": size, "filter": {}})],
            "search": [json.dumps({"first": size, "filter": f}, ensure_ascii=False) for f in [
                {"priority": "URGENT", "search": "Иванов"},
                {"priority": "MEDIUM", "search": "стоматология"},
                {"priority": "LOW", "search": "мария"},
                {"priority": "MEDIUM", "search": "yandex"},
            ]],
        }
        page = max(2, min(self.scale.list_page, total_orders // size))
        cursor = None
        walk = "query Walk($after: String) { leads(first: %d, after: $after) { pageInfo { endCursor } } }" % size
        for _ in range(page - 1):
            cursor = graphql(server.port, walk, {"after": cursor}, token)["leads"]["pageInfo"]["endCursor"]
        runs[f"page_{page}"] = [json.dumps({"first": size, "after": cursor, "filter": {}})]
        self.r[f"{prefix}_deep_page"] = page
        for run_name, variables in runs.items():
            f = wrk(f"{prefix}_{run_name}", server, "query.lua", [token, "Leads", self.list_doc, *variables],
                    2, 8, self.scale.short, self.r)
            self.check(f["errors"] == 0, f"{prefix}_{run_name}: {f['errors']} errors ({f.get('rejected_sample')})")
            key = {"first_page": "first_page", "search": "search"}.get(run_name, "deep_page")
            self.r[f"{prefix}_{key}_p50_ms"] = f["p50_ms"]
            self.r[f"{prefix}_{key}_p99_ms"] = f["p99_ms"]

    def postgres_live(self) -> None:
        """Fresh database: start-up, ingestion at 32 and 128 connections, contention, orders."""
        db = self.pg.create(f"{self.prefix}_live")
        url = self.pg.url(db)
        server, startup = self.start_server("server-pg", url)
        self.r["startup_ms"] = startup
        log(f"server healthy after {startup:.0f} ms (fresh database, migrations applied)")
        try:
            time.sleep(1)  # idle: after start-up work, before any request
            self.r["rss_mb_idle"] = server.rss_mb()
            token = self.sign_in(server, url)
            services = self.create_services(server, token)
            f = wrk("graphql_typename", server, "query.lua",
                    ["-", "-", "{__typename}"], 2, 32, max(1, self.scale.short // 2), self.r)
            self.r["typename_rps"] = f["rps"]

            def query(sql: str) -> int:
                return self.pg.scalar(db, sql)

            def visit_query(tag: str) -> tuple[int, int]:
                row = self.pg.psql(db, f"SELECT count(*), COALESCE(sum(points), 0) FROM visits "
                                       f"WHERE id BETWEEN '{tag}-0000-0000-0000-000000000000' "
                                       f"AND '{tag}-ffff-ffff-ffff-ffffffffffff'")
                visits, points = row.split("|")
                return int(visits), int(points)

            rss: list[float] = []
            def heatmap_total() -> int:
                return query(PG_HEATMAP_POINTS)

            i32 = self.ingest("ingest_32", server, 32, heatmap_total, visit_query, rss)
            i128 = self.ingest("ingest_128", server, 128, heatmap_total, visit_query, rss)
            self.r |= {
                "ingest_rps": i32["rps"], "ingest_p50_ms": i32["p50_ms"], "ingest_p90_ms": i32["p90_ms"],
                "ingest_p99_ms": i32["p99_ms"], "ingest_errors": i32["errors"],
                "ingest_lost_points": i32["lost_points"] + i32["visit_rows_lost_points"],
                "ingest128_rps": i128["rps"], "ingest128_p50_ms": i128["p50_ms"],
                "ingest128_p90_ms": i128["p90_ms"], "ingest128_p99_ms": i128["p99_ms"],
                "ingest128_errors": i128["errors"],
                "ingest128_lost_points": i128["lost_points"] + i128["visit_rows_lost_points"],
                "rss_mb_under_load": max(rss),
            } | cpu_figures("ingest", i32) | cpu_figures("ingest128", i128)
            self.contention(server, db, heatmap_total)
            o = self.orders("orders_32", server, services, i32["tag"],
                            lambda: query("SELECT count(*) FROM applications"))
            self.r |= {"orders_rps": o["rps"], "orders_p50_ms": o["p50_ms"], "orders_p99_ms": o["p99_ms"],
                       "orders_errors": o["errors"], "orders_lost": o["lost_orders"]}
            self.r |= cpu_figures("orders", o)
        finally:
            server.stop()

    def contention(self, server: Process, db: str, heatmap_total) -> None:
        visits, batches, passes = self.scale.contention
        before = self.settled_total(heatmap_total)
        tag = self.tag("c")
        f = wrk("contention", server, "contention.lua",
                [tag, str(visits), str(batches), str(passes), "/", self.tracker_doc],
                1, batches, 120, self.r)
        self.check(f["answered"] >= visits * batches * passes,
                   f"contention: only {f['answered']} of {visits * batches * passes} requests answered within the run")
        expected = before + visits * batches * POINTS_PER_BATCH
        total = self.reach(heatmap_total, expected)
        rows = self.pg.psql(db, f"""
            SELECT count(*) FILTER (WHERE engaged_seconds = {batches} AND points = {batches * POINTS_PER_BATCH}
                                    AND last_seq = {batches}
                                    AND (clicks->>'submit')::int = {batches}),
                   count(*)
            FROM visits WHERE id BETWEEN '{tag}-0000-0000-0000-000000000000'
                              AND '{tag}-ffff-ffff-ffff-ffffffffffff'""")
        exact, found = (int(x) for x in rows.split("|"))
        f |= {"visits": visits, "batches_per_visit": batches, "passes": passes,
              "visits_applied_exactly_once": exact, "visits_found": found,
              "heatmap_points_expected": visits * batches * POINTS_PER_BATCH,
              "heatmap_points_found": total - before}
        self.r |= {"contention_errors": f["errors"], "contention_rps": f["rps"],
                   "contention_p99_ms": f["p99_ms"],
                   "contention_misapplied_visits": visits - exact,
                   "contention_heatmap_diff": (total - before) - visits * batches * POINTS_PER_BATCH}
        log(f"  verified: {exact}/{visits} visits hold every batch exactly once; heatmap "
            f"+{total - before} (expected {visits * batches * POINTS_PER_BATCH})")
        self.check(f["errors"] == 0, f"contention: {f['errors']} errors ({f.get('rejected_sample')})")
        self.check(exact == visits, f"contention: {visits - exact} of {visits} visits not applied exactly once")
        self.check(total - before == visits * batches * POINTS_PER_BATCH,
                   f"contention: heatmap +{total - before}, expected {visits * batches * POINTS_PER_BATCH}")

    def postgres_data(self) -> None:
        """1M orders for the list, 1M visits / 10M points for statistics."""
        db = self.pg.create(f"{self.prefix}_data")
        url = self.pg.url(db)
        env = self.server_env(url, free_port())
        run([str(self.server_bin), "migrate"], 300, env=env, cwd=self.work)
        started = time.monotonic()
        self.pg.psql_file(db, SEED / "services.sql", {})
        self.pg.psql_file(db, SEED / "orders_pg.sql", {"n": str(self.scale.pg_orders)})
        self.r["seed_orders_s"] = time.monotonic() - started
        # Then at once, each in its own session: the trigram (GIN) index, the other indexes of
        # `applications`, and the statistics data.
        defs = [d for d in self.pg.psql(db, "SELECT indexdef FROM bench_indexes").splitlines() if d]
        gin = [d for d in defs if " USING gin " in d]
        groups = [gin, [d for d in defs if d not in gin]]
        started = time.monotonic()
        jobs = [self.pg.start(db, sql="SET maintenance_work_mem = '1GB';\n" + ";\n".join(g) + ";")
                for g in groups if g]
        days, cols, rows = self.scale.heat
        visits_job = self.pg.start(db, path=SEED / "visits_pg.sql", variables={
            "visits": str(self.scale.stats_visits), "days": str(days), "cols": str(cols), "rows": str(rows)})
        ends = self.pg.finish_all([visits_job, *jobs], started)
        self.r["seed_visits_s"] = ends[0]
        self.r["seed_indexes_s"] = max(ends[1:], default=0.0)
        self.pg.psql(db, "DROP TABLE bench_indexes; ANALYZE applications")
        orders = self.pg.scalar(db, "SELECT count(*) FROM applications")
        points = self.pg.scalar(db, PG_HEATMAP_ROW_POINTS)
        visits = self.pg.scalar(db, "SELECT count(*) FROM visits")
        self.r |= {"seed_orders": orders, "seed_visits": visits, "seed_points": points}
        log(f"seeded {orders:,} orders in {self.r['seed_orders_s']:.1f} s, their indexes rebuilt in "
            f"{self.r['seed_indexes_s']:.1f} s; {visits:,} visits / {points:,} points in "
            f"{self.r['seed_visits_s']:.1f} s (beside the index builds)")
        self.check(orders == self.scale.pg_orders, f"seed: {orders} orders, wanted {self.scale.pg_orders}")
        server, _ = self.start_server("server-pg-data", url)
        try:
            token = self.sign_in(server, url)
            # The snapshot of the finished days is built by the server at start (once the day
            # has settled), then once a day: a few seconds of work over the 10 M seeded points.
            # Everything is measured once it is there, the list too, which would otherwise share
            # the cores with a job a running server does once a day.
            started = time.monotonic()
            for _ in range(240):
                anchor = self.pg.psql(db, "SELECT anchor_day FROM heatmap_snapshot_state")
                if anchor and not anchor.startswith("building"):
                    break
                time.sleep(0.5)
            else:
                self.notes.append("heatmap snapshot not built before the list and statistics runs (just after midnight UTC?)")
            self.r["snapshot_wait_s"] = time.monotonic() - started
            self.list_runs("list", server, token, orders)
            s = wrk("stats", server, "query.lua", [token, "MetricStats", self.stats_doc, '{"days":30}'],
                    2, 8, self.scale.short, self.r)
            h = wrk("stats_heatmap", server, "query.lua",
                    [token, "Heatmap", self.heatmap_doc, '{"days":30,"viewport":"DESKTOP"}'],
                    2, 8, self.scale.short, self.r)
            for name, f in (("stats", s), ("stats_heatmap", h)):
                self.check(f["errors"] == 0, f"{name}: {f['errors']} errors ({f.get('rejected_sample')})")
            self.r |= {"stats_metric_p50_ms": s["p50_ms"], "stats_metric_p99_ms": s["p99_ms"],
                       "stats_heatmap_p50_ms": h["p50_ms"], "stats_heatmap_p99_ms": h["p99_ms"],
                       "stats_p50_ms": max(s["p50_ms"], h["p50_ms"]),
                       "stats_p99_ms": max(s["p99_ms"], h["p99_ms"])}
        finally:
            server.stop()

    def sqlite(self) -> None:
        path = self.work / "bench.db"
        url = f"sqlite://{path}?mode=rwc"
        server, startup = self.start_server("server-sqlite", url)
        self.r["sqlite_startup_ms"] = startup

        def query(sql: str) -> int:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
                return int(conn.execute(sql).fetchone()[0] or 0)

        def visit_query(tag: str) -> tuple[int, int]:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
                kind = conn.execute("SELECT typeof(id) FROM visits LIMIT 1").fetchone()
                if kind and kind[0] == "blob":
                    where = f"hex(id) LIKE '{tag.upper()}%'"
                else:
                    where = f"id LIKE '{tag}-%'"
                row = conn.execute(f"SELECT count(*), COALESCE(sum(points), 0) FROM visits WHERE {where}").fetchone()
                return int(row[0]), int(row[1])

        try:
            token = self.sign_in(server, url)
            services = self.create_services(server, token)
            f = self.ingest("sqlite_ingest_32", server, 32, lambda: query(HEATMAP_CELL_POINTS),
                            visit_query)
            self.r |= {"sqlite_ingest_rps": f["rps"], "sqlite_ingest_p99_ms": f["p99_ms"],
                       "sqlite_ingest_errors": f["errors"],
                       "sqlite_ingest_lost_points": f["lost_points"] + f["visit_rows_lost_points"]}
            o = self.orders("sqlite_orders_32", server, services, f["tag"],
                            lambda: query("SELECT count(*) FROM applications"))
            self.r |= {"sqlite_orders_rps": o["rps"], "sqlite_orders_p99_ms": o["p99_ms"],
                       "sqlite_orders_errors": o["errors"], "sqlite_orders_lost": o["lost_orders"]}
        finally:
            server.stop()
        # The list at scale: the orders just sent (real rows, as the server wrote them) copied
        # with new ids and a spread of statuses, up to the wanted count.
        started = time.monotonic()
        orders = seed_sqlite_orders(path, self.scale.sqlite_orders)
        self.r |= {"sqlite_seed_orders": orders, "sqlite_seed_s": time.monotonic() - started}
        log(f"SQLite: {orders:,} orders after seeding ({time.monotonic() - started:.1f} s)")
        server, _ = self.start_server("server-sqlite-list", url)
        try:
            token = self.sign_in(server, url)
            self.list_runs("sqlite_list", server, token, orders)
        finally:
            server.stop()

    def resources(self) -> None:
        self.r["binary_mb"] = self.binary_mb
        self.r["binary_profile"] = self.profile
        for key, dist in (("public_js_gz_kb", ROOT / "public-site/dist"), ("spa_initial_js_gz_kb", ROOT / "admin-spa/dist")):
            index = dist / "index.html"
            if not index.exists():
                self.notes.append(f"{dist.relative_to(ROOT)} not built: {key} not measured")
                continue
            html = index.read_text()
            # The JS the page loads before anything else: its module scripts and preloads.
            refs = re.findall(r'<script[^>]+type="module"[^>]+src="([^"]+)"', html)
            refs += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"', html)
            size = 0
            for ref in dict.fromkeys(refs):
                rel = re.sub(r"^(/admin)?/", "", ref)
                file = dist / rel
                if file.exists():
                    size += len(gzip.compress(file.read_bytes(), compresslevel=6))
                else:
                    self.notes.append(f"{key}: {ref} not found in {dist.relative_to(ROOT)}")
            self.r[key] = size / 1024

    def machine(self) -> None:
        def first(cmd: list[str]) -> str:
            try:
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
                return (out.stdout or out.stderr).strip().splitlines()[0]
            except (OSError, IndexError, subprocess.SubprocessError):
                return "unknown"

        cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                    if l.startswith("model name")), platform.processor())
        mem_kb = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                          if l.startswith("MemTotal")))
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        self.r["machine"] = {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem_kb / 1048576, 1),
                             "kernel": platform.release()}
        self.r["versions"] = {
            "rustc": first(["rustc", "--version"]),
            "postgresql": self.pg.psql("postgres", "SHOW server_version"),
            "wrk": " ".join(first(["wrk", "-v"]).split()[:2]),
            "git_commit": first(["git", "-C", str(ROOT), "rev-parse", "HEAD"]),
            "git_worktree_dirty": bool(dirty),
            "python": platform.python_version(),
        }
        self.r["date"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.r["scale"] = self.scale.name
        self.r["profile"] = self.profile

    def main(self) -> int:
        for tool in ("wrk", "psql"):
            if shutil.which(tool) is None:
                raise SystemExit(f"{tool} is missing (apt-get install wrk postgresql-client)")
        if self.args.build:
            log("building release binaries (cargo build --release --workspace --bins)")
            subprocess.run(["cargo", "build", "--release", "--workspace", "--bins"], cwd=ROOT, check=True)
        for binary in (self.server_bin, self.baseline_bin):
            if not binary.exists():
                raise SystemExit(f"{binary} is missing: build it first")
        # Run copies under names of their own: a shared machine's clean-ups that stop processes
        # by name (`pkill -f target/release/server`) then leave the bench's alone.
        self.binary_mb = self.server_bin.stat().st_size / 1e6
        for attr, name in (("server_bin", "odb-srv"), ("baseline_bin", "odb-base")):
            copy = self.work / name
            shutil.copy2(getattr(self, attr), copy)
            setattr(self, attr, copy)
        self.machine()
        started = time.monotonic()
        phases = [("baseline", self.baseline), ("postgres_live", self.postgres_live),
                  ("postgres_data", self.postgres_data), ("sqlite", self.sqlite),
                  ("resources", self.resources)]
        if self.args.only:
            phases = [(n, p) for n, p in phases if n in self.args.only.split(",")]
        try:
            for name, phase in phases:
                try:
                    phase()
                except Exception as err:  # noqa: BLE001 - recorded, the other phases still run
                    self.check(False, f"phase {name} failed: {err}")
                    for proc in list(RUNNING):
                        log(f"{proc.name} log tail:\n{proc.tail()}")
                        proc.stop()
        finally:
            cleanup(self)
        self.r["bench_seconds"] = time.monotonic() - started
        missing = [k for k in REQUIRED_KEYS if not isinstance(self.r.get(k), (int, float))]
        self.check(not missing, f"figures missing from latest.json: {', '.join(missing)}")
        self.r["checks_failed"] = self.failures
        self.r["notes"] = self.notes
        out = Path(self.args.results_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "latest.json").write_text(json.dumps(self.r, indent=2, ensure_ascii=False) + "\n")
        (out / "latest.md").write_text(report(self.r))
        log(f"results in {out}/latest.md and latest.json ({self.r['bench_seconds']:.0f} s)")
        if self.args.smoke:
            print(report(self.r), flush=True)
        if self.failures:
            log(f"{len(self.failures)} check(s) failed:\n  " + "\n  ".join(self.failures))
            return 1 if self.args.smoke else 0
        return 0


def seed_sqlite_orders(path: Path, wanted: int) -> int:
    """Copies the orders in the SQLite file (sent through the API, so stored exactly as the
    server stores them) until there are `wanted`: new ids of the same kind (blob or text),
    statuses spread over the pipeline, no duplicate keys. Columns come from the table itself."""
    with sqlite3.connect(path, timeout=60) as conn:
        have = conn.execute("SELECT count(*) FROM applications").fetchone()[0]
        if have == 0:
            raise RuntimeError("no orders to copy: the SQLite orders run stored none")
        if have >= wanted:
            return have
        columns = [row[1] for row in conn.execute("PRAGMA table_info(applications)")]
        uuid_text = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) "
                     "|| '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")
        special = {
            "id": f"CASE typeof(s.id) WHEN 'blob' THEN randomblob(16) ELSE {uuid_text} END",
            "status": "CASE abs(random()) % 10 WHEN 0 THEN 'NEW' WHEN 1 THEN 'NEW' WHEN 2 THEN 'IN_PROGRESS' "
                      "WHEN 3 THEN 'IN_PROGRESS' WHEN 4 THEN 'LOST' WHEN 5 THEN 'LOST' WHEN 6 THEN 'LOST' ELSE 'WON' END",
            "first_response_at": "s.created_at",
            "fingerprint": "NULL", "dedup_key": "NULL", "dedup_key_alt": "NULL", "visit_id": "NULL",
        }
        exprs = ", ".join(special.get(c, f"s.{c}") for c in columns)
        conn.execute("CREATE TEMP TABLE bench_src AS SELECT *, row_number() OVER () - 1 AS bench_rn FROM applications")
        conn.execute(
            f"WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?) "
            f"INSERT INTO applications ({', '.join(columns)}) SELECT {exprs} "
            f"FROM k JOIN bench_src s ON s.bench_rn = k.i % ?",
            (wanted - have, have),
        )
        # A NEW lead has not been answered yet.
        conn.execute("UPDATE applications SET first_response_at = NULL WHERE status = 'NEW'")
        conn.commit()
        return conn.execute("SELECT count(*) FROM applications").fetchone()[0]


def cleanup(bench: Bench) -> None:
    for proc in list(RUNNING):
        proc.stop()
    bench.pg.drop_all()
    shutil.rmtree(bench.work, ignore_errors=True)


# --- the report ----------------------------------------------------------------------------------


def cpu_figures(prefix: str, f: dict) -> dict:
    """A run's CPU figures (see `CpuUse`) under the names of its figures in latest.json."""
    keys = ["cpu_us_server", "cpu_us_postgres", "cpu_us_wrk", "cores_busy_pct"]
    return {f"{prefix}_{key}": f.get(key) for key in keys}


def report(r: dict) -> str:
    base = r.get("baseline_rps")

    def num(key: str, digits: int = 1, unit: str = "") -> str:
        v = r.get(key)
        if not isinstance(v, (int, float)):
            return "—"
        text = f"{v:,.{digits}f}" if digits else f"{v:,.0f}"
        return text + unit

    def ratio(key: str) -> str:
        v = r.get(key)
        return f"{v / base:.2f}×" if isinstance(v, (int, float)) and base else ""

    def cpu(prefix: str) -> tuple[str, str, str, str]:
        return ("… CPU a request (µs): server / PostgreSQL / wrk; the cores busy",
                f"{num(prefix + '_cpu_us_server', 0)} / {num(prefix + '_cpu_us_postgres', 0)} / "
                f"{num(prefix + '_cpu_us_wrk', 0)}; {num(prefix + '_cores_busy_pct', 0, ' %')}", "—", "")

    rows = [
        ("Baseline: bare axum handler, one single-row INSERT, 10-connection pool (req/s)",
         f"{num('baseline_rps', 0)} (p50 {num('baseline_p50_ms')} ms, p99 {num('baseline_p99_ms')} ms)", "—", "1.00×"),
        cpu("baseline"),
        ("`{__typename}`: GraphQL alone, no database (req/s)", num("typename_rps", 0), "—", ratio("typename_rps")),
        ("Ingestion `submitMetrics`, 32 connections (req/s)", num("ingest_rps", 0), "≥ 1.5 × baseline", ratio("ingest_rps")),
        ("… p50 / p90 / p99 (ms)", f"{num('ingest_p50_ms')} / {num('ingest_p90_ms')} / {num('ingest_p99_ms')}", "p99 ≤ 20", ""),
        ("… errors / lost points", f"{num('ingest_errors', 0)} / {num('ingest_lost_points', 0)}", "0 / 0", ""),
        cpu("ingest"),
        ("Ingestion, 128 connections (req/s)", num("ingest128_rps", 0), "—", ratio("ingest128_rps")),
        ("… p50 / p90 / p99 (ms)", f"{num('ingest128_p50_ms')} / {num('ingest128_p90_ms')} / {num('ingest128_p99_ms')}", "—", ""),
        ("… errors / lost points", f"{num('ingest128_errors', 0)} / {num('ingest128_lost_points', 0)}", "0 / 0", ""),
        cpu("ingest128"),
        ("Contention: 16 batches of one visit at once, sent twice (errors)", num("contention_errors", 0), "0", ""),
        ("… visits not applied exactly once / heatmap difference", f"{num('contention_misapplied_visits', 0)} / {num('contention_heatmap_diff', 0)}", "0 / 0", ""),
        ("Orders `submitApplication`, 32 connections (req/s)", num("orders_rps", 0), "≥ 1.0 × baseline", ratio("orders_rps")),
        ("… p50 / p99 (ms); errors / lost", f"{num('orders_p50_ms')} / {num('orders_p99_ms')}; {num('orders_errors', 0)} / {num('orders_lost', 0)}", "p99 ≤ 30; 0 / 0", ""),
        cpu("orders"),
        (f"Ranked list, {num('seed_orders', 0)} orders, first page with total: p50 / p99 (ms)", f"{num('list_first_page_p50_ms')} / {num('list_first_page_p99_ms')}", "p99 ≤ 10", ""),
        ("… priority + search, with total: p50 / p99 (ms)", f"{num('list_search_p50_ms')} / {num('list_search_p99_ms')}", "p99 ≤ 30", ""),
        (f"… page {num('list_deep_page', 0)} by cursor, with total: p50 / p99 (ms)", f"{num('list_deep_page_p50_ms')} / {num('list_deep_page_p99_ms')}", "—", ""),
        (f"Statistics, {num('seed_visits', 0)} visits / {num('seed_points', 0)} points: metricStats p50 / p99 (ms)", f"{num('stats_metric_p50_ms')} / {num('stats_metric_p99_ms')}", "p99 ≤ 100", ""),
        ("… heatmap (30 days, desktop): p50 / p99 (ms)", f"{num('stats_heatmap_p50_ms')} / {num('stats_heatmap_p99_ms')}", "p99 ≤ 100", ""),
        ("RSS idle / under ingestion load (MB)", f"{num('rss_mb_idle')} / {num('rss_mb_under_load')}", "≤ 64 under load", ""),
        ("Start-up to healthy, fresh database, migrations applied (ms)", num("startup_ms", 0), "≤ 1,000", ""),
        (f"Server binary ({r.get('binary_profile', '?')}, MB)", num("binary_mb"), "—", ""),
        ("Public page JS / admin SPA initial JS, gzipped (KB)", f"{num('public_js_gz_kb')} / {num('spa_initial_js_gz_kb')}", "—", ""),
        ("SQLite ingestion, 32 connections (req/s)", num("sqlite_ingest_rps", 0), "≥ 0.5 × PostgreSQL baseline", ratio("sqlite_ingest_rps")),
        ("… p99 (ms); errors / lost points", f"{num('sqlite_ingest_p99_ms')}; {num('sqlite_ingest_errors', 0)} / {num('sqlite_ingest_lost_points', 0)}", "0 / 0", ""),
        ("SQLite orders, 32 connections (req/s)", num("sqlite_orders_rps", 0), "—", ratio("sqlite_orders_rps")),
        ("… p99 (ms); errors / lost", f"{num('sqlite_orders_p99_ms')}; {num('sqlite_orders_errors', 0)} / {num('sqlite_orders_lost', 0)}", "0 / 0", ""),
        (f"SQLite list, {num('sqlite_seed_orders', 0)} orders: first page / search / page {num('sqlite_list_deep_page', 0)} p99 (ms)",
         f"{num('sqlite_list_first_page_p99_ms')} / {num('sqlite_list_search_p99_ms')} / {num('sqlite_list_deep_page_p99_ms')}", "—", ""),
    ]
    m, v = r.get("machine", {}), r.get("versions", {})
    lines = [
        f"# `make bench` — {r.get('date', '?')} ({r.get('scale')} scale, {r.get('profile')} build)",
        "",
        f"Machine: {m.get('nproc')} cores ({m.get('cpu')}), {m.get('memory_gib')} GiB; load generator, "
        f"PostgreSQL and server on the same cores. {v.get('rustc')}; PostgreSQL {v.get('postgresql')}; "
        f"{v.get('wrk')}; commit {str(v.get('git_commit'))[:12]}{' (uncommitted changes)' if v.get('git_worktree_dirty') else ''}.",
        "",
        "| figure | value | target | vs baseline |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += ["", "Load average (1 min) before each run: " + ", ".join(
        f"{name} {run['loadavg_before'][0]:.2f}" for name, run in r.get("runs", {}).items()) + "."]
    if r.get("checks_failed"):
        lines += ["", "Checks that failed:", ""] + [f"* {c}" for c in r["checks_failed"]]
    if r.get("notes"):
        lines += ["", "Notes:", ""] + [f"* {n}" for n in r["notes"]]
    lines += ["", f"Seeding (PostgreSQL): {num('seed_orders', 0)} orders in {num('seed_orders_s')} s, their "
              f"indexes rebuilt in {num('seed_indexes_s')} s; beside the index builds, {num('seed_visits', 0)} "
              f"visits and {num('seed_points', 0)} points in {num('seed_visits_s')} s. "
              f"Whole run {num('bench_seconds', 0)} s. Figures of every run: latest.json (`runs`).", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, debug binaries, fail on any broken check")
    parser.add_argument("--results-dir", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--build", action=argparse.BooleanOptionalAction, default=None,
                        help="build release binaries first (default: yes unless --smoke)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--only", help="comma-separated phases (baseline, postgres_live, postgres_data, "
                        "sqlite, resources) for working on the harness; figures of the others are missing")
    args = parser.parse_args()
    if args.build is None:
        args.build = not args.smoke
    bench = Bench(args)
    atexit.register(cleanup, bench)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return bench.main()


if __name__ == "__main__":
    sys.exit(main())
