"""Exports of tables: CSV, JSON and GeoJSON, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import numbers
import re

import geopandas as gpd
import pandas as pd

from .. import geo
from ..schema import FORMULA_STARTS

MEMBERSHIP_EXPORT_COLUMNS = [
    "kommun_kod",
    "kommun",
    "country",
    "network_id",
    "network_name",
    "role",
    "since",
    "until",
    "source",
    "certainty",
]
# A spreadsheet runs a cell that starts like a formula, also after spaces, a no-break
# space or a tab; a leading apostrophe makes it text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def neutralise_cell(value):
    if isinstance(value, str) and (value.lstrip().startswith(FORMULA_STARTS) or value[:1] in ("\t", "\r", "\n")):
        return "'" + value
    return value


def has_control_characters(frame: pd.DataFrame) -> bool:
    """Whether any text cell holds a control character (a carriage return, a tab …)."""
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            if values.map(lambda v: isinstance(v, str) and bool(_CONTROL.search(v))).any():
                return True
    return False


def csv_quoting(frame: pd.DataFrame) -> int:
    """How to quote a CSV export: as little as needed, but every text cell when some
    cell holds a control character. Python's csv module quotes a cell with a line break
    only when the break is in its own line ending, and a spreadsheet starts a new row at
    a bare carriage return: a formula could hide on that row."""
    return csv.QUOTE_NONNUMERIC if has_control_characters(frame) else csv.QUOTE_MINIMAL


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


def to_csv_bytes(frame: pd.DataFrame, excel: bool = False, lang: str = "sv") -> bytes:
    """CSV with formulas neutralised. Plain CSV (``excel`` False) is for programs: commas
    between fields, a decimal point, no grouping of thousands. ``excel`` gives what a
    spreadsheet in the interface's language opens directly, numbers still numbers: in
    Swedish semicolons and a decimal comma, in English commas and a decimal point; both
    with a byte-order mark and without a thousands separator (which would make a number text)."""
    buffer = io.StringIO()
    frame = neutralise(frame)
    swedish = excel and lang != "en"
    frame.to_csv(
        buffer,
        index=False,
        sep=";" if swedish else ",",
        decimal="," if swedish else ".",
        quoting=csv_quoting(frame),
    )
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
    "id",
    "name",
    "kommun_kods",
    "kommuner",
    "network_id",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "funders",
    "partners",
    "theme",
    "description",
    "source",
    "certainty",
]


def projects_export(dataset) -> pd.DataFrame:
    """One row per project; kommuner as codes and names, each joined by "; "."""
    names = geo.names_by_code()
    frame = dataset.projects.assign(
        kommuner=dataset.projects["kommun_kods"].map(lambda codes: "; ".join(names[c] for c in codes)),
        kommun_kods=dataset.projects["kommun_kods"].map("; ".join),
    )
    return frame[PROJECT_EXPORT_COLUMNS].reset_index(drop=True)


def standalone_html(m) -> bytes:
    """A folium map as one HTML file that works offline: Leaflet's script and stylesheet
    (with its images) and the map's own scripts (the kommun shapes, the tooltips; see
    leaflet_assets.publish) are written into the page, so it loads nothing from anywhere."""
    import base64
    import re
    from pathlib import Path

    import xstatic.pkg.leaflet as xleaflet

    from .leaflet_assets import STATIC_URL, VENDOR_SUBDIR, published_content

    leaflet = Path(xleaflet.BASE_DIR)
    html_text = m.get_root().render()
    prefix = f"{STATIC_URL}/{VENDOR_SUBDIR}"

    def image(match: re.Match) -> str:
        data = base64.b64encode((leaflet / match.group(1)).read_bytes()).decode()
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w\-.]+\.png)\)", image, (leaflet / "leaflet.css").read_text(encoding="utf-8"))
    script = (leaflet / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    html_text = html_text.replace(f'<script src="{prefix}/leaflet.js"></script>', f"<script>{script}</script>")
    html_text = html_text.replace(f'<link rel="stylesheet" href="{prefix}/leaflet.css"/>', f"<style>{css}</style>")

    def published(match: re.Match) -> str:
        content = published_content(match.group(1))
        if content is None:
            raise RuntimeError(f"the map refers to {match.group(1)}, which this process did not make")
        return "<script>" + content.decode("utf-8").replace("</script", "<\\/script") + "</script>"

    html_text = re.sub(rf'<script src="({re.escape(STATIC_URL)}/kk/[\w\-.]+\.js)"></script>', published, html_text)
    if prefix in html_text or f"{STATIC_URL}/" in html_text:
        raise RuntimeError("the map still refers to the app's own Leaflet files")
    return html_text.encode("utf-8")


def to_excel_bytes(
    sheets: dict[str, pd.DataFrame], sources: pd.DataFrame | None = None, sources_title: str = "Källor"
) -> bytes:
    """An .xlsx workbook: one sheet per table, and a sheet of sources (``sources_title``).
    Every text cell is written as text, and one that starts like a formula is neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in {**sheets, **({sources_title: sources} if sources is not None else {})}.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in neutralise(frame).itertuples(index=False):
            sheet.append([None if (isinstance(v, float) and v != v) else v for v in row])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, even "=SUM(A1)" after the apostrophe
                elif isinstance(cell.value, numbers.Real) and not isinstance(cell.value, bool):
                    # Numbers stay numbers, grouped by thousands in the reader's own Excel
                    # (space and decimal comma in a Swedish one).
                    cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.0#####"
        for index, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def kommuner_geodata(summary: pd.DataFrame) -> gpd.GeoDataFrame:
    """The kommuner of a summary table with their boundaries (WGS 84) and attributes."""
    shapes = geo.kommuner()[["kommun_kod", "geometry"]]
    frame = shapes.merge(neutralise(summary), on="kommun_kod", how="inner")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=geo.WGS84)


def to_geopackage_bytes(gdf: gpd.GeoDataFrame, layer: str = "kommuner") -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        gdf.to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()
