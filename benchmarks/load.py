"""Load benchmark (issues #14 and #22): many people open the dashboard at once.

    .venv/bin/python benchmarks/load.py                      # 1, 5, 10, 20 users; 20 through 2 processes
    .venv/bin/python benchmarks/load.py --users 1,5 --reruns 2 --scenarios overview
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8080 --users 3   # a server already running

Each simulated user speaks Streamlit's own websocket protocol (no browser): it fetches
the page's HTML like a browser (keeping the cookies it is given), opens
``/_stcore/stream``, asks for the first run with ``BackMsg.rerun_script`` (the page and
the link's query string), and then, after 0.2-1 s of thought, changes a widget the way
the browser would (the widget's new value in ``ClientState.widget_states``) and asks
for a rerun, a few times. Like a browser, it gets a map page's first view in two runs
(ui/map_first.py): the page up to the map, then the rest when the map reports itself
drawn (the simulated map reports at once); the first view's time, bytes and CPU count
both runs. A run is timed from the request to the ``script_finished``
that ends it; a first view from the HTML request. Exceptions shown on the page, pages
not found and runs that did not finish in time count as errors. (A filter change is a
widget change, as in the browser, not a new query string: the dashboard reads the link
on a session's first run only and then writes the widgets' state into the URL.) Like the
browser, a user tells the server which large elements it has cached, and gets those as
references.

Scenarios: ``overview`` (a filter link such as ``?lan=25``, then sidebar filter
changes), ``network`` (one network's page, then sidebar filter changes) and
``service`` (distance to service with the shops of ../shared/data, then threshold and
network changes). A bare Streamlit app (a title and a line of text) runs under the
same load in the same run; the ratios compare the dashboard with it.

Each dashboard process first shows each scenario's page to one user (the first view on
a cold server, printed), then runs to its end the start-up warm-up that `kommunkarta
run` starts beside a deployed server (ui/warmup.py): every map page and, with shops
stored, the service page's preset questions (Sweden and every network at each preset
threshold, which are the questions the service scenario's users ask). With
--no-startup-warm-up it is left out: each question's first time is then among the
measured reruns.

Unless --url is given the servers are started here, on loopback ports, with
KOMMUNKARTA_HOME in a temporary folder, and stopped at the end (process groups, also
on Ctrl-C). With --two-process-users N (default 20) the dashboard also runs as two
processes behind nginx (deploy/nginx/kommunkarta.conf, Debian's nginx), sharing one
database; skipped with a note when nginx is absent. Throughput, one process against
two: the same number of users asking again as soon as a run ends (no thinking), in
script runs per second, counted in a steady state (the runs ending between 3 and 15 s
after the start). At 20 users the issue-22 targets are printed with the figures.
Each row gives the server's CPU time per script run (from /proc) and this benchmark's
own (the simulated users share the machine's cores with the servers, which real
visitors' browsers do not). --dashboard-arg passes Streamlit options to the dashboard processes (and the bare app),
for experiments such as --dashboard-arg=--runner.postScriptGC=false. Results:
artifacts/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the websocket client lives in tests/support

from tests.support.streamlit_client import FINISHED, RUN_TIMEOUT_S, RunFailed, RunResult, Session, Widget  # noqa: E402, F401

ARTIFACTS = ROOT / "artifacts"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "kommunkarta.conf"
SYSTEMD_UNIT = ROOT / "deploy" / "systemd" / "kommunkarta@.service"
NGINX = Path("/usr/sbin/nginx")
SHARED_DATA_CANDIDATES = (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")
BARE_APP = 'import streamlit as st\n\nst.title("Hej")\nst.write("En rad text.")\n'

# Bounds: a run of this benchmark never opens more sessions or waits longer than this.
MAX_USERS = 200
MAX_RERUNS = 50


# -- scenarios -------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    page: str  # the URL path; "" is the start page
    query_strings: list[str]  # links users open; each user takes one
    widget_keys: list[str]  # widgets a rerun changes


def dashboard_scenarios(names: list[str]) -> list[Scenario]:
    """Links built from the embedded data: filter values the dashboard knows."""
    from kommunkarta import paths
    from kommunkarta.loader import load_dataset
    from kommunkarta.ui.page_registry import network_url_path

    try:
        from kommunkarta import selection as query
    except ImportError:  # before the redesign of issue 11
        from kommunkarta import query

    vocabulary = query.vocabulary(load_dataset(paths.default_data_dir()))
    lan, networks = sorted(vocabulary.lan), sorted(vocabulary.networks)
    links = [
        "",
        f"lan={lan[-1]}",
        f"networks={networks[0]}",
        f"lan={lan[0]},{lan[1]}",
        f"networks={networks[1]},{networks[2]}",
    ]
    network = "serviceutveckling_2022" if "serviceutveckling_2022" in networks else networks[0]
    known = {
        "overview": Scenario("overview", "", links, ["f_lan", "f_networks_sv"]),
        "network": Scenario("network", network_url_path(network), [""], ["f_lan", "f_networks_sv"]),
        "service": Scenario("service", "service", [""], ["sa_threshold_choice", "sa_network"]),
    }
    unknown = set(names) - set(known)
    if unknown:
        raise SystemExit(f"unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(known)}")
    return [known[name] for name in names]


BARE_SCENARIO = Scenario("bare", "", [""], [])


@dataclass
class Figures:
    first_view: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    first_view_phases: list[dict[str, float]] = field(default_factory=list)
    first_view_bytes: list[int] = field(default_factory=list)
    first_view_runs: list[int] = field(default_factory=list)  # two for a map page's first view in a browser
    rerun_bytes: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    started: float = 0.0  # time.perf_counter() at the start of the load
    run_ends: list[float] = field(default_factory=list)  # time.perf_counter() at the end of every run
    load_average: float = 0.0  # the machine's 1-minute load average at the end: other work skews the figures
    # The server's CPU time per script run (ms): what a run costs, whatever else the
    # machine is doing (the wall-clock figures above grow with the machine's load).
    server_cpu_ms_per_run: float | None = None
    # This benchmark's own CPU time per script run (ms): the simulated users share the
    # machine's cores with the servers they measure, which real visitors' browsers do not.
    client_cpu_ms_per_run: float | None = None


async def simulate_user(
    base_url: str,
    scenario: Scenario,
    user: int,
    reruns: int,
    seed: int,
    ramp: float,
    figures: Figures,
    think: tuple[float, float],
    until: float | None = None,
) -> None:
    """One user: the first view, then ``reruns`` changes and reruns, or, with ``until``
    (a time.perf_counter() value), reruns until that moment."""
    rng = random.Random(f"{seed}:{scenario.name}:{user}")
    await asyncio.sleep(rng.uniform(0, ramp))  # people click the shared link within a second or so
    session = Session(base_url, scenario.page, scenario.query_strings[user % len(scenario.query_strings)])
    try:
        first = await session.open()
        figures.first_view.append(first.seconds)
        figures.first_view_bytes.append(first.received_bytes)
        figures.first_view_phases.append(first.phases)
        figures.first_view_runs.append(first.runs)
        if not first.errors:  # a first view's runs (two on a map page) end together, near enough
            figures.run_ends += [time.perf_counter()] * first.runs
        figures.errors += first.errors
        if first.errors:
            return
        done = 0
        while (done < reruns) if until is None else (time.perf_counter() < until):
            done += 1
            await asyncio.sleep(rng.uniform(*think))
            changes = session.change(rng.choice(scenario.widget_keys), rng) if scenario.widget_keys else {}
            result = await session.rerun(changes=changes)
            figures.reruns.append(result.seconds)
            if not result.errors:
                figures.run_ends.append(time.perf_counter())
            figures.rerun_bytes.append(result.received_bytes)
            figures.errors += result.errors
            if result.errors:
                return
    except Exception as err:  # a refused connection, a missing widget: counted, not fatal
        figures.errors.append(f"user {user}: {type(err).__name__}: {err}")
    finally:
        await session.close()


async def run_load(
    base_url: str,
    scenario: Scenario,
    users: int,
    reruns: int,
    seed: int = 1,
    ramp: float = 1.0,
    think: tuple[float, float] = (0.2, 1.0),
    duration: float | None = None,
) -> Figures:
    """``users`` users at once, each with ``reruns`` reruns, or, with ``duration``
    (seconds), rerunning until that much time has passed since the start."""
    if not 1 <= users <= MAX_USERS or not 0 <= reruns <= MAX_RERUNS:
        raise ValueError(f"users must be 1..{MAX_USERS} and reruns 0..{MAX_RERUNS}")
    figures = Figures()
    # A thread per user for the HTML requests: the default pool (cores + 4) would queue
    # them on the client's side and count that as the server's time.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=users))
    start = figures.started = time.perf_counter()
    until = None if duration is None else start + duration
    await asyncio.gather(
        *(simulate_user(base_url, scenario, u, reruns, seed, ramp, figures, think, until) for u in range(users))
    )
    figures.wall_s = time.perf_counter() - start
    figures.load_average = os.getloadavg()[0]
    return figures


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3),
    }


# -- servers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(
    base_url: str, process: subprocess.Popen | None, timeout: float = 90.0, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server for {base_url} exited with {process.returncode}:\n{tail}")
        time.sleep(0.1)
    raise RuntimeError(f"{base_url} did not become healthy within {timeout:g} s")


def kommunkarta_command() -> list[str]:
    script = Path(sys.executable).parent / "kommunkarta"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kommunkarta.cli"]


class Servers:
    """Processes started here; all stopped (their whole process groups) on close."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: list[subprocess.Popen] = []
        self.dashboard_args: list[str] = []  # appended to kommunkarta run
        self.pids: dict[str, list[int]] = {}  # base URL -> the server's processes (for their CPU time)

    def start(self, name: str, command: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def dashboard(self, name: str, port: int, env: dict[str, str]) -> str:
        return self.dashboards([(name, port, env)])[0]

    def dashboards(self, specs: list[tuple[str, int, dict[str, str]]], command=None) -> list[str]:
        """Start dashboard processes (name, port, environment) together; their URLs once
        healthy. ``command(port)`` gives the command line (default: kommunkarta run)."""
        started = []
        for name, port, env in specs:
            line = command(port) if command else [*kommunkarta_command(), "run", "--server.port", str(port)]
            if not command:
                line += ["--server.address", "127.0.0.1", "--server.headless", "true", *self.dashboard_args]
            # In a folder of its own: no .streamlit/secrets.toml of the developer's (with a
            # database URL) is read from the working directory.
            cwd = self.workdir / name
            cwd.mkdir(exist_ok=True)
            started.append((f"http://127.0.0.1:{port}", self.start(name, line, env, cwd=cwd), name))
        for base_url, process, name in started:
            wait_healthy(base_url, process, log=self.workdir / f"{name}.log")
            self.pids[base_url] = [process.pid]  # kommunkarta run execs Streamlit: the same process
        return [base_url for base_url, _, _ in started]

    def bare(self, port: int) -> str:
        # A folder of its own: Streamlit watches the main script's folder, and the
        # dashboards' homes (a database being written) must not be in it.
        app = self.workdir / "bare" / "bare_app.py"
        app.parent.mkdir(exist_ok=True)
        app.write_text(BARE_APP, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
            *self.dashboard_args,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        process = self.start("bare", command, dict(os.environ), cwd=app.parent)
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, process, log=self.workdir / "bare.log")
        self.pids[base_url] = [process.pid]
        return base_url

    def nginx(self, upstream_ports: list[int], port: int) -> str:
        prefix = self.workdir / "nginx"
        conf = write_nginx_config(prefix, upstream_ports, port)
        process = self.start(
            "nginx",
            [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs" / "error.log")],
            dict(os.environ),
        )
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url, process, timeout=30, log=prefix / "logs" / "error.log")
        return base_url

    def cpu_seconds(self, base_url: str | None) -> float | None:
        """CPU time (user + system, all threads) the server at ``base_url`` has used (both
        dashboards behind nginx); None for a server not started here."""
        pids = self.pids.get(base_url or "")
        if not pids:
            return None
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        return total / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        for process in reversed(self.processes):
            stop_group(process)
        self.processes.clear()
        self.pids.clear()


def stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def unit_command(port: int) -> list[str]:
    """The ExecStart of deploy/'s systemd unit for the instance ``port``, with this
    environment's kommunkarta program."""
    lines = [line for line in SYSTEMD_UNIT.read_text(encoding="utf-8").splitlines() if line.startswith("ExecStart=")]
    if len(lines) != 1:
        raise ValueError(f"{SYSTEMD_UNIT}: expected one ExecStart line, found {len(lines)}")
    program, *arguments = lines[0].removeprefix("ExecStart=").replace("%i", str(port)).split()
    if Path(program).name != "kommunkarta":
        raise ValueError(f"{SYSTEMD_UNIT}: ExecStart runs {program}, not kommunkarta")
    return kommunkarta_command() + arguments


def render_nginx_site(template: str, upstream_ports: list[int], port: int, log_dir: Path) -> str:
    """deploy/'s site configuration with these upstream ports, listening on loopback
    ``port`` only, logging to ``log_dir``."""
    upstream = re.search(r"upstream kommunkarta \{(.*?)\n\}", template, re.S)
    if (
        not upstream
        or not re.search(r"^\s*server \S+;", upstream.group(1), re.M)
        or not re.search(r"^\s*listen ", template, re.M)
    ):
        raise ValueError(f"{NGINX_TEMPLATE}: no 'upstream kommunkarta' block with server lines, or no listen line")
    body = re.sub(r"^\s*server \S+;\n?", "", upstream.group(1), flags=re.M).rstrip()
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstream_ports)
    site = template.replace(upstream.group(0), "upstream kommunkarta {" + body + "\n" + servers + "}")
    site = re.sub(r"^\s*listen [^;]+;\n", "", site, flags=re.M)
    site = re.sub(r"^(\s*)server_name ", rf"\1listen 127.0.0.1:{port};\n\1server_name ", site, count=1, flags=re.M)
    return site.replace("/var/log/nginx/", f"{log_dir}/")


