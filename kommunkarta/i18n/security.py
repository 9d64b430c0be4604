"""Texts of the third security round (issue 19): files refused before they are read,
readings stopped at a limit, login names, link values and stored layers."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- files refused before GDAL sees them (kommunkarta.geofile) -------------------------------
    "problem_file_is_archive": (
        "filen är ett {kind}-arkiv, inte en karta; packa upp den och läs in filen som ligger i arkivet",
        "the file is a {kind} archive, not a map; unpack it and read in the file inside",
    ),
    "problem_file_not_format": (
        "filen ska vara {expected} men är det inte (den börjar som {found}); kontrollera filändelsen",
        "the file should be {expected} but is not (it starts as {found}); check the file extension",
    ),
    "problem_gpkg_unreadable": (
        "ingen läsbar GeoPackage: {error}",
        "not a readable GeoPackage: {error}",
    ),
    "problem_gpkg_view": (
        "tabellen {table} är en vy eller virtuell tabell; bara vanliga tabeller läses (spara om lagret i QGIS)",
        "the table {table} is a view or a virtual table; only plain tables are read (save the layer again in QGIS)",
    ),
    "problem_gpkg_no_contents": (
        "filen saknar GeoPackage-tabellen gpkg_contents; den är ingen GeoPackage",
        "the file has no gpkg_contents table; it is not a GeoPackage",
    ),
    "problem_gpkg_no_geometry": (
        "lagret {table} har ingen geometrikolumn (gpkg_geometry_columns anger {column})",
        "the layer {table} has no geometry column (gpkg_geometry_columns names {column})",
    ),
    "problem_no_geometry_column": (
        "filen har ingen geometri (inga punkter, linjer eller ytor)",
        "the file has no geometry (no points, lines or areas)",
    ),
    "problem_too_many_features": (
        "filen har {n} objekt; gränsen är {limit}",
        "the file has {n} features; the limit is {limit}",
    ),
    "problem_read_too_long": (
        "läsningen avbröts efter {seconds} sekunder; dela upp filen",
        "the reading was stopped after {seconds} seconds; split the file",
    ),
    "problem_coordinate_not_finite": (
        "koordinaten {value} är oändlig eller alldeles för stor för ett läge",
        "the coordinate {value} is infinite or far too large for a place",
    ),
    "problem_coordinate_out_of_range": (
        "koordinaten ({lat}, {lon}) ligger utanför jorden (latitud högst ±90, longitud högst ±180)",
        "the coordinate ({lat}, {lon}) lies off the earth (latitude at most ±90, longitude at most ±180)",
    ),
    "problem_overpass_not_list": (
        '"elements" är ingen lista (utan {found})',
        '"elements" is not a list (but {found})',
    ),
    "problem_overpass_not_object": (
        "elementet är inget JSON-objekt (utan {found})",
        "the element is not a JSON object (but {found})",
    ),
    "problem_overpass_bad_coordinate": (
        "{value!r} är ingen koordinat",
        "{value!r} is not a coordinate",
    ),
    # -- login (storage.auth) ------------------------------------------------------------------
    "login_bad_name": (
        "Användarnamnet kan inte tas emot: högst {limit} tecken och inga styrtecken.",
        "The user name cannot be taken: at most {limit} characters and no control characters.",
    ),
    # -- stored layers (service.stored_layers) ------------------------------------------------
    "problem_layer_save_failed": (
        "lagret kunde inte sparas: {error}; inget av det sparades",
        "the layer could not be saved: {error}; nothing of it was kept",
    ),
    # -- the database URL (storage.db) -------------------------------------------------------
    "problem_db_url_nul": (
        "databasens adress har ett NUL-tecken (i {part}); rätta adressen",
        "the database address has a NUL character (in {part}); correct the address",
    ),
    "problem_db_name_too_long": (
        "databasens adress har ett {part}-namn på {n} byte; PostgreSQL tar högst {limit}: rätta adressen",
        "the database address has a {part} name of {n} bytes; PostgreSQL takes at most {limit}: correct the address",
    ),
    "problem_db_url_unreadable": (
        "databasens adress kan inte läsas: {error}",
        "the database address cannot be read: {error}",
    ),
    "database_url_wrong": (
        "Databasens adress är felaktig: {reason}. Den som driftar kartan behöver rätta den.",
        "The database address is wrong: {reason}. Whoever runs the map needs to correct it.",
    ),
}
