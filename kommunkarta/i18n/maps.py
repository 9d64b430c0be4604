"""Maps: layers, legends, small multiples and the map exports."""

TEXTS: dict[str, tuple[str, str]] = {
    "map_help": (
        "Klicka på en kommun för att se dess nätverk och projekt. Lagren kan slås av och på uppe till höger.",
        "Click a kommun to see its networks and projects. Layers can be switched on and off at the top right.",
    ),
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
    "map_osm_attribution": ("© OpenStreetMap-bidragsgivare", "© OpenStreetMap contributors"),
    # --- Issue 15: readable maps, small multiples, presentation layout (maps15) ---
    "map_multi_head": ("I flera nätverk", "In several networks"),
    "map_no_network": ("Inget nätverk i urvalet", "No network in the selection"),
    "map_dots": (
        "En punkt per nätverk i nätverkets färg (ring: sannolik eller obekräftad)",
        "One dot per network in its colour (ring: likely or unverified)",
    ),
    "map_lines_head": ("Kanter", "Outlines"),
    "map_view": ("Visa", "Show"),
    "map_view_map": ("Karta", "Map"),
    "map_view_multiples": ("En karta per nätverk", "One map per network"),
    "multiples_title": ("Nätverken sida vid sida", "The networks side by side"),
    "multiples_members": ("{n} kommuner deltar", "{n} kommuner taking part"),
    "multiples_members_one": ("1 kommun deltar", "1 kommun taking part"),
    "multiples_caption": (
        "En liten karta per valt nätverk: fyllt = medlem enligt källan, randigt = sannolik eller obekräftad, "
        "kant = inbjuden, exempel eller mötesvärd. Antalet är svenska kommuner som deltar.",
        "One small map per selected network: filled = member as the source states, striped = likely or "
        "unverified, outline = invited, example or meeting host. The count is Swedish kommuner taking part.",
    ),
    "multiples_empty": ("Inget nätverk i urvalet.", "No network in the selection."),
    "download_multiples_png": ("En karta per nätverk (PNG)", "One map per network (PNG)"),
    "download_multiples_svg": ("En karta per nätverk (SVG)", "One map per network (SVG)"),
    "present_multiples": ("Alla nätverk sida vid sida", "All networks side by side"),
    "present_screen_auto": ("Fönstrets höjd", "Window height"),
    "map_first_wait": (
        "Filtren och resten av sidan visas när kartan har ritats.",
        "The filters and the rest of the page appear once the map is drawn.",
    ),
    "map_first_show_now": ("Visa dem nu", "Show them now"),
}