def write_nginx_config(prefix: Path, upstream_ports: list[int], port: int) -> Path:
    """A complete configuration for an unprivileged nginx in ``prefix`` (pid, logs and
    temporary files there, in the foreground) that includes deploy/'s site."""
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    site = render_nginx_site(NGINX_TEMPLATE.read_text(encoding="utf-8"), upstream_ports, port, prefix / "logs")
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    temp = {name: prefix / "temp" / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    # As root (CI) the workers would run as "nobody" and could not write the private temp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'logs' / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    client_body_temp_path {temp['client_body']};\n    proxy_temp_path {temp['proxy']};\n"
        f"    fastcgi_temp_path {temp['fastcgi']};\n    uwsgi_temp_path {temp['uwsgi']};\n"
        f"    scgi_temp_path {temp['scgi']};\n"
        f"    include {prefix / 'site.conf'};\n"
        f"    access_log {prefix / 'logs' / 'access.log'};\n"
        "}\n",
        encoding="utf-8",
    )
    return conf


# -- the service page needs a layer of shops ------------------------------------------------


def import_shops(home: Path) -> bool:
    """The chain stores of ../shared/data as the facility layer in ``home``; False when absent."""
    stores = next(
        (
            d / "shops_fuel_se_poi" / "stores.csv"
            for d in SHARED_DATA_CANDIDATES
            if (d / "shops_fuel_se_poi" / "stores.csv").exists()
        ),
        None,
    )
    if stores is None:
        return False
    try:
        from kommunkarta.service import importers
        from kommunkarta.service import stored_layers as layers
    except ImportError:  # before the redesign of issue 11
        from kommunkarta import importers, layers
    previous = os.environ.get("KOMMUNKARTA_HOME")
    os.environ["KOMMUNKARTA_HOME"] = str(home)
    try:
        layers.save(importers.read_points(stores), "Kedjebutiker", "facilities")
    finally:
        if previous is None:
            os.environ.pop("KOMMUNKARTA_HOME")
        else:
            os.environ["KOMMUNKARTA_HOME"] = previous
    return True


