"""What a network page and a kommun profile show: pure functions on the data."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, fields

import geopandas as gpd
import pandas as pd

from . import distances, gazetteer, geo
from .loader import Dataset
from .selection import KommunDetail, kommun_detail

# Kommuner whose boundaries come closer than this are neighbours (the simplified
# boundaries leave slivers between some that touch).
NEIGHBOUR_GAP_M = 200


@dataclass(frozen=True)
class NetworkFigures:
    members_sweden: int
    members_abroad: int
    population: int
    area_km2: float
    lan: tuple[str, ...]


@dataclass(frozen=True)
class Network:
    """One row of the networks table. ``name`` and ``short_name`` are in the language the
    dataset names its networks in (see Dataset.in_language); the Swedish ones stay as
    ``name_sv``/``short_name_sv`` of the English dataset's table."""

    id: str
    name: str
    short_name: str
    name_en: str
    short_name_en: str
    kind: str
    organiser: str
    funder: str
    start: str
    end: str
    description: str
    unknowns: str
    related_to: str
    color: str
    source: str
    certainty: str

    @classmethod
    def from_row(cls, row: Mapping) -> Network:
        return cls(**{f.name: _text(row.get(f.name)) for f in fields(cls)})


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def network(ds: Dataset, network_id: str) -> Network:
    """The network's record; a KeyError that names the known ids for an unknown one."""
    rows = ds.networks[ds.networks["id"] == network_id]
    if rows.empty:
        raise KeyError(f"okänt nätverk '{network_id}'; välj bland {', '.join(ds.networks['id'])}")
    return Network.from_row(rows.iloc[0].to_dict())


@dataclass(frozen=True)
class NetworkView:
    """Everything a network page, its exports and its presentation slide show, built once."""

    network: Network
    relations: pd.DataFrame  # every relation to the network, members first
    figures: NetworkFigures
    related: tuple[tuple[Network, pd.DataFrame], ...]  # related programmes and their relations
    points: pd.DataFrame  # members at their seats (Swedish) and municipal centres (abroad)
    places: pd.DataFrame
    projects: pd.DataFrame
    distances: distances.NetworkDistances | None
    mine_hosts: pd.DataFrame | None  # for a mining network: kommuner with mines beside the members
    mines: pd.DataFrame | None  # for a mining network: the mines layer (linked to no network)
    facts: pd.DataFrame  # figures and facts the sources give, in the view's language

    @property
    def foreign_points(self) -> pd.DataFrame:
        return self.points[self.points["country"] != "SE"]


def network_view(
    ds: Dataset, table: pd.DataFrame, network_id: str, seats: pd.DataFrame | None = None, lang: str = "sv"
) -> NetworkView:
    """The view of one network. ``seats`` (gazetteer.kommun_seats) may be passed in to
    spare recomputing them."""
    own = network(ds, network_id)
    seats = gazetteer.kommun_seats(ds.seats) if seats is None else seats
    points = distances.member_points(table, network_id, seats, ds.centres)
    related = tuple(
        (network(ds, other), table[table["network_id"] == other])
        for other in related_networks(ds, network_id)["id"]
        if other != network_id
    )
    return NetworkView(
        network=own,
        relations=network_members(table, network_id),
        figures=network_figures(table, network_id),
        related=related,
        points=points,
        places=network_places(ds, network_id),
        projects=network_projects(ds, network_id, table),
        distances=distances.network_distances(table, network_id, points),
        mine_hosts=mine_hosts(ds, table, network_id) if own.kind == "mining" else None,
        mines=mines(ds) if own.kind == "mining" else None,
        facts=network_facts(ds, network_id, lang),
    )


def network_members(table: pd.DataFrame, network_id: str) -> pd.DataFrame:
    """Every relation to the network, members first, then other relations."""
    rows = table[table["network_id"] == network_id]
    return rows.sort_values(["takes_part", "country", "kommun"], ascending=[False, True, True])


