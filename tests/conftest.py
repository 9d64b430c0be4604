import csv
import io
import os
import shutil
import sys
import uuid
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from kommunkarta import paths, selection
from kommunkarta.loader import load_dataset

from .support.browser import browser  # noqa: F401 (the Chromium fixture, for every browser test)
from .support.map_component import component  # noqa: F401 (a fixture for every test module)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = paths.DATA_DIR
SHARED_DIR = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory):
    """The dashboard's database and caches in a folder of the test run's own, never the
    developer's: the pages read the SQLite database in $KOMMUNKARTA_HOME."""
    from platformdirs import user_data_dir

    own = Path(user_data_dir("kommunkarta", appauthor=False)) / "kommunkarta.sqlite"
    before = own.stat().st_mtime if own.exists() else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMMUNKARTA_HOME", str(tmp_path_factory.mktemp("home")))
        patch.delenv("KOMMUNKARTA_DATABASE_URL", raising=False)
        patch.delenv("KOMMUNKARTA_DATA_DIR", raising=False)
        # The command line follows the environment's language (issue 24): the tests
        # name theirs, so that a developer's English locale does not change them.
        patch.setenv("LANG", "C.UTF-8")
        patch.delenv("LC_ALL", raising=False)
        patch.delenv("LC_MESSAGES", raising=False)
        yield
    after = own.stat().st_mtime if own.exists() else None
    assert after == before, f"a test wrote to the developer's own database {own}"


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(DATA_DIR)


@pytest.fixture(scope="session")
def table(dataset):
    return selection.membership_table(dataset)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def edit_rows(path: Path, edit) -> None:
    """Rewrite a CSV file with ``edit(rows)`` applied to its rows (a list of dicts)."""
    fields, rows = read_csv(path)
    write_csv(path, fields, edit(rows) or rows)


# -- databases -----------------------------------------------------------------------------
# The storage suite runs on SQLite and on PostgreSQL. scripts/test starts a throwaway
# PostgreSQL server and sets KOMMUNKARTA_TEST_POSTGRES_URL; each test gets a database
# of its own on it.


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kommunkarta.sqlite'}"
        return
    server = os.environ.get("KOMMUNKARTA_TEST_POSTGRES_URL")
    if not server:
        reason = "no PostgreSQL server to test against: scripts/test starts one from Debian's packages, or set KOMMUNKARTA_TEST_POSTGRES_URL"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must run the PostgreSQL tests")
        pytest.skip(reason)
    name = f"kk_test_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database_url):
    """A database upgraded to the newest schema and seeded from data/."""
    from kommunkarta.storage import store

    engine = store.open_database(database_url, DATA_DIR)
    yield engine
    engine.dispose()


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, env: dict | None = None, cwd=None) -> CliResult:
    """``kommunkarta ARGS`` in this process (through cli.main), as a user would see it:
    exit code, standard output and standard error. ``env`` adds environment variables."""
    from kommunkarta import cli

    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update({k: str(v) for k, v in (env or {}).items()})
    try:
        if cwd:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in args])
            except SystemExit as exit_:  # argparse, and commands that stop with a message
                code = exit_.code if isinstance(exit_.code, int) else 1
                if isinstance(exit_.code, str):
                    print(exit_.code, file=sys.stderr)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    out.flush()
    return CliResult(code or 0, out.buffer.getvalue().decode("utf-8"), err.getvalue())


def wait_until_serving(url: str, server, seconds: float = 60) -> bool:
    """Poll ``url``'s health check until it answers "ok" (True), or until ``server`` (a
    Popen) has exited or ``seconds`` have passed (False): the warm-up's own wait."""
    from kommunkarta.ui.warmup import wait_until_healthy

    return wait_until_healthy(url, seconds, alive=lambda: server.poll() is None)


# -- fixture data ----------------------------------------------------------------------------
# A small invented dataset in data/'s format (tests/fixtures/data/README.md): behaviour
# tests count on it, so that a network added to data/ breaks none of them. Assertions
# about today's curated data live in test_curated_facts.py.

FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "data"


@pytest.fixture(scope="session")
def fixture_dataset():
    return load_dataset(FIXTURE_DATA_DIR)


@pytest.fixture(scope="session")
def fixture_table(fixture_dataset):
    return selection.membership_table(fixture_dataset)


@pytest.fixture(scope="session")
def fixture_rows():
    """The fixture files' rows as the csv module reads them, for computing expected
    values independently of the loader: ``fixture_rows("memberships.csv")``."""
    return lambda name: read_csv(FIXTURE_DATA_DIR / name)[1]


# -- script payloads -------------------------------------------------------------------------
# What a hostile or careless editor could put in any text field that reaches a map: a
# template-literal expression, a backtick that ends the literal, and an end of script.
SCRIPT_PAYLOADS = ("${alert(1)}", "`+alert(1)+`", "</script><script>alert(1)</script>")
# A Jinja expression: folium renders its elements' output into the figure as a template
# again, where the server would evaluate it (and write 7014007).
TEMPLATE_PAYLOAD = "{{ 7007*1001 }}"
TEMPLATE_EVALUATED = "7014007"


def payload(i: int, label: str) -> str:
    """A text with one of the script payloads and the template payload."""
    return f"{label} {SCRIPT_PAYLOADS[i % len(SCRIPT_PAYLOADS)]} {TEMPLATE_PAYLOAD}"


def inject_script_payloads(data_dir: Path) -> None:
    """Put the script payloads into every text field of ``data_dir`` that reaches a map:
    network names (legend, layer names, kommun tooltips), project names (tooltips),
    place names and coordinate sources, and a foreign member's name and centre."""

    def networks(rows):
        for i, row in enumerate(rows):
            if row["id"] in ("tornedalsradet", "serviceutveckling_2022", "filmpool_nord"):
                row["name"] = payload(i, "Nät")
                row["short_name"] = payload(i + 1, "Kort")

    def projects(rows):
        for i, row in enumerate(rows):
            row["name"] = payload(i, "Projekt")

    def places(rows):
        for i, row in enumerate(rows):
            if row["lat"]:
                row["name"] = payload(i, "Plats")
                row["coord_source"] = payload(i + 1, "Källa")

    foreign = payload(2, "Tornio")

    def memberships(rows):
        for row in rows:
            if row["name"] == "Tornio (Torneå)":
                row["name"] = foreign

    def centres(rows):
        for row in rows:
            if row["name"] == "Tornio (Torneå)":
                row["name"] = foreign
                row["centre"] = payload(0, "Centrum")

    edit_rows(data_dir / "networks.csv", networks)
    edit_rows(data_dir / "projects.csv", projects)
    edit_rows(data_dir / "places.csv", places)
    edit_rows(data_dir / "memberships.csv", memberships)
    edit_rows(data_dir / "municipal_centres.csv", centres)


@contextmanager
def json_stand_in(answer, path: str, record: str = "body"):
    """A stand-in web service on the loopback interface that always answers 200 with
    ``answer(query, body)`` as JSON: ``query`` the URL's parameters, ``body`` what was
    posted. Yields (the service's URL ending in ``path``, a list of every request's
    ``record``: its posted body, or its query). Stand-ins that behave like the real
    services, failures included, are in ``tests/support/standins.py``."""
    from .support.standins import Reply, StandIn

    calls = []

    class Service(StandIn):
        def answer(self, request):
            calls.append(request.body if record == "body" else request.query)
            return Reply(200, answer(request.query, request.body))

    Service.path = path
    with Service() as service:
        yield service.url, calls