def startup_warm_up(base_url: str) -> float:
    """What `kommunkarta run` starts beside a server (ui/warmup.py), run here to its end
    before anything is measured: the map pages, and the service page's preset questions
    when a layer of shops is stored. Returns its seconds."""
    from kommunkarta.ui import warmup

    start = time.perf_counter()
    if warmup.main([base_url]) != 0:
        raise RuntimeError(f"the start-up warm-up of {base_url} failed")
    return time.perf_counter() - start


def dashboard_env(home: Path, database_url: str | None = None) -> dict[str, str]:
    # No start-up warm-up client of the server's own (ui/warmup.py): it would still be
    # opening pages while the users below are measured. The same warm-up runs here, to
    # its end, after the cold first views (startup_warm_up).
    env = dict(os.environ, KOMMUNKARTA_HOME=str(home), KOMMUNKARTA_NO_WARMUP="1")
    env.pop("KOMMUNKARTA_DATA_DIR", None)
    if database_url:
        env["KOMMUNKARTA_DATABASE_URL"] = database_url
    else:
        env.pop("KOMMUNKARTA_DATABASE_URL", None)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Create and seed the database once, before several processes open it."""
    subprocess.run(
        [*kommunkarta_command(), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=300
    )


# -- the run -----------------------------------------------------------------------------------


def measure(
    base_url: str, scenario: Scenario, users: int, reruns: int, seed: int, servers: Servers | None = None
) -> Figures:
    before = servers.cpu_seconds(base_url) if servers else None
    client_before = time.process_time()
    figures = asyncio.run(run_load(base_url, scenario, users, reruns, seed))
    client_cpu = time.process_time() - client_before
    after = servers.cpu_seconds(base_url) if servers else None
    runs = sum(figures.first_view_runs) + len(figures.reruns)
    if runs:
        figures.client_cpu_ms_per_run = round(client_cpu * 1000 / runs, 1)
    if before is not None and after is not None and runs:
        figures.server_cpu_ms_per_run = round((after - before) * 1000 / runs, 1)
    return figures


# Throughput is counted in a steady state: every user asks again as soon as a run ends
# for THROUGHPUT_S seconds, and the runs that end in the last THROUGHPUT_S - SETTLE_S
# seconds are counted (not the first views' burst, not a tail in which the process with
# fewer users is idle while the other still works: nginx spreads 20 users over two
# processes by a hash, rarely 10 and 10).
THROUGHPUT_S = 15.0
SETTLE_S = 3.0


def saturated_throughput(
    base_url: str, scenario: Scenario, users: int, reruns: int, seed: int, servers: Servers | None = None
) -> tuple[float, int, str]:
    """Script runs finished per second when every user asks again as soon as a run ends
    (no thinking, no ramp), in a steady state: the server's capacity, which a second
    process should raise. ``reruns`` is not used (the users rerun for THROUGHPUT_S).
    Returns (runs per second, errors, the cores the servers and this benchmark kept
    busy: on a machine of two cores, what one process leaves to a second one)."""
    before = servers.cpu_seconds(base_url) if servers else None
    client_before = time.process_time()
    figures = asyncio.run(
        run_load(base_url, scenario, users, 0, seed, ramp=0.0, think=(0.0, 0.0), duration=THROUGHPUT_S)
    )
    client = time.process_time() - client_before
    after = servers.cpu_seconds(base_url) if servers else None
    window_start, window_end = figures.started + SETTLE_S, figures.started + THROUGHPUT_S
    counted = sum(1 for end in figures.run_ends if window_start <= end <= window_end)
    wall = figures.wall_s or float("nan")
    busy = f"servers {(after - before) / wall:.2f} cores, " if before is not None and after is not None else ""
    cores = f"{busy}this benchmark {client / wall:.2f} cores, of {os.cpu_count()}"
    return counted / (window_end - window_start), len(figures.errors), cores


# Issue 22's targets at 20 users on one process: (scenario, figure, limit).
TARGETS = [
    ("overview", "rerun p50 s", 0.25),
    ("overview", "rerun p95 s", 1.0),
    ("overview", "rerun kB", 40),
    ("overview", "first view kB", 150),
    ("service", "rerun p95 s", 1.5),
]
TARGET_USERS = 20
TARGET_SPEEDUP_TWO_PROCESSES = 1.6


def print_targets(rows: list[dict]) -> None:
    """Each figure of issue 22 against its target, with the bare app's in the same run."""
    bare = next((r for r in rows if r["label"].startswith("bare")), None)
    for scenario, figure, limit in TARGETS:
        r = next((r for r in rows if r["label"].startswith(f"{scenario},")), None)
        if r is None:
            continue
        value = {
            "rerun p50 s": r["rerun_s"].get("p50"),
            "rerun p95 s": r["rerun_s"].get("p95"),
            "rerun kB": r["rerun_kB"],
            "first view kB": r["first_view_kB"],
        }[figure]
        if value is None:
            continue
        bare_value = None
        if bare is not None and figure.startswith("rerun p"):
            bare_value = bare["rerun_s"].get(figure.split()[1])
        verdict = "OK" if value <= limit else "OVER TARGET"
        against = f"; bare Streamlit {bare_value:.2f} s, ratio {value / bare_value:.1f}" if bare_value else ""
        print(f"  target {scenario} {figure}: {value:.2f} (<= {limit}){against}  {verdict}")
    sys.stdout.flush()


