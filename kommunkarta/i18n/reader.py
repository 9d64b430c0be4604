"""What a Swedish and an English reader notice (issue 24): the limits' messages (rows,
columns, cells, workbooks), the population grid importer's messages, the command
line's help, the kommun profile's map and the number formats."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- limits on what a file may cost (csv_input, uploads, importers) --------------------
    "problem_header_unreadable": ("rubrikraden kan inte läsas: {error}", "the header row cannot be read: {error}"),
    "problem_row_unreadable": ("raden kan inte läsas: {error}", "the row cannot be read: {error}"),
    "problem_too_many_rows": (
        "filen har fler än {limit} rader; dela upp den",
        "the file has more than {limit} rows; split it",
    ),
    "problem_cell_too_long": ("cellen har {n} tecken; högst {limit}", "the cell has {n} characters; at most {limit}"),
    "problem_sheet_too_many_columns": (
        "bladet har fler än {limit} kolumner",
        "the sheet has more than {limit} columns",
    ),
    "problem_sheet_too_many_rows": (
        "bladet har fler än {limit} rader; dela upp filen",
        "the sheet has more than {limit} rows; split the file",
    ),
    "problem_workbook_parts": (
        "arbetsboken har {n} delar; gränsen är {limit}",
        "the workbook has {n} parts; the limit is {limit}",
    ),
    "problem_workbook_part_size": (
        "arbetsbokens del {part} packas upp till ca {mb} MB; gränsen är {limit} MB "
        "(en jättestor cell eller ett jättestort blad) – dela upp filen",
        "the workbook's part {part} unpacks to about {mb} MB; the limit is {limit} MB "
        "(a huge cell or a huge sheet) – split the file",
    ),
    "problem_workbook_total_size": (
        "arbetsboken packas upp till ca {mb} MB; gränsen är {limit} MB – dela upp filen",
        "the workbook unpacks to about {mb} MB; the limit is {limit} MB – split the file",
    ),
    "problem_json_nested": (
        "JSON-filen är nästlad {depth} nivåer djupt; gränsen är {limit}",
        "the JSON file is nested {depth} levels deep; the limit is {limit}",
    ),
    # -- the population grid importer (service/grid.py) -----------------------------------
    "problem_grid_file_size": (
        "filen är {size} byte; gränsen är {limit}",
        "the file is {size} bytes; the limit is {limit}",
    ),
    "problem_grid_squares": ("{n} rutor; gränsen är {limit}", "{n} squares; the limit is {limit}"),
    "problem_grid_no_population": (
        "hittar ingen befolkningskolumn (t.ex. {examples})",
        "no population column found (for example {examples})",
    ),
    "problem_grid_bad_population": ("'{value}' är ingen folkmängd", "'{value}' is not a population count"),
    "problem_grid_bad_position": ("'{value}' ger inget läge", "'{value}' gives no position"),
    "problem_grid_no_geometry": ("rutan saknar geometri", "the square has no geometry"),
    "problem_grid_empty_squares": (
        "{n} rutor utan befolkning sparades inte",
        "{n} squares without population were not stored",
    ),
    "problem_grid_empty_squares_one": (
        "1 ruta utan befolkning sparades inte",
        "1 square without population was not stored",
    ),
    "problem_grid_outside_sweden": (
        "rutan {id} ligger mer än {km} km från Sverige",
        "the square {id} lies more than {km} km from Sweden",
    ),
    "problem_grid_unreadable": ("kunde inte läsa filen: {error}", "could not read the file: {error}"),
    "problem_grid_no_crs": (
        "filen anger inget koordinatsystem; tolkas som SWEREF 99 TM",
        "the file states no coordinate system; read as SWEREF 99 TM",
    ),
    "problem_grid_no_columns": (
        "hittar varken x/y (SWEREF 99 TM), lat/lon eller SCB:s rut-id (rutid_scb, rutid_inspire)",
        "finds neither x/y (SWEREF 99 TM), lat/lon nor SCB's square ids (rutid_scb, rutid_inspire)",
    ),
    "problem_grid_no_size": (
        "ingen rutstorlek (rutstorl) angiven; 1 000 m antas",
        "no square size (rutstorl) given; 1,000 m assumed",
    ),
    # -- the kommun profile's map ---------------------------------------------------------
    "kommun_map_title": ("Karta", "Map"),
    "kommun_map_caption": (
        "Kommunen (markerad), de andra medlemmarna i dess nätverk i nätverkens färger som på översiktskartan, "
        "den närmaste medlemmen i varje nätverk (streckad linje från centralorten, fågelvägen) och kommunens "
        "platser och gruvor med kända koordinater.",
        "The kommun (outlined), the other members of its networks in the networks' colours as on the overview "
        "map, the nearest member of each network (dashed line from the kommun's seat, straight line) and the "
        "kommun's places and mines with known coordinates.",
    ),
    "kommun_map_unlocated": (
        "Utan koordinater, därför inte på kartan: {names}.",
        "Without coordinates, so not on the map: {names}.",
    ),
    "map_nearest_layer": ("Närmaste medlem", "Nearest member"),
    "map_nearest": (
        "Närmaste medlem i {network}: {name}, {km} km fågelvägen",
        "Nearest member in {network}: {name}, {km} km in a straight line",
    ),
    "map_places_and_mines": ("Platser och gruvor", "Places and mines"),
    # -- the command line's messages (cli/, common.say) --------------------------------
    "cli_msg_no_file": ("{file}: filen finns inte", "{file}: the file does not exist"),
    "cli_msg_notice": ("obs: {text}", "note: {text}"),
    "cli_msg_conflict": (
        "konflikt: {table} {key} ändrades av någon annan",
        "conflict: {table} {key} was changed by someone else",
    ),
    "cli_msg_imported": ("importerat som ändring {batch}: {counts}", "imported as change {batch}: {counts}"),
    "cli_msg_rows_in": ("{path}: {rows} rader", "{path}: {rows} rows"),
    "cli_msg_password_short": ("välj ett lösenord på minst 12 tecken", "choose a password of at least 12 characters"),
    "cli_msg_password_differ": ("lösenorden är inte lika", "the passwords differ"),
    "cli_msg_undone": ("ändring {undone} ångrad som ändring {batch}", "change {undone} undone as change {batch}"),
    "cli_msg_no_folder": ("{folder}: mappen finns inte", "{folder}: the folder does not exist"),
    "cli_msg_problems": ("{n} problem; giltiga rader: {counts}", "{n} problems; valid rows: {counts}"),
    "cli_msg_no_file_or_layer": (
        "kommunkarta: {source}: ingen sådan fil eller sparat lager",
        "kommunkarta: {source}: no such file or stored layer",
    ),
    "cli_msg_grid_file_or_scb": (
        "kommunkarta import-grid: ange antingen en fil eller --scb",
        "kommunkarta import-grid: give either a file or --scb",
    ),
    "cli_msg_no_such_file": ("kommunkarta: {path}: ingen sådan fil", "kommunkarta: {path}: no such file"),
    "cli_msg_rows_to": ("{rows} rader till {output}", "{rows} rows to {output}"),
    "cli_msg_multiples_format": (
        "kommunkarta export map: --small-multiples ger PNG eller SVG",
        "kommunkarta export map: --small-multiples gives PNG or SVG",
    ),
    "cli_msg_bytes_to": ("{size} byte till {output}", "{size} bytes to {output}"),
    "cli_msg_slides_to": ("{n} bilder till {output}", "{n} slides to {output}"),
    "cli_msg_warning": ("varning: {text}", "warning: {text}"),
    # -- the command line's help (cli/; translate_parser matches the Swedish text) -------
    "cli_description": (
        "Kommunkartan: kommuner i nätverk och projekt.",
        "Kommunkartan: Swedish municipalities (kommuner) in networks and projects.",
    ),
    "cli_run": (
        "starta dashboarden (övriga argument går vidare till streamlit run)",
        "start the dashboard (other arguments go on to streamlit run)",
    ),
    "cli_validate": (
        "validera datafilerna; skriver fil:rad:fält: fel",
        "validate the data files; prints file:row:field: error",
    ),
    "cli_export": ("exportera data", "export data"),
    "cli_profile": (
        "allt om en kommun: nätverk, projekt, grannar, närmaste medlemmar",
        "everything about a kommun: networks, projects, neighbours, nearest members",
    ),
    "cli_service_access": (
        "avstånd fågelvägen från varje ort till närmaste service",
        "straight-line distance from every place to the nearest service",
    ),
    "cli_vulnerable": (
        "butiker vars närmaste andra butik ligger bortom tröskeln",
        "shops whose nearest other shop lies beyond the threshold",
    ),
    "cli_import_grid": (
        "spara ett befolkningsrutnät (SCB:s statistik på rutor) som lager för avståndssidan",
        "store a population grid (SCB's grid statistics) as a layer for the distance page",
    ),
    "cli_roads": ("vägnät för avstånd längs vägarna", "road networks for distances along the roads"),
    "cli_db": (
        "databasen: uppgradera, importera, exportera, historik",
        "the database: upgrade, import, export, history",
    ),
    "cli_hash_password": (
        "skriv ut en lösenordshash för [editing.users] i .streamlit/secrets.toml",
        "print a password hash for [editing.users] in .streamlit/secrets.toml",
    ),
    "cli_user_name": ("användarnamnet, t.ex. anna", "the user name, for example anna"),
    "cli_db_upgrade": (
        "skapa eller uppgradera databasens tabeller (och fyll en ny databas från data/)",
        "create or upgrade the database's tables (and fill a new database from data/)",
    ),
    "cli_db_import": (
        "importera en CSV- eller Excel-fil: alla rader eller ingen",
        "import a CSV or Excel file: all rows or none",
    ),
    "cli_db_export": ("skriv tabellerna som CSV i data/-formatet", "write the tables as CSV in the data/ format"),
    "cli_db_history": ("de senaste ändringarna", "the latest changes"),
    "cli_db_undo": ("ångra en ändring (dess nummer i historiken)", "undo a change (its number in the history)"),
    "cli_db_table": (
        "tabellen filen gäller (standard: filens eller bladets namn, annars kolumnerna)",
        "the table the file is for (default: the file's or sheet's name, else its columns)",
    ),
    "cli_db_replace": (
        "filen blir hela tabellen: rader som saknas i filen tas bort",
        "the file becomes the whole table: rows missing from the file are removed",
    ),
    "cli_db_dry_run": ("visa vad som skulle ändras, men skriv inget", "show what would change, but write nothing"),
    "cli_db_user": (
        "vem som står för ändringen i historiken (standard: $USER)",
        "who the history names for the change (default: $USER)",
    ),
    "cli_roads_import": (
        "läs ett vägnät ur en OSM-fil (.osm.pbf) eller en GeoPackage med linjer",
        "read a road network from an OSM file (.osm.pbf) or a GeoPackage of lines",
    ),
    "cli_roads_list": ("de sparade vägnäten", "the stored road networks"),
    "cli_roads_title": (
        "namnet vägnätet sparas under (standard: filens namn)",
        "the name the road network is stored under (default: the file's name)",
    ),
    "cli_roads_layer": ("lagret i en GeoPackage med flera lager", "the layer in a GeoPackage of several layers"),
    "cli_grid_path": (
        "GeoPackage, GeoJSON eller CSV med rutor eller punkter",
        "GeoPackage, GeoJSON or CSV with squares or points",
    ),
    "cli_grid_scb": (
        "hämta SCB:s 1 km-rutor 2025 från SCB:s öppna WFS (kräver internet)",
        "fetch SCB's 1 km squares 2025 from SCB's open WFS (needs the internet)",
    ),
    "cli_grid_title": ("lagrets namn", "the layer's name"),
    "cli_facilities": (
        "punktfil (CSV, GeoJSON, GeoPackage, Overpass JSON) eller id för ett sparat lager",
        "point file (CSV, GeoJSON, GeoPackage, Overpass JSON) or the id of a stored layer",
    ),
    "cli_origins": (
        "orter i stället för rutorna (en rad per ort): punktfil med befolkning, ett sparat lager, 'tatorter' (SCB:s tätorter 2020, inbyggda) eller 'gazetteer' (orter från GeoNames). Utan --origins och --grid: en rad per befolkad ruta i SCB:s inbyggda rutnät 2024, tätorterna bredvid",
        "places instead of the squares (one row per place): a point file with population, a stored layer, 'tatorter' (SCB's tätorter 2020, built in) or 'gazetteer' (places from GeoNames). Without --origins and --grid: one row per populated square of SCB's built-in grid 2024, the tätorter beside it",
    ),
    "cli_grid": (
        "befolkningsrutnät (SCB:s statistik på rutor som GeoPackage/GeoJSON/CSV, eller ett sparat rutnätslager) i stället för det inbyggda (SCB 1 km 2024); 'none' för inget rutnät",
        "population grid (SCB's grid statistics as GeoPackage/GeoJSON/CSV, or a stored grid layer) instead of the built-in one (SCB 1 km 2024); 'none' for no grid",
    ),
    "cli_classes": (
        "skriv också befolkningen per avståndsklass (per kommun, län och för Sverige) som CSV hit",
        "also write the population by distance class (per kommun, län and for Sweden) as CSV here",
    ),
    "cli_per_kommun": (
        "skriv också tabellen per kommun (rutnätets summa bredvid SCB:s folkmängd, med skillnaden) som CSV hit",
        "also write the table per kommun (the grid's sum beside SCB's population, with the gap) as CSV here",
    ),
    "cli_classes_lang": ("språket i --classes-filen", "the language of the --classes file"),
    "cli_layers": (
        "servicelager för avståndssidan: importera, hämta, lista",
        "service layers for the distance page: import, fetch, list",
    ),
    "cli_layers_import": (
        "spara en punktfil (CSV, GeoJSON, GeoPackage, Overpass JSON) som servicelager för alla",
        "store a point file (CSV, GeoJSON, GeoPackage, Overpass JSON) as a service layer for everyone",
    ),
    "cli_layers_fetch": (
        "hämta livsmedelsbutiker från OpenStreetMap (Overpass; kräver internet) och spara dem som servicelager",
        "fetch grocery shops from OpenStreetMap (Overpass; needs the internet) and store them as a service layer",
    ),
    "cli_layers_list": ("de sparade lagren", "the stored layers"),
    "cli_layers_kommun": (
        "kommunernas namn eller koder (standard: hela Sverige)",
        "the kommuner's names or codes (default: all of Sweden)",
    ),
    "cli_layers_network": (
        "ett nätverks id: dess svenska medlemskommuner",
        "a network's id: its Swedish member kommuner",
    ),
    "cli_layers_fetch_title": (
        "lagrets namn (standard: OpenStreetMap och området)",
        "the layer's name (default: OpenStreetMap and the area)",
    ),
    "cli_layers_title": ("lagrets namn (standard: filens namn)", "the layer's name (default: the file's name)"),
    "cli_layers_kind": ("typ för punkter utan egen typ, t.ex. grocery", "the kind of points without one, e.g. grocery"),
    "cli_figures": (
        "hur det går för ett nätverks medlemmar: folkmängd, Kolada-tal",
        "how a network's members are doing: population, Kolada figures",
    ),
    "cli_figures_population": (
        "folkmängd: varje medlem, medlemmarna tillsammans, länen, övriga och riket, med förändringen",
        "population: each member, the members together, the län, the rest and Sweden, with the change",
    ),
    "cli_figures_kolada": (
        "ett nyckeltal ur Kolada (hämtas om det inte redan finns sparat)",
        "a key figure from Kolada (fetched unless it is stored already)",
    ),
    "cli_figures_kpi": ("Koladas id, t.ex. N07530", "Kolada's id, e.g. N07530"),
    "cli_figures_years": (
        "år: 2015-2024 eller 2018,2020 (standard: 2015-2024)",
        "years: 2015-2024 or 2018,2020 (default: 2015-2024)",
    ),
    "cli_figures_network": (
        "nätverkets id: medlemmarna mot länen, övriga och riket",
        "the network's id: the members against the län, the rest and Sweden",
    ),
    "cli_figures_from": ("förändring från år (standard: första)", "change from the year (default: the first)"),
    "cli_figures_to": ("förändring till år (standard: sista)", "change to the year (default: the last)"),
    "cli_kind": (
        "bara dessa typer av service, kommaseparerade (t.ex. grocery)",
        "only these kinds of service, comma-separated (for example grocery)",
    ),
    "cli_detour": (
        "omvägsfaktor för uppskattat vägavstånd (1.0 = fågelvägen)",
        "detour factor for an estimated road distance (1.0 = straight line)",
    ),
    "cli_roads_option": (
        "ett sparat vägnät (id) eller en .osm.pbf/.gpkg-fil: avstånd längs vägarna",
        "a stored road network (id) or an .osm.pbf/.gpkg file: distances along the roads",
    ),
    "cli_measure": (
        "med --roads: närmast i km eller i minuter bilväg",
        "with --roads: nearest in km or in minutes by car",
    ),
    "cli_threshold_minutes": ("tröskeln med --measure minutes", "the threshold with --measure minutes"),
    "cli_kommun": (
        "kommunens namn eller kod, t.ex. Kiruna, 'Falu kommun' eller 2584",
        "the kommun's name or code, for example Kiruna, 'Falu kommun' or 2584",
    ),
    "cli_export_memberships": ("en rad per kommun och nätverk", "one row per kommun and network"),
    "cli_export_projects": ("en rad per projekt", "one row per project"),
    "cli_export_map": ("en karta som PNG, SVG eller fristående HTML", "a map as PNG, SVG or standalone HTML"),
    "cli_export_deck": (
        "en PowerPoint-presentation, en bild per nätverk",
        "a PowerPoint presentation, one slide per network",
    ),
    "cli_networks": ("nätverkens id, kommaseparerade", "the networks' ids, comma-separated"),
    "cli_network": ("nätverkets id (se data/networks.csv)", "the network's id (see data/networks.csv)"),
    "cli_kommun_option": ("kommunens namn eller kod", "the kommun's name or code"),
    "cli_multiples": (
        "en liten karta per nätverk, sida vid sida (PNG eller SVG); nätverkens id kommaseparerade, utan: alla",
        "a small map per network, side by side (PNG or SVG); the networks' ids comma-separated, without: all",
    ),
    "cli_output": ("fil att skriva (standard: standard ut)", "file to write (default: standard output)"),
    "cli_data_dir": ("mapp med datafilerna (standard: data/)", "folder with the data files (default: data/)"),
    "cli_lang": (
        "felens språk (standard: miljöns, annars sv)",
        "the errors' language (default: the environment's, else sv)",
    ),
    "cli_unknown_arguments": ("okända argument: {args}", "unknown arguments: {args}"),
}


def parser_texts(parser) -> list[tuple[object, str, str]]:
    """Every help text and description of an argparse parser and its subcommands, as
    (holder, attribute, text): the command line's help, which ``translate_parser`` puts
    into English."""
    import argparse

    found, seen, todo = [], set(), [parser]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.description:
            found.append((current, "description", current.description))
        for action in current._actions:
            if action.help and action.help is not argparse.SUPPRESS and not isinstance(action, argparse._HelpAction):
                found.append((action, "help", action.help))
            if isinstance(action, argparse._SubParsersAction):
                found += [(choice, "help", choice.help) for choice in action._choices_actions if choice.help]
                todo += list(action.choices.values())
    return found


def translate_parser(parser, lang: str) -> None:
    """The command line's help in ``lang``: in English each Swedish help text becomes its
    ``cli_*`` translation. A text without one is left in Swedish (a test finds it)."""
    from . import TEXTS

    if lang != "en":
        return
    english = {sv: en for key, (sv, en) in TEXTS.items() if key.startswith("cli_")}
    for holder, attribute, text in parser_texts(parser):
        setattr(holder, attribute, english.get(text, text))
