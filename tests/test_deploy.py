"""The deployment of deploy/ (issue #14): two dashboard processes (the systemd unit's
command line) behind Debian's nginx with sticky sessions, sharing one database.
Everything on loopback ports; nginx runs from a temporary prefix with
deploy/nginx/kommunkarta.conf as its site.

The users speak Streamlit's websocket protocol (benchmarks/load.py), as a browser does:
the page's HTML first (nginx sets the route cookie), then /_stcore/stream with the
cookies and an Origin header.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import subprocess
import urllib.request
import uuid
from collections import defaultdict
from types import SimpleNamespace

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from benchmarks import load
from kommunkarta import paths

from .support.streamlit_client import Session

# Two dashboard processes and nginx: left out of the fast subset.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nginx():
    if not load.NGINX.exists():
        reason = f"{load.NGINX} is absent: scripts/test installs Debian's nginx-light (apt-get install nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the deployment test")
        pytest.skip(reason)
    return load.NGINX


@pytest.fixture(scope="module")
def shared_database_url(tmp_path_factory):
    """The test PostgreSQL server when scripts/test started one, else a SQLite file."""
    server = os.environ.get("KOMMUNKARTA_TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{tmp_path_factory.mktemp('shared') / 'kommunkarta.sqlite'}"
        return
    name = f"kk_deploy_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def deployment(nginx, shared_database_url, tmp_path_factory):
    """Two processes, each with a home folder of its own (as on two machines), one
    database, nginx in front. All stopped (process groups) when the module ends."""
    workdir = tmp_path_factory.mktemp("deploy")
    servers = load.Servers(workdir)
    try:
        envs = [load.dashboard_env(workdir / f"home{i}", shared_database_url) for i in (1, 2)]
        load.prepare_database(envs[0])
        ports = [load.free_port(), load.free_port()]
        # Started as systemd would start deploy/'s unit for these ports.
        specs = [(f"dashboard{i + 1}", port, envs[i]) for i, port in enumerate(ports)]
        urls = servers.dashboards(specs, command=load.unit_command)
        proxy = servers.nginx(ports, load.free_port())
        yield SimpleNamespace(
            urls=urls, ports=ports, proxy=proxy, env=envs[0], log=workdir / "nginx" / "logs" / "kommunkarta.access.log"
        )
    finally:
        servers.close()


def access_log(path) -> list[dict]:
    """The lines of deploy/'s log format: request, status, route cookie and upstream."""
    pattern = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) .* route=(?P<route>\S+) upstream=(?P<upstream>\S+)')
    return [m.groupdict() for m in map(pattern.search, path.read_text().splitlines()) if m]


def test_load_through_nginx_every_rerun_finishes(deployment):
    scenario = load.dashboard_scenarios(["overview"])[0]
    figures = asyncio.run(load.run_load(deployment.proxy, scenario, users=3, reruns=2, seed=7))

    assert figures.errors == []
    assert len(figures.first_view) == 3 and len(figures.reruns) == 6
    # As in a browser, each first view took two runs: the page up to the map, and the
    # rest once the map reported itself drawn (ui/map_first.py).
    assert figures.first_view_runs == [2, 2, 2]
    # Each session's websocket went where its page came from: nginx set the route
    # cookie on the HTML response and routed the websocket, which carried it, by it.
    lines = access_log(deployment.log)
    sockets = [line for line in lines if line["request"].startswith("GET /_stcore/stream ")]
    assert len(sockets) >= 3 and all(line["status"] == "101" for line in sockets)
    pages = {(line["route"], line["upstream"]) for line in lines if not line["request"].startswith("GET /_stcore/")}
    for socket_line in sockets:
        assert (socket_line["route"], socket_line["upstream"]) in pages, socket_line