def warm_up(base_url: str, scenario: Scenario) -> float:
    """One user opens the page once: the server's caches fill. Returns that first view."""
    figures = measure(base_url, scenario, 1, 0, seed=0)
    if figures.errors:
        raise RuntimeError(f"{scenario.name} on {base_url} fails: {figures.errors[:3]}")
    return figures.first_view[0]


def row(label: str, figures: Figures, bare: Figures | None) -> dict:
    first, rerun = summary(figures.first_view), summary(figures.reruns)
    out = {
        "label": label,
        "first_view_s": first,
        "rerun_s": rerun,
        "errors": len(figures.errors),
        "error_examples": figures.errors[:3],
        "wall_s": round(figures.wall_s, 2),
        "server_cpu_ms_per_run": figures.server_cpu_ms_per_run,
        "client_cpu_ms_per_run": figures.client_cpu_ms_per_run,
        "load_average_1min": round(figures.load_average, 2),
        "first_view_kB": round(statistics.median(figures.first_view_bytes) / 1024, 1)
        if figures.first_view_bytes
        else None,
        "rerun_kB": round(statistics.median(figures.rerun_bytes) / 1024, 1) if figures.rerun_bytes else None,
        # Where a first view's time goes, p50 of each part: the page's HTML, opening the
        # websocket, the first script run (request to script_finished), and on a map page
        # the run of the rest after the map's report (ui/map_first.py).
        "first_view_parts_p50_s": {
            part: round(statistics.median(p[part] for p in figures.first_view_phases), 3)
            for part in ("html_s", "connect_s", "run_s", "rest_s")
        }
        if figures.first_view_phases
        else {},
        "samples": {
            "first_view": [round(x, 4) for x in figures.first_view],
            "reruns": [round(x, 4) for x in figures.reruns],
        },
    }
    if bare is not None and bare.first_view and bare.reruns and figures.first_view and figures.reruns:
        bare_first, bare_rerun = summary(bare.first_view), summary(bare.reruns)
        out["ratio_to_bare"] = {
            "first_view_p50": round(first["p50"] / bare_first["p50"], 1),
            "first_view_p95": round(first["p95"] / bare_first["p95"], 1),
            "rerun_p50": round(rerun["p50"] / bare_rerun["p50"], 1),
            "rerun_p95": round(rerun["p95"] / bare_rerun["p95"], 1),
        }
    return out