def network_figures(table: pd.DataFrame, network_id: str) -> NetworkFigures:
    part = table[(table["network_id"] == network_id) & table["takes_part"]]
    swedish = part[part["country"] == "SE"].drop_duplicates("kommun_kod")
    return NetworkFigures(
        members_sweden=len(swedish),
        members_abroad=part.loc[part["country"] != "SE", "name"].nunique(),
        population=int(swedish["population"].fillna(0).sum()),
        area_km2=float(swedish["area_km2"].sum()),
        lan=tuple(sorted(swedish["lan"].dropna().unique())),
    )


def related_networks(ds: Dataset, network_id: str) -> pd.DataFrame:
    """Programmes recorded as related to this network, and the network it relates to."""
    own = ds.networks.set_index("id").loc[network_id, "related_to"]
    return ds.networks[(ds.networks["related_to"] == network_id) | (ds.networks["id"] == own)]


def network_projects(ds: Dataset, network_id: str, table: pd.DataFrame) -> pd.DataFrame:
    """Projects of the network, and projects its Swedish members run outside any network."""
    members = set(table.loc[(table["network_id"] == network_id) & table["takes_part"], "kommun_kod"])
    own = ds.projects["network_id"] == network_id
    of_members = (ds.projects["network_id"] == "") & ds.projects["kommun_kods"].map(
        lambda codes: bool(members & set(codes))
    )
    return ds.projects[own | of_members]


def network_places(ds: Dataset, network_id: str) -> pd.DataFrame:
    return ds.places[ds.places["network_id"] == network_id]


def mines(ds: Dataset) -> pd.DataFrame:
    """The mines in data/places: a layer of their own, linked to no network (no source
    links a mine to a network of kommuner)."""
    return ds.places[ds.places["kind"] == "mine"]


_ABOUT = {"sv": "ca", "en": "about"}


def network_facts(ds: Dataset, network_id: str, lang: str = "sv") -> pd.DataFrame:
    """The figures and facts the sources give about the network (data/facts.csv), each
    with its source and certainty. ``figure`` marks a count to show as a key figure;
    ``text`` is the value as shown ("ca 17" for the source's "ett 17-tal")."""
    facts = ds.facts[ds.facts["network_id"] == network_id]
    label = facts["label_en"].where((facts["label_en"] != "") & (lang == "en"), facts["label"])
    note = facts["note_en"].where((facts["note_en"] != "") & (lang == "en"), facts["note"])
    text = [
        f"{_ABOUT[lang]} {v}" if about else v for v, about in zip(facts["value"], facts["approximate"], strict=True)
    ]
    return facts.assign(label=label, note=note, text=text, figure=facts["value"].str.fullmatch(r"\d+"))


def mine_hosts(ds: Dataset, table: pd.DataFrame, network_id: str) -> pd.DataFrame:
    """Kommuner with a mine in data/places beside the network's participants: which
    host mines, which take part, and which do both."""
    mines = ds.places[ds.places["kind"] == "mine"].explode("kommun_kods").dropna(subset=["kommun_kods"])
    hosts = mines.groupby("kommun_kods")["name"].agg(lambda n: ", ".join(sorted(n)))
    members = set(table.loc[(table["network_id"] == network_id) & table["takes_part"], "kommun_kod"])
    codes = sorted(set(hosts.index) | members)
    names = geo.names_by_code()
    return pd.DataFrame(
        {
            "kommun_kod": codes,
            "kommun": [names[c] for c in codes],
            "mines": [hosts.get(c, "") for c in codes],
            "takes_part": [c in members for c in codes],
        }
    ).sort_values(["takes_part", "kommun"], ascending=[False, True])


@functools.cache
def _neighbour_pairs() -> dict[str, tuple[str, ...]]:
    shapes = geo.kommuner()[["kommun_kod", "geometry"]].to_crs(geo.SWEREF99TM)
    grown = shapes.assign(geometry=shapes.buffer(NEIGHBOUR_GAP_M / 2))
    pairs = gpd.sjoin(grown, grown, predicate="intersects")
    pairs = pairs[pairs["kommun_kod_left"] != pairs["kommun_kod_right"]]
    return {code: tuple(sorted(group)) for code, group in pairs.groupby("kommun_kod_left")["kommun_kod_right"]}


