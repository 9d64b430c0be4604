"""Exports of tables: CSV, JSON and GeoJSON, safe to open in a spreadsheet."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd

from . import geo

MEMBERSHIP_EXPORT_COLUMNS = [
    "kommun_kod", "kommun", "country", "network_id", "network_name", "role", "since", "until", "source", "certainty",
]
# A spreadsheet runs a cell that starts like a formula; a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise_cell)
    return frame


def memberships_export(table: pd.DataFrame) -> pd.DataFrame:
    """One row per kommun × network relation, in the documented export columns."""
    frame = table.assign(kommun=table["kommun"].fillna(table["name"]))
    return frame[MEMBERSHIP_EXPORT_COLUMNS].sort_values(["network_id", "country", "kommun"]).reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame, excel: bool = False) -> bytes:
    """CSV with formulas neutralised. ``excel`` gives what Swedish Excel opens directly:
    semicolons and a byte-order mark."""
    buffer = io.StringIO()
    neutralise(frame).to_csv(buffer, index=False, sep=";" if excel else ",")
    text = buffer.getvalue()
    return ("\ufeff" + text if excel else text).encode("utf-8")


def to_json_bytes(frame: pd.DataFrame) -> bytes:
    records = json.loads(frame.to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def to_geojson_bytes(frame: pd.DataFrame) -> bytes:
    """Swedish kommuner get their boundary; Finnish and Norwegian members, whose
    boundaries we do not have, are features with a null geometry."""
    shapes = geo.kommuner()[["kommun_kod", "geometry"]]
    merged = frame.merge(shapes, on="kommun_kod", how="left")
    gdf = gpd.GeoDataFrame(merged, geometry="geometry", crs=geo.WGS84)
    return gdf.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


PROJECT_EXPORT_COLUMNS = [
    "id", "name", "kommun_kods", "kommuner", "network_id", "start", "start_precision", "end", "end_precision",
    "funders", "partners", "theme", "description", "source", "certainty",
]


def projects_export(dataset) -> pd.DataFrame:
    """One row per project; kommuner as codes and names, each joined by "; "."""
    names = geo.names_by_code()
    frame = dataset.projects.assign(
        kommuner=dataset.projects["kommun_kods"].map(lambda codes: "; ".join(names[c] for c in codes)),
        kommun_kods=dataset.projects["kommun_kods"].map("; ".join),
    )
    return frame[PROJECT_EXPORT_COLUMNS].reset_index(drop=True)