def cpu(r: dict) -> str:
    server, client = r.get("server_cpu_ms_per_run"), r.get("client_cpu_ms_per_run")
    return (f"{server:9.1f}" if server is not None else f"{'-':>9}") + (
        f" {client:6.1f}" if client is not None else f" {'-':>6}"
    )


def print_table(rows: list[dict]) -> None:
    def fmt(s: dict) -> str:
        return f"{s['p50']:6.2f} {s['p95']:6.2f} {s['max']:6.2f}" if s.get("n") else f"{'-':>6} {'-':>6} {'-':>6}"

    print(
        f"{'':34} {'first view (s)':>20}  {'rerun (s)':>20}  {'ratio to bare p50/p95':>24}  {'kB first/rerun':>15}  err  load  CPU ms/run: server client"
    )
    print(f"{'':34} {'p50    p95    max':>20}  {'p50    p95    max':>20}  {'first':>11} {'rerun':>12}")
    for r in rows:
        ratio = r.get("ratio_to_bare")
        ratios = (
            f"{ratio['first_view_p50']:>4}/{ratio['first_view_p95']:<5} {ratio['rerun_p50']:>5}/{ratio['rerun_p95']:<6}"
            if ratio
            else " " * 24
        )
        kb = f"{r['first_view_kB'] or 0:>7.0f}/{r['rerun_kB'] or 0:<7.0f}"
        print(
            f"{r['label']:34} {fmt(r['first_view_s']):>20}  {fmt(r['rerun_s']):>20}  {ratios:>24}  {kb:>15}  {r['errors']:>3}  {r['load_average_1min']:4.1f}  {cpu(r)}"
        )
    print("first view p50 in parts (page HTML / websocket opened / first run / the rest after the map's report):")
    for r in rows:
        parts = r.get("first_view_parts_p50_s") or {}
        if parts:
            print(
                f"  {r['label']:34} {parts['html_s']:.2f} / {parts['connect_s']:.2f} / {parts['run_s']:.2f}"
                f" / {parts['rest_s']:.2f} s"
            )
    sys.stdout.flush()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users", default="1,5,10,20", help="simulated users per step, comma-separated (default 1,5,10,20)"
    )
    parser.add_argument("--reruns", type=int, default=4, help="reruns per user after the first view (default 4)")
    parser.add_argument(
        "--scenarios", default="overview,network,service", help="overview, network, service (default all)"
    )
    parser.add_argument(
        "--url", help="measure a server that is already running (e.g. through nginx); no bare app, no servers started"
    )
    parser.add_argument("--bare-url", help="with --url: a bare Streamlit app already running, for the ratios")
    parser.add_argument(
        "--two-process-users",
        type=int,
        default=20,
        help="also run this many users through two processes behind nginx (0: skip; default 20)",
    )
    parser.add_argument("--database-url", help="the shared database of the two processes (default: a SQLite file)")
    parser.add_argument(
        "--dashboard-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for the dashboard processes, repeatable, e.g. --dashboard-arg=--runner.postScriptGC=false",
    )
    parser.add_argument(
        "--no-startup-warm-up",
        dest="startup_warm_up",
        action="store_false",
        help="leave out the start-up warm-up of ui/warmup.py (each service question's first time is then measured)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=ARTIFACTS / "load.json")
    args = parser.parse_args(argv)
    args.users = [int(u) for u in args.users.split(",") if u.strip()]
    if not args.users or any(not 1 <= u <= MAX_USERS for u in args.users) or not 0 <= args.reruns <= MAX_RERUNS:
        parser.error(f"--users: 1..{MAX_USERS} each; --reruns: 0..{MAX_RERUNS}")
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # A stop signal ends the run through the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scenarios = dashboard_scenarios(args.scenarios)
    results: dict = {
        "users": args.users,
        "reruns_per_user": args.reruns,
        "think_s": [0.2, 1.0],
        "cores": os.cpu_count(),
        "rows": [],
        "notes": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="kk-load-"))
    servers = Servers(workdir)
    servers.dashboard_args = args.dashboard_arg
    results["dashboard_args"] = args.dashboard_arg
    results["startup_warm_up"] = args.startup_warm_up
    try:
        if args.url:
            dashboard, bare = args.url.rstrip("/"), args.bare_url
        else:
            home = workdir / "home"
            home.mkdir()
            if "service" in args.scenarios and not import_shops(home):
                results["notes"].append(
                    "service: ../shared/data/shops_fuel_se_poi is absent; the service page shows its no-layer notice"
                )
            print("starting the dashboard and a bare Streamlit app on loopback ...", flush=True)
            dashboard = servers.dashboard("dashboard", free_port(), dashboard_env(home))
            bare = servers.bare(free_port())
        for scenario in scenarios:
            cold = warm_up(dashboard, scenario)
            print(f"{scenario.name}: first view on a cold server {cold:.2f} s (one user)", flush=True)
            results.setdefault("cold_first_view_s", {})[scenario.name] = round(cold, 3)
        if args.startup_warm_up:
            seconds = startup_warm_up(dashboard)
            print(f"the start-up warm-up (ui/warmup.py), run to its end: {seconds:.1f} s", flush=True)
        if bare:
            warm_up(bare, BARE_SCENARIO)
        for users in args.users:
            print(f"\n{users} user(s), {args.reruns} reruns each:", flush=True)
            bare_figures = measure(bare, BARE_SCENARIO, users, args.reruns, args.seed, servers) if bare else None
            rows = [row(f"bare Streamlit, {users} users", bare_figures, None)] if bare_figures else []
            for scenario in scenarios:
                figures = measure(dashboard, scenario, users, args.reruns, args.seed, servers)
                where = "at --url" if args.url else "1 process"
                rows.append(row(f"{scenario.name}, {users} users, {where}", figures, bare_figures))
            print_table(rows)
            if users == TARGET_USERS:
                print_targets(rows)
            results["rows"] += [dict(r, users=users, processes=None if args.url else 1) for r in rows]
        if args.two_process_users and not args.url and NGINX.exists():
            # The one process's capacity, for the comparison with two behind nginx.
            for scenario in scenarios:
                rate, errors, cores = saturated_throughput(
                    dashboard, scenario, args.two_process_users, args.reruns, args.seed, servers
                )
                results.setdefault("saturated_runs_per_s", {})[f"{scenario.name}, 1 process"] = round(rate, 2)
                print(
                    f"{scenario.name}: {rate:.2f} runs/s with {args.two_process_users} users asking without pause, "
                    f"1 process ({errors} errors; {cores})",
                    flush=True,
                )
        if args.two_process_users and not args.url:
            if not NGINX.exists():
                note = f"two processes: skipped, {NGINX} is absent (apt-get install nginx-light)"
                print(note)
                results["notes"].append(note)
            else:
                results["rows"] += two_processes(servers, workdir, scenarios, args, bare, results)
    finally:
        servers.close()
        shutil.rmtree(workdir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"\nwritten: {args.output}")
    return 1 if any(r["errors"] for r in results["rows"]) else 0


