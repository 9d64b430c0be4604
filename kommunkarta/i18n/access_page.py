"""The service page as one query and one view (issue 21): caveats about the layers actually
chosen, figures that name their population and measure, the national grid by default, the
grid map by distance class and the network pages' access panel."""

TEXTS: dict[str, tuple[str, str]] = {
    "access_page_caption": (
        "Hur långt befolkningen har till närmaste butik eller annan service. Ljusdal vill stärka butiker där nästa butik ligger mer än 3 mil bort.",
        "How far people live from the nearest shop or other service. Ljusdal wants to strengthen shops where the next shop is more than 3 mil away.",
    ),
    "access_caveat_osm": (
        "Butikerna kommer från OpenStreetMap, som frivilliga kartlägger: hur fullständigt lagret är vet ingen. Små butiker kan saknas och stängda finnas kvar, så avstånden kan bli för långa eller för korta.",
        "The shops come from OpenStreetMap, mapped by volunteers: how complete the layer is, nobody knows. Small shops may be missing and closed ones remain, so distances may be too long or too short.",
    ),
    "access_caveat_chains": (
        "Kedjebutiksfilen har bara kedjor (ICA, Coop, Axfood, Lidl, City Gross, Direkten, Tempo): fristående lanthandlar saknas, så avstånden blir för långa där sådana finns.",
        "The chain-store file holds chains only (ICA, Coop, Axfood, Lidl, City Gross, Direkten, Tempo): independent rural shops are missing, so distances are overstated where those exist.",
    ),
    "access_caveat_file": (
        "Butikerna är lagret {title} som det lästes in: avstånden är så fullständiga som filen.",
        "The shops are the layer {title} as it was loaded: distances are as complete as the file.",
    ),
    "access_caveat_tatorter_beside": (
        "Tätorterna (ungefär 88 % av befolkningen) står bredvid rutnätet, som räknar alla.",
        "The tätorter (about 88 % of the population) stand beside the grid, which counts everyone.",
    ),
    "access_caveat_gazetteer": (
        "Orterna från GeoNames har ungefärliga invånartal och täcker inte alla som bor utanför orterna.",
        "The GeoNames places have approximate populations and do not cover everyone living outside them.",
    ),
    "access_caveat_own_origins": (
        "Invånarna räknas i lagret {title} som det lästes in.",
        "People are counted in the layer {title} as it was loaded.",
    ),
    "access_caveat_roads": (
        "Längs vägarna räknas på vägnätet {title} ({measure}); raka linjer står bredvid för jämförelse.",
        "Along the roads is computed on the road network {title} ({measure}); straight lines stand beside for comparison.",
    ),
    "access_caveat_detour": (
        "Vägavståndet är uppskattat: rak linje gånger {factor}.",
        "The road distance is estimated: straight line times {factor}.",
    ),
    "access_caveat_straight": (
        "Avstånden är fågelvägen; vägen är typiskt 1,2–1,35 gånger längre. Välj ett vägnät för avstånd längs vägarna.",
        "Distances are straight-line; roads are typically 1.2–1.35 times longer. Choose a road network for distances along the roads.",
    ),
    "access_measure_straight_beside_roads": (
        "i rak linje, bredvid avstånden längs vägarna nedan",
        "in a straight line, beside the distances along the roads below",
    ),
    "access_in_straight_line": ("i rak linje", "in a straight line"),
    "grid_class_under": ("kortare än {value} {unit}", "under {value} {unit}"),
    "grid_class_over": ("över {value} {unit}", "over {value} {unit}"),
    "access_embedded_grid_option": ("{title} (inbyggt, alla invånare)", "{title} (built in, everyone)"),
    "access_caveat_embedded_grid": (
        "Rutnätet räknar alla som har en adress med koordinat (99,75 % av befolkningen 31 december 2024). {source}.",
        "The grid counts everyone with an address with a coordinate (99.75 % of the population on 31 December 2024). {source}.",
    ),
    "access_chosen_kommuner": ("Valda kommuner", "Chosen kommuner"),
    "grid_classes_title": ("Invånare per avståndsklass", "People by distance class"),
    "grid_classes_caption": (
        "Varje rad säger vilken befolkning den räknar (rutnätet, tätorterna) och med vilket mått (km längs vägarna, minuter med bil, rak linje); andelarna i ett område summerar till 100 %.",
        "Each row says which population it counts (the grid, the tätorter) and by which measure (km along the roads, minutes by car, straight line); the shares of an area add up to 100 %.",
    ),
    "grid_classes_all": ("Alla områden (län och kommuner)", "All areas (län and kommuner)"),
    "grid_road_title": ("Längs vägarna för hela rutnätet", "Along the roads for the whole grid"),
    "grid_road_stored": (
        "Vägavståndet för rutnätets {squares} rutor räknades {when} och delas av alla; {people} invånare bor bortom {threshold} längs vägarna ({straight} i rak linje).",
        "The road distance of the grid's {squares} squares was computed {when} and is shared by everyone; {people} people live beyond {threshold} along the roads ({straight} straight line).",
    ),
    "grid_road_missing": (
        "Vägavståndet för hela rutnätet är inte räknat än för det här vägnätet och lagret; tills dess visas den raka linjen. Beräkningen görs en gång, bredvid sidan, och sparas för alla.",
        "The road distance for the whole grid has not been computed yet for this road network and layer; until then the straight line is shown. It is computed once, beside the page, and stored for everyone.",
    ),
    "grid_road_start": ("Räkna vägavståndet för hela rutnätet", "Compute the road distance for the whole grid"),
    "grid_road_progress": (
        "Räknar längs vägarna: {stage} ({percent})",
        "Computing along the roads: {stage} ({percent})",
    ),
    "grid_road_failed": (
        "Beräkningen längs vägarna misslyckades: {error}",
        "The computation along the roads failed: {error}",
    ),
    "grid_road_what_if_applied": (
        "Tänk om-ändringarna är med: bara de rutor som ändringen når räknades om längs vägarna, resten kommer från det sparade resultatet.",
        "The what-if changes are included: only the squares the change reaches were computed again along the roads, the rest come from the stored result.",
    ),
    "grid_map_choice": ("Kartan visar", "The map shows"),
    "grid_map_choice_places": ("orter och butiker", "places and shops"),
    "grid_map_choice_grid": (
        "varje befolkad ruta efter avståndsklass",
        "every populated square by distance class",
    ),
    "grid_map_click": ("Klicka på en ruta för att se dess siffror.", "Click a square to see its figures."),
    "grid_map_square": (
        "Ruta {rutid} ({kommun}): {people} invånare; närmaste butik {km} km i rak linje, näst närmaste {second} km{road}; avståndsklass {klass}.",
        "Square {rutid} ({kommun}): {people} people; nearest shop {km} km straight line, second-nearest {second} km{road}; distance class {klass}.",
    ),
    "grid_map_square_road": ("; längs vägarna {value}", "; along the roads {value}"),
    "grid_map_no_square": ("Ingen befolkad ruta där.", "No populated square there."),
    "grid_map_download": (
        "Ladda ned rutnätskartan (HTML, fungerar utan nät)",
        "Download the grid map (HTML, works offline)",
    ),
    "grid_map_drawn": (
        "{squares} befolkade rutor ritade som en bild ({kb} kB). {source}.",
        "{squares} populated squares drawn as one image ({kb} kB). {source}.",
    ),
    "network_access_title": ("Avstånd till service i medlemskommunerna", "Distance to service in the member kommuner"),
    "network_access_grid": ("Invånare bortom 3 mil (rutnät, rak linje)", "People beyond 3 mil (grid, straight line)"),
    "network_access_road": (
        "Invånare bortom 3 mil (rutnät, längs vägarna)",
        "People beyond 3 mil (grid, along the roads)",
    ),
    "network_access_tatorter": ("Invånare bortom 3 mil (SCB:s tätorter)", "People beyond 3 mil (SCB's tätorter)"),
    "network_access_vulnerable": (
        "Sårbara butiker (nästa butik bortom 3 mil)",
        "Vulnerable shops (next shop beyond 3 mil)",
    ),
    "network_access_caption": (
        "Butiker: {layer}. Befolkning: {grid}, {people} invånare i medlemskommunerna, av dem {share} bortom 3 mil. {roads}",
        "Shops: {layer}. Population: {grid}, {people} people in the member kommuner, {share} of them beyond 3 mil. {roads}",
    ),
    "network_access_roads": ("Längs vägarna: {network}.", "Along the roads: {network}."),
    "network_access_no_roads": (
        "Inget sparat vägavstånd för rutnätet ännu; räkna det på sidan Avstånd till service.",
        "No stored road distance for the grid yet; compute it on the page Distance to service.",
    ),
    "network_access_link": ("Hela analysen för nätverket", "The full analysis for the network"),
}