def test_sessions_spread_over_both_processes_and_stick(deployment):
    # Requests without the cookie are routed by their own random id: both processes
    # get some (the chance that 30 all land on one of two is 2**-29).
    for _ in range(30):
        with urllib.request.urlopen(deployment.proxy + "/_stcore/health", timeout=10) as response:
            assert response.read() == b"ok"
            assert any(c.startswith("kk_route=") for c in response.headers.get_all("Set-Cookie"))
    first_requests = [line for line in access_log(deployment.log) if line["request"].startswith("GET /_stcore/health")]
    assert {line["upstream"] for line in first_requests} == {f"127.0.0.1:{port}" for port in deployment.ports}

    # Two requests of one session (one cookie) reach one process, several times over.
    request = urllib.request.Request(deployment.proxy + "/_stcore/health", headers={"Cookie": "kk_route=meeting-42"})
    for _ in range(6):
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.read() == b"ok"
            # The browser has its cookie already: nginx sets none.
            assert not any(c.startswith("kk_route=") for c in response.headers.get_all("Set-Cookie") or [])
    by_route = defaultdict(set)
    for line in access_log(deployment.log):
        by_route[line["route"]].add(line["upstream"])
    assert len(by_route["meeting-42"]) == 1
    assert all(len(upstreams) == 1 for upstreams in by_route.values()), by_route


def _network_texts(session) -> str:
    return "\n".join(session.texts)


def test_an_edit_saved_through_one_process_shows_on_the_other(deployment, tmp_path):
    network_id = "serviceutveckling_2022"
    page = load.dashboard_scenarios(["network"])[0].page
    marker = f"Beskrivning ändrad i lasttestet {uuid.uuid4().hex[:8]}"

    async def scenario():
        sessions = [Session(url, page, "") for url in deployment.urls]
        try:
            for session in sessions:
                opened = await session.open()
                assert opened.errors == []
                assert marker not in _network_texts(session)
            # The edit, through the command line on the shared database, as an editor
            # on another machine would save it.
            with (paths.default_data_dir() / "networks.csv").open(encoding="utf-8", newline="") as f:
                reader = csv.DictReader(f)
                fields, rows = reader.fieldnames, [row for row in reader if row["id"] == network_id]
            assert len(rows) == 1
            rows[0]["description"] = marker
            edited = tmp_path / "networks.csv"
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
            edited.write_text(out.getvalue(), encoding="utf-8")
            command = [
                *load.kommunkarta_command(),
                "db",
                "import",
                str(edited),
                "--table",
                "networks",
                "--user",
                "test",
            ]
            imported = subprocess.run(command, env=deployment.env, capture_output=True, text=True, timeout=120)
            assert imported.returncode == 0, imported.stderr
            # The next rerun of a session on either process shows it, with no restart.
            for session in sessions:
                rerun = await session.rerun()
                assert rerun.errors == []
                assert marker in _network_texts(session)
        finally:
            for session in sessions:
                await session.close()

    asyncio.run(scenario())


def _members_in_lan(lan_kod: str) -> int:
    """Swedish kommuner of one län (the first two digits of a kommun code) taking part in
    any network, counted from the embedded memberships file itself."""
    from kommunkarta import vocab

    with (paths.default_data_dir() / "memberships.csv").open(encoding="utf-8", newline="") as f:
        return len(
            {
                row["kommun_kod"]
                for row in csv.DictReader(f)
                if row["country"] == "SE" and row["kommun_kod"][:2] == lan_kod and vocab.takes_part(row["role"])
            }
        )


def test_the_simulated_users_drive_the_filters(deployment):
    """What the benchmark measures is real work: the link's filter, and then a filter
    changed as a widget, both reach the server and change the key figures."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from kommunkarta.format import swedish_int
    from kommunkarta.loader import load_dataset
    from kommunkarta.selection import vocabulary

    label = vocabulary(load_dataset(paths.default_data_dir())).lan["23"]
    any_network = "Kommuner i minst ett nätverk: "

    async def scenario():
        session = Session(deployment.proxy, "", "lan=25")
        try:
            assert (await session.open()).errors == []
            assert any_network + swedish_int(_members_in_lan("25")) in session.texts
            widget = session.widgets["f_lan"]
            state = WidgetState(id=widget.id)
            state.string_array_value.data.append(label)
            assert (await session.rerun(changes={widget.id: state})).errors == []
            assert any_network + swedish_int(_members_in_lan("23")) in session.texts
            assert session.query_string == "lan=23"  # the dashboard wrote the new filter into the URL
        finally:
            await session.close()

    assert _members_in_lan("25") != _members_in_lan("23")
    asyncio.run(scenario())