def two_processes(
    servers: Servers, workdir: Path, scenarios: list[Scenario], args, bare: str | None, results: dict
) -> list[dict]:
    """The same users through nginx in front of two dashboard processes sharing one database."""
    servers.close()  # the single process stops: its core is the second process's
    users = args.two_process_users
    home = workdir / "home2"
    home.mkdir()
    database_url = args.database_url or f"sqlite:///{home / 'shared.sqlite'}"
    if "service" in args.scenarios:
        import_shops(home)
    env = dashboard_env(home, database_url)
    prepare_database(env)
    ports = [free_port(), free_port()]
    upstreams = servers.dashboards([(f"dashboard{i + 1}", port, env) for i, port in enumerate(ports)])
    proxy = servers.nginx(ports, free_port())
    servers.pids[proxy] = [pid for upstream in upstreams for pid in servers.pids[upstream]]
    bare = servers.bare(free_port())
    warm_up(bare, BARE_SCENARIO)
    for upstream in upstreams:  # both processes fill their caches, as in the one-process runs
        if args.startup_warm_up:
            startup_warm_up(upstream)
        for scenario in scenarios:
            warm_up(upstream, scenario)
    print(f"\n{users} users through nginx and 2 processes, {args.reruns} reruns each:", flush=True)
    bare_figures = measure(bare, BARE_SCENARIO, users, args.reruns, args.seed, servers)
    rows = [row(f"bare Streamlit, {users} users", bare_figures, None)]
    for scenario in scenarios:
        rows.append(
            row(
                f"{scenario.name}, {users} users, 2 processes",
                measure(proxy, scenario, users, args.reruns, args.seed, servers),
                bare_figures,
            )
        )
    print_table(rows)
    single = results.get("saturated_runs_per_s", {})
    for scenario in scenarios:
        rate, errors, cores = saturated_throughput(proxy, scenario, users, args.reruns, args.seed, servers)
        results.setdefault("saturated_runs_per_s", {})[f"{scenario.name}, 2 processes"] = round(rate, 2)
        one = single.get(f"{scenario.name}, 1 process")
        ratio = (
            f", {rate / one:.2f} times 1 process's {one:.2f} (target >= {TARGET_SPEEDUP_TWO_PROCESSES})" if one else ""
        )
        verdict = ("  OK" if rate / one >= TARGET_SPEEDUP_TWO_PROCESSES else "  UNDER TARGET") if one else ""
        print(
            f"{scenario.name}: {rate:.2f} runs/s with {users} users asking without pause, 2 processes behind nginx"
            f" ({errors} errors; {cores}){ratio}{verdict}",
            flush=True,
        )
    return [dict(r, users=users, processes=2) for r in rows]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