def neighbours(kommun_kod: str) -> list[str]:
    """Codes of the kommuner that border this one."""
    return list(_neighbour_pairs().get(kommun_kod, ()))


def nearest_fellow_members(ds: Dataset, table: pd.DataFrame, kommun_kod: str, seats: pd.DataFrame) -> pd.DataFrame:
    """For each network the kommun takes part in: the nearest other member and the
    straight-line distance between their seats, with both seats' positions (``lat``,
    ``lon`` of the kommun's seat; ``nearest_lat``, ``nearest_lon``) for the map."""
    own = table[(table["kommun_kod"] == kommun_kod) & table["takes_part"]]["network_id"].unique()
    name = geo.names_by_code()[kommun_kod]
    rows = []
    for network_id in own:
        points = distances.member_points(table, network_id, seats, ds.centres)
        if len(points) < 2 or name not in set(points["name"]):
            continue
        nearest = distances.nearest_other(distances.distance_matrix_km(points)).set_index("name").loc[name]
        at = points.drop_duplicates("name").set_index("name")
        other = nearest["nearest"]
        rows.append(
            (
                network_id,
                ds.network(network_id)["name"],
                other,
                float(nearest["km"]),
                at.loc[name, "lat"],
                at.loc[name, "lon"],
                at.loc[other, "lat"],
                at.loc[other, "lon"],
            )
        )
    columns = ["network_id", "network_name", "nearest", "km", "lat", "lon", "nearest_lat", "nearest_lon"]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class KommunProfile(KommunDetail):
    """What the profile page and `kommunkarta profile` show about one kommun."""

    neighbours: list[str]
    seat: str
    seat_rule: str
    seat_source: str
    nearest_members: pd.DataFrame


def kommun_profile(
    ds: Dataset, table: pd.DataFrame, kommun_kod: str, seats: pd.DataFrame | None = None
) -> KommunProfile:
    """``seats`` (from gazetteer.kommun_seats) may be passed in to spare recomputing them."""
    seats = gazetteer.kommun_seats(ds.seats) if seats is None else seats
    detail = kommun_detail(ds, table, kommun_kod)
    names = geo.names_by_code()
    seat = seats.set_index("kommun_kod").loc[kommun_kod]
    return KommunProfile(
        **vars(detail),
        neighbours=[names[c] for c in neighbours(kommun_kod)],
        seat=seat["seat"],
        seat_rule=seat["rule"],
        seat_source=seat["seat_source"],
        nearest_members=nearest_fellow_members(ds, table, kommun_kod, seats),
    )


def network_catalogue(ds: Dataset, table: pd.DataFrame) -> pd.DataFrame:
    """Every network with the number of kommuner (Swedish and abroad) taking part."""
    members = table[table["takes_part"]].groupby("network_id")["kommun"].nunique()
    return ds.networks.assign(members=ds.networks["id"].map(members).fillna(0).astype(int))


def overlap_matrix(table: pd.DataFrame, networks: pd.DataFrame) -> pd.DataFrame:
    """Kommuner (Swedish) taking part in both networks, for every pair; the diagonal is
    each network's own count."""
    part = table[table["takes_part"] & (table["country"] == "SE")][["network_id", "kommun_kod"]].drop_duplicates()
    incidence = pd.crosstab(part["kommun_kod"], part["network_id"]).clip(upper=1)
    order = [n for n in networks["id"] if n in incidence.columns]
    incidence = incidence[order]
    return incidence.T @ incidence


