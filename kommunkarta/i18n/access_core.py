"""Distance to service, the package and command-line side of issue 21: the embedded
population grid, the figures by distance class, road distance over the grid and the
``layers`` commands."""

TEXTS: dict[str, tuple[str, str]] = {
    # The figures by distance class (service.figures)
    "fig_col_level": ("Nivå", "Level"),
    "fig_col_area": ("Kod", "Code"),
    "fig_col_area_name": ("Område", "Area"),
    "fig_col_population": ("Befolkning", "Population"),
    "fig_col_basis": ("Mått", "Measure"),
    "fig_col_class": ("Avståndsklass", "Distance class"),
    "fig_col_places": ("Rutor eller orter", "Squares or places"),
    "fig_col_people": ("Invånare", "People"),
    "fig_col_share": ("Andel", "Share"),
    "fig_col_people_70": ("Invånare 70 år och äldre", "People aged 70 and over"),
    "fig_col_share_70": ("Andel av 70 år och äldre", "Share of people aged 70 and over"),
    "fig_level_sweden": ("Sverige", "Sweden"),
    "fig_level_lan": ("Län", "County"),
    "fig_level_kommun": ("Kommun", "Municipality"),
    "fig_level_network": ("Nätverk", "Network"),
    "fig_sweden": ("Sverige", "Sweden"),
    "fig_basis_road_km": ("km längs vägarna", "km along the roads"),
    "fig_basis_road_minutes": ("minuter med bil", "minutes by car"),
    "fig_basis_straight_km": ("km fågelvägen", "km straight line"),
    "fig_basis_detour_km": ("km fågelvägen × omvägsfaktor", "km straight line × detour factor"),
    "fig_no_connection": ("ingen vägförbindelse", "no road connection"),
    # The grid beside SCB's kommun population
    "access_grid_gap_reason": (
        "Rutnätets summa per kommun är inte kommunens folkmängd: rutnätet avser 31 december 2024, saknar personer "
        "utan koordinat (0,25 % av befolkningen) och rutorna förs till den kommun där rutans mittpunkt ligger inom "
        "förenklade kommungränser, så en ruta nära gränsen kan räknas i grannkommunen (upp till cirka ±45 % i några "
        "små eller täta kommuner, median 1,00).",
        "The grid's sum per municipality is not the municipality's population: the grid is of 31 December 2024, "
        "leaves out people without a coordinate (0.25 % of the population), and squares go to the municipality "
        "their centre lies in within simplified boundaries, so a square near a border can be counted in the "
        "neighbour (up to about ±45 % in a few small or dense municipalities, median 1.00).",
    ),
    # Road distance over the grid, computed once (service.road_grid)
    "road_grid_stage_load": ("läser vägnätet", "loading the road network"),
    "road_grid_stage_snap": ("knyter rutorna till vägnätet", "snapping the squares to the roads"),
    "road_grid_stage_routing": ("söker närmaste butik längs vägarna", "finding the nearest shop along the roads"),
    "road_grid_stage_squares": ("räknar rutornas avstånd", "computing the squares' distances"),
    "road_grid_stage_second": ("söker näst närmaste butik", "finding the second-nearest shop"),
    "road_grid_stage_write": ("sparar resultatet för alla", "storing the result for everyone"),
    "road_grid_stage_queued": ("väntar", "waiting"),
    "road_grid_stage_done": ("klart", "done"),
}
