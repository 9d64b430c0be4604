"""The three ways the dashboard is served, each in Debian's Chromium: every page drawn,
every map drawn with Leaflet from the app itself, no other host asked.

- ``kommunkarta run`` (what scripts/dashboard starts after its set-up);
- ``streamlit run app.py`` in a fresh copy of the checkout (what a Streamlit user, and
  Streamlit Community Cloud, does): no static/ folder at the start, so Leaflet is put there
  by the app after the server started, and served;
- the wheel in a new virtual environment: tests/test_wheel.py
  (test_the_installed_dashboard_draws_every_map).
"""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import ROOT, wait_until_serving
from .support.browser import browser, every_page, store_shop_layer, walk_every_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(command: list, cwd: Path, env: dict, log: Path, seconds: float = 120):
    """``command`` (with --server.port appended) until the block ends; yields its URL."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen([*command, "--server.port", str(port)], cwd=cwd, env=env, stdout=out, stderr=out)
        try:
            url = f"http://localhost:{port}"
            assert wait_until_serving(url, server, seconds), log.read_text()[-2000:]
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def clean_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMMUNKARTA_", "PYTHONPATH"))}
    env["KOMMUNKARTA_HOME"] = str(tmp_path / "home")
    store_shop_layer(tmp_path / "home")
    return env


def fresh_copy(target: Path) -> Path:
    """The checkout as a clone has it: the files git tracks (and new ones it does not
    ignore), without static/, build/ or anything else made by running it."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_kommunkarta_run_serves_every_page_with_maps_drawn(browser, dataset, tmp_path):  # noqa: F811
    command = [sys.executable, "-m", "kommunkarta.cli", "run"]
    with serving(command, tmp_path, clean_env(tmp_path), tmp_path / "server.log") as url:
        drawn = walk_every_page(browser, url, every_page(dataset.networks["id"]))
    assert drawn[""] >= 290  # every kommun of the overview


def test_streamlit_run_app_py_from_a_fresh_checkout_serves_every_page_with_maps_drawn(browser, dataset, tmp_path):  # noqa: F811
    clone = fresh_copy(tmp_path / "clone")
    assert (clone / "app.py").is_file() and not (clone / "static").exists()
    env = clean_env(tmp_path)
    # Streamlit puts app.py's folder first on sys.path: the copy's package is the one imported.
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    log = tmp_path / "server.log"
    with serving(command, clone, env, log) as url:
        drawn = walk_every_page(browser, url, every_page(dataset.networks["id"]))
        assert (clone / "static" / "vendor").is_dir()  # made after the start, and served
    assert drawn[""] >= 290
    # .streamlit/config.toml held: this machine only, and no question about the external address
    text = log.read_text()
    assert "External URL" not in text and "URL: http://localhost:" in text, text[-2000:]
