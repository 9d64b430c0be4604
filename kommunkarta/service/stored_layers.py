"""Imported layers, kept in the user's data folder ($KOMMUNKARTA_HOME/layers), outside git.

Each layer is a Parquet file of points and a JSON file that says what it is, where it
came from and when it was imported. A save writes both under temporary names and renames
them (the JSON last), under a lock on the folder, so that saves at once (threads or
processes) each get their own id, a full disk leaves nothing behind, and a layer is
listed only when its file holds as many points as its JSON says.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .. import limits, paths
from ..problems import Problem
from .importers import ImportedLayer, ImportFailed

ROLES = ("facilities", "origins")


@dataclass(frozen=True)
class LayerInfo:
    id: str
    title: str
    role: str  # facilities or origins
    source: str  # the file or service it came from
    format: str
    imported_at: str
    points: int
    outside_sweden: int
    problems: int
    kinds: dict


def folder() -> Path:
    return paths.home() / "layers"


def slug(text: str) -> str:
    """A file name for a title: ASCII letters, digits and dashes, at most LAYER_ID_CHARS."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[: limits.LAYER_ID_CHARS].strip("-")
    return text or "lager"


def title_problem(title: str) -> str | None:
    """Why a title cannot name a layer, or None."""
    if len(title) > limits.LAYER_TITLE_CHARS:
        return f"namnet har {len(title)} tecken; högst {limits.LAYER_TITLE_CHARS} – korta det"
    if any(ord(c) < 32 or ord(c) == 127 for c in title):
        return "namnet får inte innehålla radbrytningar eller andra styrtecken"
    return None


def _info(layer: ImportedLayer, layer_id: str, title: str, role: str, source: str) -> LayerInfo:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    problem = title_problem(title)
    if problem:
        raise ValueError(problem)
    return LayerInfo(
        id=layer_id,
        title=title,
        role=role,
        source=source or layer.file,
        format=layer.format,
        imported_at=dt.datetime.now().isoformat(timespec="seconds"),
        points=len(layer.points),
        outside_sweden=layer.outside_sweden,
        problems=len(layer.problems),
        kinds=layer.points["kind"].value_counts().to_dict(),
    )


def session_info(layer: ImportedLayer, title: str, role: str, source: str = "") -> LayerInfo:
    """What a layer kept for one session only (never stored) says about itself; its id
    cannot be a stored layer's."""
    return _info(layer, f"session-{uuid.uuid4().hex[:12]}", title, role, source)


class SaveFailed(ImportFailed):
    """The layer could not be written (a full disk, no permission); nothing of it was kept."""


@contextlib.contextmanager
def _locked():
    """The layers folder to oneself: saves and removals one at a time, across threads
    and processes (an advisory lock on a file in the folder; none where fcntl is missing)."""
    folder().mkdir(parents=True, exist_ok=True)
    with open(folder() / ".lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: one process serves the dashboard
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def save(layer: ImportedLayer, title: str, role: str, source: str = "") -> LayerInfo:
    """Store a layer for everyone. The caller checks that an editor is logged in. Raises
    ValueError for a bad title or role, SaveFailed when the files cannot be written."""
    _info(layer, "", title, role, source)  # refuse a bad title or role before writing
    with _locked():
        base, layer_id, n = slug(title), slug(title), 1
        while (folder() / f"{layer_id}.json").exists() or (folder() / f"{layer_id}.parquet").exists():
            n += 1
            layer_id = f"{base}-{n}"
        info = _info(layer, layer_id, title, role, source)
        temporary = folder() / f".{layer_id}.{uuid.uuid4().hex[:8]}"
        points, meta = temporary.with_suffix(".parquet.tmp"), temporary.with_suffix(".json.tmp")
        try:
            layer.points.to_parquet(points, index=False)
            meta.write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(points, folder() / f"{layer_id}.parquet")
            os.replace(meta, folder() / f"{layer_id}.json")  # the layer exists from here
        except OSError as err:
            for leftover in (points, meta, folder() / f"{layer_id}.parquet"):
                leftover.unlink(missing_ok=True)
            reason = "disken är full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
            raise SaveFailed(
                [Problem.of(title, 0, "-", "layer_save_failed", error=f"{reason} ({type(err).__name__})")]
            ) from None
    return info


def _points_in_file(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.read_metadata(path).num_rows
    except (OSError, ValueError):
        return None


def list_layers(role: str | None = None) -> list[LayerInfo]:
    """The stored layers whose JSON and points file agree (a half-written or damaged
    layer is not listed), newest first."""
    if not folder().is_dir():
        return []
    infos = []
    for meta in sorted(folder().glob("*.json")):
        try:
            info = LayerInfo(**json.loads(meta.read_text(encoding="utf-8")))
        except (ValueError, TypeError, OSError):
            continue  # a stray or damaged file is not a layer
        if role is not None and info.role != role:
            continue
        if meta.stem == info.id and _points_in_file(folder() / f"{info.id}.parquet") == info.points:
            infos.append(info)
    return sorted(infos, key=lambda i: i.imported_at, reverse=True)


def load(layer_id: str) -> pd.DataFrame:
    return pd.read_parquet(folder() / f"{layer_id}.parquet")


def remove(layer_id: str) -> None:
    with _locked():
        for suffix in (".json", ".parquet"):  # the JSON first: no listed layer without its points
            (folder() / f"{layer_id}{suffix}").unlink(missing_ok=True)
