"""Imported layers, kept in the user's data folder ($KOMMUNKARTA_HOME/layers), outside git.

Each layer is a Parquet file of points and a JSON file that says what it is, where it
came from and when it was imported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .. import limits, paths
from .importers import ImportedLayer

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


def save(layer: ImportedLayer, title: str, role: str, source: str = "") -> LayerInfo:
    """Store a layer for everyone. The caller checks that an editor is logged in."""
    _info(layer, "", title, role, source)  # refuse a bad title or role before writing
    folder().mkdir(parents=True, exist_ok=True)
    base, layer_id, n = slug(title), slug(title), 1
    while (folder() / f"{layer_id}.json").exists():
        n += 1
        layer_id = f"{base}-{n}"
    info = _info(layer, layer_id, title, role, source)
    layer.points.to_parquet(folder() / f"{layer_id}.parquet", index=False)
    (folder() / f"{layer_id}.json").write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def list_layers(role: str | None = None) -> list[LayerInfo]:
    if not folder().is_dir():
        return []
    infos = []
    for meta in sorted(folder().glob("*.json")):
        try:
            info = LayerInfo(**json.loads(meta.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            continue  # a stray or damaged file is not a layer
        if (folder() / f"{info.id}.parquet").exists() and (role is None or info.role == role):
            infos.append(info)
    return sorted(infos, key=lambda i: i.imported_at, reverse=True)


def load(layer_id: str) -> pd.DataFrame:
    return pd.read_parquet(folder() / f"{layer_id}.parquet")


def remove(layer_id: str) -> None:
    for suffix in (".parquet", ".json"):
        (folder() / f"{layer_id}{suffix}").unlink(missing_ok=True)