def network_combinations(table: pd.DataFrame, networks: pd.DataFrame) -> pd.DataFrame:
    """UpSet-style: each distinct set of networks that some kommuner share, with the
    kommuner and how many; largest sets of networks first."""
    part = table[table["takes_part"] & (table["country"] == "SE")]
    short = networks.set_index("id")["short_name"]
    per_kommun = part.groupby(["kommun_kod", "kommun"])["network_id"].agg(
        lambda s: tuple(sorted(set(s), key=list(short.index).index))
    )
    frame = per_kommun.reset_index()
    combos = (
        frame.groupby("network_id")
        .agg(kommuner=("kommun", lambda k: ", ".join(sorted(k))), count=("kommun", "size"))
        .reset_index()
    )
    combos["networks"] = combos["network_id"].map(len)
    combos["combination"] = combos["network_id"].map(lambda ids: " + ".join(short[i] for i in ids))
    return combos.sort_values(["networks", "count"], ascending=False)[
        ["combination", "networks", "count", "kommuner", "network_id"]
    ].reset_index(drop=True)


def profile_as_dict(profile: KommunProfile) -> dict:
    """The profile in plain types, for JSON and for text."""
    memberships = profile.memberships
    return {
        "kommun_kod": profile.kommun_kod,
        "kommun": profile.kommun,
        "lan": profile.lan,
        "fa_region": profile.fa_namn,
        "population": profile.population,
        "area_km2": round(profile.area_km2, 1),
        "seat": {"name": profile.seat, "rule": profile.seat_rule, "source": profile.seat_source},
        "neighbours": profile.neighbours,
        "memberships": [
            {
                "network_id": r.network_id,
                "network_name": r.network_name,
                "role": r.role,
                "takes_part": bool(r.takes_part),
                "since": r.since,
                "until": r.until,
                "certainty": r.certainty,
                "source": r.source,
            }
            for r in memberships.itertuples()
        ],
        "nearest_fellow_members": [
            {"network_id": r.network_id, "network_name": r.network_name, "nearest": r.nearest, "km": round(r.km, 1)}
            for r in profile.nearest_members.itertuples()
        ],
        "projects": [
            {
                "id": r.id,
                "name": r.name,
                "start": r.start,
                "end": r.end,
                "funders": r.funders,
                "certainty": r.certainty,
                "source": r.source,
            }
            for r in profile.projects.itertuples()
        ],
        "places": [
            {"id": r.id, "name": r.name, "kind": r.kind, "precision": r.precision, "source": r.source}
            for r in profile.places.itertuples()
        ],
    }


def profile_as_text(profile: dict) -> str:
    """The profile as plain Swedish text for the terminal."""
    from .format import period, swedish_decimal, swedish_int
    from .vocab import CERTAINTIES, ROLES

    lines = [
        f"{profile['kommun']} ({profile['kommun_kod']}), {profile['lan']}, FA-region {profile['fa_region']}",
        f"Folkmängd {swedish_int(profile['population'])} (31 dec 2025), yta {swedish_int(round(profile['area_km2']))} km²",
        f"Säte: {profile['seat']['name']} ({profile['seat']['source']})",
        f"Grannkommuner: {', '.join(profile['neighbours']) or '–'}",
        "",
        "Nätverk:",
    ]
    for m in profile["memberships"]:
        known = period(m["since"], m["until"]) if (m["since"] or m["until"]) else "period okänd"
        certainty = "" if m["certainty"] == "stated" else f" [{CERTAINTIES[m['certainty']][0]}]"
        lines.append(f"  - {m['network_name']}: {ROLES[m['role']][0]}, {known}{certainty}")
        lines.append(f"      källa: {m['source']}")
    if not profile["memberships"]:
        lines.append("  (inga)")
    if profile["nearest_fellow_members"]:
        lines += ["", "Närmaste medlem i samma nätverk (fågelvägen):"]
        for n in profile["nearest_fellow_members"]:
            lines.append(f"  - {n['network_name']}: {n['nearest']}, {swedish_decimal(n['km'], 0)} km")
    lines += ["", "Projekt:"]
    for p in profile["projects"]:
        lines.append(f"  - {p['name']} ({period(p['start'], p['end'])}); källa: {p['source']}")
    if not profile["projects"]:
        lines.append("  (inga)")
    if profile["places"]:
        lines += ["", "Platser:"]
        for p in profile["places"]:
            lines.append(f"  - {p['name']} ({p['kind']}, koordinat: {p['precision']}); källa: {p['source']}")
    return "\n".join(lines)
