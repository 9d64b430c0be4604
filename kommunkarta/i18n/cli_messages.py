"""The command line's messages (kommunkarta/cli/, printed through ``common.say``): what a
command tells its user on standard error or standard output, in Swedish and English.
Amounts come in already written in the run's language (``common.amount``)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- shared (common.py, access.py) --------------------------------------------------
    "cli_msg_no_database": ("kan inte öppna databasen {db}: {err}", "cannot open the database {db}: {err}"),
    "cli_msg_outside_sweden": (
        "{file}: {n} punkter utanför Sverige lämnades utanför",
        "{file}: {n} points outside Sweden were left out",
    ),
    "cli_msg_none": ("inga", "none"),
    # -- curated.py ---------------------------------------------------------------------
    "cli_msg_counts": (
        "{networks} nätverk, {memberships} medlemskap, {projects} projekt, {places} platser",
        "{networks} networks, {memberships} memberships, {projects} projects, {places} places",
    ),
    # -- layers.py ----------------------------------------------------------------------
    "cli_msg_points": ("{n} punkter", "{n} points"),
    "cli_msg_layers_no_file": (
        "kommunkarta layers import: {file}: ingen sådan fil",
        "kommunkarta layers import: {file}: no such file",
    ),
    "cli_msg_layers_too_big": (
        "kommunkarta layers import: {file}: filen är {size} byte; gränsen är {limit}",
        "kommunkarta layers import: {file}: the file is {size} bytes; the limit is {limit}",
    ),
    "cli_msg_no_network_id": (
        "kommunkarta layers fetch-shops: inget nätverk med id {network}",
        "kommunkarta layers fetch-shops: no network with id {network}",
    ),
    "cli_msg_osm_progress": ("OpenStreetMap {n} av {total} …", "OpenStreetMap {n} of {total} …"),
    # -- roads.py -----------------------------------------------------------------------
    "cli_msg_nodes": ("{n} noder", "{n} nodes"),
    "cli_msg_road_stage_ways": ("vägar lästa", "ways read"),
    "cli_msg_road_stage_nodes": ("noder", "nodes"),
    "cli_msg_road_stage_graph": ("kanter i vägnätet", "edges in the road network"),
    "cli_msg_of_total": (" av {total}", " of {total}"),
    "cli_msg_road_imported": (
        "{id}: {nodes} noder, {edges} kanter ({oneway} enkelriktade, {ferry} färjor), {km} km väg; OSM-tid {time}",
        "{id}: {nodes} nodes, {edges} edges ({oneway} one-way, {ferry} ferries), {km} km of road; OSM time {time}",
    ),
    "cli_msg_unknown_time": ("okänd", "unknown"),
    "cli_msg_road_setup": (
        "service: {n} punkter; längs vägarna ({network}), tröskel {threshold} {unit}; {attribution}",
        "service: {n} points; along the roads ({network}), threshold {threshold} {unit}; {attribution}",
    ),
    "cli_msg_road_squares_beyond": (
        "{beyond} av {total} rutor ({people_beyond} invånare) bortom tröskeln längs vägarna"
        " (räknat i {title}: {people} invånare); fågelvägen bortom {km} km: {straight} invånare",
        "{beyond} of {total} squares ({people_beyond} inhabitants) beyond the threshold along the roads"
        " (counted in {title}: {people} inhabitants); in a straight line beyond {km} km: {straight} inhabitants",
    ),
    "cli_msg_road_tatorter_beside": (
        "bredvid: {beyond} av {total} tätorter ({people_beyond} invånare) bortom tröskeln längs vägarna"
        " (räknat i SCB:s tätorter 2020)",
        "beside: {beyond} of {total} tätorter ({people_beyond} inhabitants) beyond the threshold along the roads"
        " (counted in SCB's tätorter 2020)",
    ),
    "cli_msg_road_places_beyond": (
        "{beyond} av {total} orter ({people_beyond} invånare) bortom tröskeln; {lost} utan vägförbindelse,"
        " {far} mer än 2 km från en väg",
        "{beyond} of {total} places ({people_beyond} inhabitants) beyond the threshold; {lost} without a road"
        " connection, {far} more than 2 km from a road",
    ),
    "cli_msg_population_lost_counts": ("population_lost räknar {origins}", "population_lost counts {origins}"),
    "cli_msg_road_isolated": (
        "{isolated} av {total} har närmaste andra punkt längs vägarna bortom tröskeln; {note}",
        "{isolated} of {total} have their nearest other point along the roads beyond the threshold; {note}",
    ),
    "cli_msg_grid_none_needs_origins": (
        "kommunkarta: --grid none kräver --origins",
        "kommunkarta: --grid none needs --origins",
    ),
    "cli_msg_road_computing": (
        "räknar avståndet längs vägarna för {n} rutor (en gång; sparas)",
        "computing the distance along the roads for {n} squares (once; stored)",
    ),
    "cli_msg_road_stored": ("sparat resultat från {at}", "stored result from {at}"),
    # -- service.py ---------------------------------------------------------------------
    "cli_msg_places_source": ("orter: {source}", "places: {source}"),
    "cli_msg_facilities": (
        "service: {n} punkter ({counts}); avstånd fågelvägen × {detour}, tröskel {threshold} km",
        "service: {n} points ({counts}); straight-line distance × {detour}, threshold {threshold} km",
    ),
    "cli_msg_isolated": (
        "{isolated} av {total} har närmaste andra punkt bortom tröskeln",
        "{isolated} of {total} have their nearest other point beyond the threshold",
    ),
    "cli_msg_population_lost": (
        "population_lost räknar {origins}; population_lost_grid räknar {grid}",
        "population_lost counts {origins}; population_lost_grid counts {grid}",
    ),
    "cli_msg_unit_squares": ("rutor", "squares"),
    "cli_msg_unit_places": ("orter", "places"),
    "cli_msg_old_people": ("; 70 år och äldre: {beyond} av {total}", "; 70 and older: {beyond} of {total}"),
    "cli_msg_people_beyond": (
        "{beyond} av {total} {unit} ({people_beyond} invånare) bortom tröskeln (räknat i {title}: {people} invånare{old})",
        "{beyond} of {total} {unit} ({people_beyond} inhabitants) beyond the threshold"
        " (counted in {title}: {people} inhabitants{old})",
    ),
    "cli_msg_squares_progress": ("{n} av {total} rutor", "{n} of {total} squares"),
    "cli_msg_grid_saved": (
        "sparade {n} befolkade rutor ({people} invånare) som lagret '{id}'",
        "saved {n} populated squares ({people} inhabitants) as the layer '{id}'",
    ),
    # -- figures.py ---------------------------------------------------------------------
    "cli_msg_no_population_series": (
        "ingen folkmängdsserie för nätverket {network}",
        "no population series for the network {network}",
    ),
    "cli_msg_year_missing": (
        "{option} {asked}: året saknas i serien; närmaste år med värden, {used}, används",
        "{option} {asked}: the year is missing from the series; the nearest year with values, {used}, is used",
    ),
    "cli_msg_years_format": (
        "--years {years}: skriv t.ex. 2015-2024 eller 2018,2020",
        "--years {years}: write e.g. 2015-2024 or 2018,2020",
    ),
    # -- db.py --------------------------------------------------------------------------
    "cli_msg_schema_empty": ("(tomt)", "(empty)"),
    "cli_msg_seeded": ("; fylld från data/ (ändring {batch})", "; filled from data/ (change {batch})"),
    "cli_msg_change_counts": (
        "{insert} nya, {update} ändrade, {delete} borttagna",
        "{insert} new, {update} changed, {delete} removed",
    ),
    "cli_msg_unchanged": ("{counts}, {n} oförändrade", "{counts}, {n} unchanged"),
    "cli_msg_nothing_imported_errors": (
        "inget importerades: {n} fel ({counts} om felen rättas)",
        "nothing was imported: {n} errors ({counts} once the errors are corrected)",
    ),
    "cli_msg_dry_run": ("provkörning: {counts}", "dry run: {counts}"),
    "cli_msg_nothing_to_change": ("inget att ändra: {counts}", "nothing to change: {counts}"),
    "cli_msg_nothing_imported": ("inget importerades", "nothing was imported"),
    "cli_msg_changed_meanwhile": (
        "{table} {key} ändrades av någon annan under tiden",
        "{table} {key} was changed by someone else meanwhile",
    ),
    "cli_msg_cannot_undo": ("kan inte ångra", "cannot undo"),
    "cli_msg_changed_after": (
        "{table} {key} har ändrats efter ändring {batch}; ångra den senare ändringen först",
        "{table} {key} has been changed after change {batch}; undo the later change first",
    ),
    "cli_msg_conflict_line": ("konflikt: {text}", "conflict: {text}"),
    "cli_msg_undone_by": (" [ångrad av {batch}]", " [undone by {batch}]"),
    "cli_msg_password_prompt": ("Lösenord: ", "Password: "),
    "cli_msg_password_again": ("Samma lösenord igen: ", "The same password again: "),
    "cli_msg_secrets_hint": (
        "# Lägg till i .streamlit/secrets.toml:",
        "# Add to .streamlit/secrets.toml:",
    ),
}
