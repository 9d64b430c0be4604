"""The installed package is complete: a wheel installed into a fresh virtual environment
outside the checkout validates and exports the embedded data, serves the dashboard and
runs its pages."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, wait_until_serving
from .support.browser import browser, every_page, store_shop_layer, walk_every_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a new venv with the project's wheel (and its pinned dependencies)."""
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", ROOT],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (work / "dist").glob("kommunkarta-*.whl")
    subprocess.run([sys.executable, "-m", "venv", work / "venv"], check=True)
    bin_dir = work / "venv" / "bin"
    install = subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel],
        capture_output=True,
        text=True,
        cwd=work,
    )
    if install.returncode != 0 and not os.environ.get("CI") and "No matching distribution" in install.stderr:
        pytest.skip(f"the dependencies could not be installed here: {install.stderr[-300:]}")
    assert install.returncode == 0, install.stderr
    return bin_dir


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMMUNKARTA_", "PYTHON"))}
    env["KOMMUNKARTA_HOME"] = str(tmp_path / "home")
    return env


def test_the_wheel_holds_the_app_the_pages_the_data_and_the_migrations(installed, tmp_path):
    listing = subprocess.run(
        [
            installed / "python",
            "-c",
            "import kommunkarta, pathlib; root = pathlib.Path(kommunkarta.__file__).parent; "
            "print(root); print(*sorted(str(p.relative_to(root)) for p in root.rglob('*') if p.is_file()), sep='\\n')",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    root, *files = listing.stdout.splitlines()
    assert not root.startswith(str(ROOT))  # the installed copy, not the checkout
    for needed in (
        "_site/app.py",
        "_site/app_pages/overview.py",
        "_site/app_pages/service.py",
        "_site/app_pages/network.py",
        "_site/data/networks.csv",
        "_site/data/memberships.csv",
        "_site/data/population.csv",
        "_site/geodata/tatorter_2020.csv",
        "_site/geodata/mines_icmm.csv",
        "storage/migrations/env.py",
        "storage/migrations/script.py.mako",
        "storage/migrations/versions/0001_initial.py",
    ):
        assert needed in files


def test_the_installed_command_validates_and_exports_the_embedded_data(installed, tmp_path):
    env = _env(tmp_path)
    validate = subprocess.run(
        [installed / "kommunkarta", "validate"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert validate.returncode == 0 and validate.stderr.startswith("OK: "), validate.stderr
    export = subprocess.run(
        [installed / "kommunkarta", "export", "memberships", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert export.returncode == 0, export.stderr
    rows = export.stdout.splitlines()
    checkout = subprocess.run(
        [sys.executable, "-m", "kommunkarta.cli", "export", "memberships", "--data-dir", ROOT / "data"],
        capture_output=True,
        text=True,
    )
    assert rows == checkout.stdout.splitlines() and len(rows) > 100


def test_the_installed_dashboard_serves_and_its_pages_run(installed, tmp_path):
    env = _env(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [installed / "kommunkarta", "run", "--server.port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        url = f"http://localhost:{port}"
        assert wait_until_serving(url, server, 90), "the installed dashboard did not start"
        with urllib.request.urlopen(url + "/app/static/vendor/leaflet-1.9.3/leaflet.js", timeout=5) as response:
            assert b"Leaflet" in response.read(2000)
    finally:
        server.terminate()
        server.wait(timeout=20)
    # Every page runs from the installed copy (AppTest in the new environment).
    script = (
        "from kommunkarta import paths\n"
        "from streamlit.testing.v1 import AppTest\n"
        "assert paths.APP_SCRIPT == paths.PACKAGE_DIR / '_site' / 'app.py', paths.APP_SCRIPT\n"
        "app = str(paths.APP_SCRIPT)\n"
        "for page in ['overview', 'kommun', 'timeline', 'overlaps', 'service', 'sources', 'present']:\n"
        "    at = AppTest.from_file(app, default_timeout=120).run()\n"
        "    at.switch_page(f'app_pages/{page}.py').run()\n"
        "    assert not at.exception, (page, at.exception)\n"
        "print('pages ok')\n"
    )
    pages = subprocess.run([installed / "python", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert pages.stdout.strip().endswith("pages ok"), pages.stdout + pages.stderr


@pytest.mark.browser
def test_the_installed_dashboard_draws_every_map(installed, browser, dataset, tmp_path):  # noqa: F811
    """The wheel in its new venv, started by its own command away from the checkout:
    every page in Chromium, every map drawn with the Leaflet the installed app serves."""
    env = _env(tmp_path)
    store_shop_layer(tmp_path / "home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [installed / "kommunkarta", "run", "--server.port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
    )
    try:
        url = f"http://localhost:{port}"
        assert wait_until_serving(url, server, 120), "the installed dashboard did not start"
        drawn = walk_every_page(browser, url, every_page(dataset.networks["id"]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert drawn[""] >= 290
