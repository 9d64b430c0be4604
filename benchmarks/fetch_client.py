"""The one web client (kommunkarta.web.client) against urllib on the same loopback
answer: a 30 MB Overpass-sized body served by ``python -m http.server`` in another
process, read whole, five times each. Prints each figure, its target and the ratio to
urllib measured in the same run.

    .venv/bin/python benchmarks/fetch_client.py
"""

from __future__ import annotations

import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kommunkarta.web import client

SIZE = 30 * 2**20
ROUNDS = 5
TARGET_RATIO = 1.5  # the client's deadline, caps and watchdog may cost at most half again


def timed(*readers) -> list[float]:
    """The median time of each reader, run in turns so that load hits all alike."""
    times = [[] for _ in readers]
    for _ in range(ROUNDS):
        for i, read in enumerate(readers):
            started = time.perf_counter()
            assert len(read()) == SIZE
            times[i].append(time.perf_counter() - started)
    return [statistics.median(t) for t in times]


def main() -> None:
    import socket
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "big.json").write_bytes(b"x" * SIZE)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", folder],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/big.json"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url, timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            ours, plain = timed(
                lambda: client.request(url, service="overpass", deadline=60, max_bytes=SIZE + 1),
                lambda: urllib.request.urlopen(url, timeout=60).read(),
            )
        finally:
            server.terminate()
            server.wait()
    ratio = ours / plain
    print(f"web.client.request, {SIZE // 2**20} MB over loopback: {ours * 1000:.0f} ms (median of {ROUNDS})")
    print(f"urllib.request.urlopen().read(), same answer:  {plain * 1000:.0f} ms")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}): {'ok' if ratio <= TARGET_RATIO else 'OVER'}")


if __name__ == "__main__":
    main()
