"""``kommunkarta run``: the dashboard, served by ``streamlit run`` with the project's
options, from a short main script that runs the installed ``app.py``."""

from __future__ import annotations

import builtins
import functools
import os
import sys
from pathlib import Path

from .. import limits, paths
from ..outputs import leaflet_assets


def add_commands(commands, lang: str) -> None:
    run = commands.add_parser("run", help="starta dashboarden (övriga argument går vidare till streamlit run)")
    run.set_defaults(handler=_run)


def streamlit_command(script: Path, extra: list[str]) -> list[str]:
    """The command `kommunkarta run` becomes: our options, then the user's, which win
    (streamlit takes the last of a repeated option): ``--server.address 0.0.0.0``
    serves the network instead of this machine only."""
    return [sys.executable, "-m", "streamlit", "run", str(script), *STREAMLIT_OPTIONS, *extra]


def _run(args, extra: list[str]) -> int:
    command = streamlit_command(prepare_runtime(), extra)
    _start_warmup(command)
    # Streamlit takes this process's place, so that a stop signal (Ctrl-C, a service
    # manager, a test ending) reaches the server itself instead of leaving it running
    # behind a stopped parent. The working directory is kept: Streamlit reads
    # .streamlit/secrets.toml (logins, the database URL) from there.
    os.execv(sys.executable, command)


def _start_warmup(command: list[str]) -> None:
    """The server's first visit, by the server's own machine (ui/warmup.py): it waits
    for the health check, opens the pages that draw the national map and, when shops
    are stored, asks the service page its preset questions, and exits, so the first
    person after a start finds the caches full. It stays in this process group,
    so stopping the group stops it. KOMMUNKARTA_NO_WARMUP=1 leaves it out."""
    if os.environ.get("KOMMUNKARTA_NO_WARMUP") == "1":
        return
    import subprocess

    url = own_url(command)
    subprocess.Popen(
        [sys.executable, "-m", "kommunkarta.ui.warmup", url],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def own_url(command: list[str]) -> str:
    """The URL at which this machine reaches the server that ``command`` starts (the
    last of each repeated option wins, as in streamlit)."""
    options = {"--server.address": "localhost", "--server.port": "8501", "--server.baseUrlPath": ""}
    for i, word in enumerate(command):
        name, _, value = word.partition("=")
        if name in options:
            options[name] = value if value else (command[i + 1] if i + 1 < len(command) else "")
    host = options["--server.address"]
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    base = options["--server.baseUrlPath"].strip("/")
    return f"http://{host}:{options['--server.port']}" + (f"/{base}" if base else "")


# Given on the command line so that they hold wherever the command is started, and so
# that no config file can turn them off. A manually set server.address also keeps
# Streamlit from asking a third-party host for this machine's external address, which
# it does at every headless start otherwise.
STREAMLIT_OPTIONS = (
    "--server.address",
    "localhost",
    "--server.headless",
    "true",
    "--server.enableStaticServing",
    "true",
    "--server.maxUploadSize",
    str(limits.STREAMLIT_UPLOAD_MB),
    "--browser.gatherUsageStats",
    "false",
    "--client.toolbarMode",
    "viewer",
    # Visitors never see a stack trace or a server path: Streamlit shows that something
    # failed and logs the exception, with its traceback, on the server.
    "--client.showErrorDetails",
    "none",
    "--theme.base",
    "light",
    # Speed under a meeting's load (benchmarks/load.py): Streamlit's full garbage
    # collection after every script run walked the ~300 000 objects of the shared caches
    # and took most of the server's time; Python's own generational collection still
    # runs. Watching the package's files for changes is for development, not a server.
    "--runner.postScriptGC",
    "false",
    "--server.fileWatcherType",
    "none",
)


def prepare_runtime() -> Path:
    """The main script Streamlit runs, with Leaflet in the ``static/`` folder beside it."""
    runtime = paths.runtime_dir()
    leaflet_assets.ensure_static_assets(paths.static_dir())
    script = runtime / "streamlit_app.py"
    text = (
        "# Written by `kommunkarta run`: runs the installed app.py.\n"
        "from kommunkarta.cli.run import run_app\n\nrun_app()\n"
    )
    if not script.is_file() or script.read_text() != text:
        temporary = script.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text)
        temporary.replace(script)  # atomic: processes of one deployment share the folder
    return script


def run_app() -> None:
    """Run the installed app.py as the main script (``__name__ == "__main__"``), from
    its code compiled once while the file is unchanged. ``runpy.run_path`` read and
    compiled it again at every rerun: a twentieth of the server's time under a
    meeting's load (benchmarks/load.py)."""
    path = str(paths.APP_SCRIPT)
    code = _compiled(path, os.stat(path).st_mtime_ns)
    exec(code, {"__name__": "__main__", "__file__": path, "__builtins__": builtins})


@functools.lru_cache(maxsize=4)
def _compiled(path: str, mtime_ns: int):
    with open(path, "rb") as source:
        return compile(source.read(), path, "exec", dont_inherit=True)
