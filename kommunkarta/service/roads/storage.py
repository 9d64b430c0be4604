"""Road networks kept in ``$KOMMUNKARTA_HOME/roads/<id>/``: ``graph.npz`` (nodes: OSM id, lon,
lat, x, y; edges: from, to, length, time, one-way, class, ferry) and ``info.json`` (source file,
OSM timestamp, bounding box, counts). ``import_file`` reads a file (``readers``), builds its graph
(``graph``) and stores it; ``load`` gives a ``RoadNetwork``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ... import paths
from .graph import build
from .network import RoadInfo, RoadNetwork
from .readers import Progress, RoadImportError, read_gpkg, read_overpass, read_pbf

ATTRIBUTION = "© OpenStreetMap contributors, ODbL"


def folder() -> Path:
    return paths.home() / "roads"


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "vagnat"


def import_file(
    path: Path | str, title: str | None = None, progress: Progress | None = None, layer: str | None = None
) -> RoadInfo:
    """Read a road network from an OSM PBF file or a GeoPackage of lines and store it."""
    path = Path(path)
    if not path.is_file():
        raise RoadImportError(f"{path}: filen finns inte")
    name = path.name.lower()
    if name.endswith(".pbf"):
        import osmium.version

        ways, fmt, reader = read_pbf(path, progress), "osm.pbf", f"pyosmium {osmium.version.pyosmium_release}"
    elif name.endswith(".gpkg"):
        ways, fmt, reader = read_gpkg(path, progress, layer), "gpkg", "pyogrio"
    elif name.endswith(".json"):
        ways, fmt, reader = read_overpass(path, progress), "overpass", "Overpass JSON"
    else:
        raise RoadImportError(f"{path.name}: okänt format; ett vägnät läses från .osm.pbf, .gpkg eller Overpass-JSON")
    graph = build(ways, progress)
    if not len(graph["src"]):
        raise RoadImportError(f"{path.name}: inga vägar för bil i filen")
    if progress:
        progress("graph", len(graph["src"]), len(graph["src"]))
    title = title or path.name.split(".")[0]
    folder().mkdir(parents=True, exist_ok=True)
    base = road_id = _slug(title)
    n = 1
    while (folder() / road_id).exists():
        n += 1
        road_id = f"{base}-{n}"
    info = RoadInfo(
        id=road_id,
        title=title,
        source=path.name,
        format=fmt,
        osm_timestamp=ways.timestamp,
        imported_at=dt.datetime.now().isoformat(timespec="seconds"),
        bbox=[
            float(graph["lon"].min()),
            float(graph["lat"].min()),
            float(graph["lon"].max()),
            float(graph["lat"].max()),
        ],
        nodes=len(graph["x"]),
        edges=len(graph["src"]),
        oneway_edges=int(graph["oneway"].sum()),
        ferry_edges=int(graph["ferry"].sum()),
        km=round(float(graph["length_m"].sum()) / 1000, 1),
        counts=ways.counts,
        reader=reader,
        attribution=ATTRIBUTION if fmt in ("osm.pbf", "overpass") else "",
    )
    target = folder() / road_id
    target.mkdir()
    np.savez(target / "graph.npz", allow_pickle=False, **graph)
    (target / "info.json").write_text(json.dumps(asdict(info), ensure_ascii=False, indent=1), encoding="utf-8")
    return info


def list_networks() -> list[RoadInfo]:
    if not folder().is_dir():
        return []
    infos = []
    for meta in folder().glob("*/info.json"):
        try:
            info = RoadInfo(**json.loads(meta.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            continue
        if (meta.parent / "graph.npz").exists():
            infos.append(info)
    return sorted(infos, key=lambda i: i.imported_at, reverse=True)


def load(road_id: str) -> RoadNetwork:
    target = folder() / road_id
    if not (target / "graph.npz").exists():
        raise KeyError(f"inget sparat vägnät {road_id!r}")
    info = RoadInfo(**json.loads((target / "info.json").read_text(encoding="utf-8")))
    with np.load(target / "graph.npz") as arrays:
        return RoadNetwork({k: arrays[k] for k in arrays.files}, info)


def remove(road_id: str) -> None:
    shutil.rmtree(folder() / road_id, ignore_errors=True)


def resolve(source: str, progress: Progress | None = None) -> RoadNetwork:
    """A stored network by id, or a file (.osm.pbf / .gpkg) imported and stored first."""
    if source in {info.id for info in list_networks()}:
        return load(source)
    path = Path(source)
    if path.is_file():
        return load(import_file(path, progress=progress).id)
    raise KeyError(f"{source}: inget sparat vägnät och ingen sådan fil")
