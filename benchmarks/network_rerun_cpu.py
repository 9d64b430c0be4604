"""CPU per rerun of a network's page (issue 22), robust against the machine's load: the
page run in one process (Streamlit's AppTest) on the curated data, its first view not
counted, then reruns as the meeting makes them: a sidebar filter changed (a län added,
then removed) and the page asked again with nothing changed. CPU time
(time.process_time) per run, not wall time; the bare AppTest run of a one-line page in
the same process is printed beside it (what any run costs here).

    .venv/bin/python benchmarks/network_rerun_cpu.py [--network serviceutveckling_2022] [--runs 30]

Under 20 users a page's rerun waits for the other sessions' runs: its CPU per run is
what the queue is made of (benchmarks/load.py prints the server's figure under load)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_PAGE = 'import streamlit as st\nst.title("Bare")\nst.write("A line of text.")\n'


def cpu_ms(run) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", default="serviceutveckling_2022")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    os.environ["KOMMUNKARTA_HOME"] = tempfile.mkdtemp(prefix="kk-cpu-")
    from streamlit.testing.v1 import AppTest

    from kommunkarta import paths
    from kommunkarta.ui.page_registry import network_url_path

    at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=300)
    at.run()
    # The network's page as st.navigation registered it (as tests/test_app.py opens it);
    # the first view fills the caches and is not counted.
    url_path = network_url_path(args.network)
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    at.run()
    at._page_hash = ""
    assert not at.exception, at.exception
    choices = [["25"], ["25", "22"], ["22"], []]  # Norrbotten, Västernorrland (län codes)
    changed, same = [], []
    for i in range(args.runs):
        changed.append(cpu_ms(lambda i=i: at.multiselect(key="f_lan").set_value(choices[i % len(choices)]).run()))
        assert not at.exception, at.exception
        same.append(cpu_ms(at.run))
    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE, encoding="utf-8")
        bare = AppTest.from_file(str(bare_script))
        bare.run()
        bare_runs = [cpu_ms(bare.run) for _ in range(args.runs)]
    bare_p50 = statistics.median(bare_runs)
    for label, values in (("filter changed", changed), ("nothing changed", same), ("bare page", bare_runs)):
        p50 = statistics.median(values)
        print(
            f"{label:16} CPU per run p50 {p50:6.1f} ms, mean {statistics.mean(values):6.1f} ms,"
            f" max {max(values):6.1f} ms ({len(values)} runs); {p50 / bare_p50:4.1f} times the bare page's"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
