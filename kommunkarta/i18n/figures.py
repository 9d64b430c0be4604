"""Population development and Kolada figures (issue 23): the network page's and the
kommun profile's section, the figure picker, the slide, the workbook and the CLI."""

TEXTS: dict[str, tuple[str, str]] = {
    "problem_series_year_without_source": (
        "året {year} har ingen rad i {sources} som säger var värdet lästes",
        "the year {year} has no row in {sources} saying where the value was read",
    ),
    "problem_series_years_overlap": (
        "åren överlappar raden {other_row}: varje år har en enda källa",
        "the years overlap row {other_row}: each year has one source",
    ),
}
TEXTS |= {
    "fig_group_lan": ("Län: {lan} (alla kommuner)", "Län: {lan} (all kommuner)"),
    "fig_lan_n": ("{n} län", "{n} counties (län)"),
    "fig_group_rest": ("Övriga kommuner", "The other kommuner"),
    "fig_group_sweden": ("Riket", "Sweden"),
    "fig_kolada_source": (
        "Källa: Kolada, {id} {title}, {years} (hämtad {fetched})",
        "Source: Kolada, {id} {title}, {years} (fetched {fetched})",
    ),
}
TEXTS |= {
    "fig_no_data": ("År utan uppgift", "Years without data"),
    "fig_chart_index": ("Folkmängd: {label}, index ({base} = 100)", "Population: {label}, index ({base} = 100)"),
    "fig_chart_people": ("Folkmängd: {label}, invånare", "Population: {label}, people"),
    "fig_index_axis": ("Indextal ({base} = 100)", "Index ({base} = 100)"),
    "fig_population_source": (
        "Källa: SCB, folkmängd 31 december per kommun med dagens gränser (BE0101; data/population_series_sources.csv).",
        "Source: SCB, population on 31 December per kommun on today's borders (BE0101; data/population_series_sources.csv).",
    ),
    "fig_population_likely": (
        "Åren {first}–{last}: sannolik (inte kontrollerade mot rikets summa).",
        "Years {first}–{last}: likely (not checked against Sweden's total).",
    ),
    "fig_gaps": ("Uppgift saknas för {years}: luckor, inte utjämnade.", "No data for {years}: gaps, not interpolated."),
    "fig_sweden_kolada": ("Riket enligt Kolada", "Sweden according to Kolada"),
    "fig_shown_weighted": (
        "Gruppvärden vägda med kommunernas folkmängd (andel av invånarna); Koladas ovägda medel står i tabellen.",
        "Group values weighted by the kommuner's population (a share of the people); Kolada's unweighted mean is in the table.",
    ),
    "fig_shown_mean": (
        "Gruppvärden som Kolada räknar dem: ovägt medel av kommunerna som har ett värde.",
        "Group values as Kolada computes them: the unweighted mean of the kommuner that have a value.",
    ),
}
TEXTS |= {
    "fig_col_kind": ("Rad", "Row"),
    "fig_col_group": ("Grupp", "Group"),
    "fig_col_label": ("Namn", "Name"),
    "fig_col_kommuner": ("Antal kommuner", "Number of kommuner"),
    "fig_col_from_year": ("Från år", "From year"),
    "fig_col_from": ("Folkmängd från", "Population from"),
    "fig_col_to_year": ("Till år", "To year"),
    "fig_col_to": ("Folkmängd till", "Population to"),
    "fig_col_change": ("Förändring (invånare)", "Change (people)"),
    "fig_col_change_pct": ("Förändring (%)", "Change (%)"),
    "fig_col_year": ("År", "Year"),
    "fig_col_population": ("Folkmängd 31 dec", "Population 31 Dec"),
    "fig_col_index": ("Indextal", "Index"),
    "fig_col_kpi": ("Nyckeltal (Kolada-id)", "Key figure (Kolada id)"),
    "fig_col_kpi_title": ("Nyckeltalets titel", "Key figure's title"),
    "fig_col_gender": ("Kön (T = totalt)", "Gender (T = total)"),
    "fig_col_mean": ("Ovägt medel (Koladas sätt)", "Unweighted mean (Kolada's way)"),
    "fig_col_count": ("Kommuner med värde", "Kommuner with a value"),
    "fig_col_weighted": ("Befolkningsvägt medel", "Population-weighted mean"),
    "fig_col_kolada_sweden": ("Riket enligt Kolada", "Sweden according to Kolada"),
    "fig_col_value": ("Värde", "Value"),
    "fig_col_rank": ("Rang (1 = högst)", "Rank (1 = highest)"),
    "fig_col_rank_of": ("av kommuner med värde", "of kommuner with a value"),
    "fig_col_what": ("Uppgift", "What"),
    "fig_kind_group": ("grupp", "group"),
    "fig_kind_member": ("medlem", "member"),
    "fig_population_what": ("Folkmängd 31 december {year}", "Population 31 December {year}"),
    "fig_kolada_certainty": ("som Kolada anger", "as Kolada gives it"),
    "fig_sheet_change": ("Folkmängd förändring", "Population change"),
    "fig_sheet_series": ("Folkmängd per år", "Population by year"),
    "fig_sheet_kolada": ("Kolada grupper", "Kolada groups"),
    "fig_sheet_kolada_members": ("Kolada medlemmar", "Kolada members"),
    "fig_nothing_to_export": ("Inga tal att exportera", "No figures to export"),
    "fig_change_between": ("Förändring {start}–{end}:", "Change {start}–{end}:"),
    "fig_slide_population": ("Folkmängd: {label}", "Population: {label}"),
}
TEXTS |= {
    "fig_map_no_value": ("Inget värde", "No value"),
    "fig_population_title": (
        "Hur går det för medlemmarna? Folkmängd över tid",
        "How are the members doing? Population over time",
    ),
    "fig_population_none": (
        "Ingen folkmängdsserie för de här kommunerna (data/population_series.csv saknas eller har inga värden för dem).",
        "No population series for these kommuner (data/population_series.csv is missing or has no values for them).",
    ),
    "fig_base_year": ("Basår (index = 100)", "Base year (index = 100)"),
    "fig_from_year": ("Förändring från", "Change from"),
    "fig_to_year": ("till", "to"),
    "fig_measure": ("Visa", "Show"),
    "fig_measure_index": ("Indextal", "Index"),
    "fig_measure_people": ("Invånare", "People"),
    "fig_change_help": ("{change} invånare {start}–{end}", "{change} people {start}–{end}"),
    "fig_abroad_not_counted": (
        "{n} medlemmar utanför Sverige ingår inte: serien gäller svenska kommuner.",
        "{n} members outside Sweden are not included: the series covers Swedish kommuner.",
    ),
    "fig_missing": ("Utan värden i serien: {names}.", "Without values in the series: {names}."),
    "fig_members_change": (
        "Varje medlem, förändring {start}–{end} (klicka på en rubrik för att sortera)",
        "Each member, change {start}–{end} (click a heading to sort)",
    ),
    "fig_sources_title": ("Källor och säkerhet per år", "Sources and certainty by year"),
    "fig_col_years": ("År", "Years"),
    "fig_kolada_title": ("Valfritt nyckeltal från Kolada", "Any key figure from Kolada"),
    "fig_kolada_intro": (
        "Sök bland Koladas nyckeltal och hämta ett för alla kommuner. Inget frågas hos Kolada (api.kolada.se) förrän du klickar; svaret sparas och delas.",
        "Search Kolada's key figures and fetch one for all kommuner. Nothing is asked of Kolada (api.kolada.se) until you click; the answer is kept and shared.",
    ),
    "fig_kolada_unavailable": (
        "Kolada-hämtningen finns inte i den här versionen.",
        "Fetching from Kolada is not available in this version.",
    ),
    "fig_kolada_suggestions": (
        "Förslag för nätverkets slag (sökningar i Koladas titlar eller nyckeltal):",
        "Suggestions for the network's kind (searches in Kolada's titles, or key figures):",
    ),
    "fig_kolada_search": ("Sök i nyckeltalens titlar", "Search the key figures' titles"),
    "fig_kolada_search_button": ("Sök i Kolada", "Search Kolada"),
    "fig_kolada_searching": ("Söker i Kolada …", "Searching Kolada …"),
    "fig_kolada_no_hits": ("Inga nyckeltal med det i titeln.", "No key figure with that in its title."),
    "fig_kolada_pick": ("Nyckeltal", "Key figure"),
    "fig_kolada_years": ("År", "Years"),
    "fig_kolada_fetch": ("Hämta {id} för alla kommuner", "Fetch {id} for all kommuner"),
    "fig_kolada_fetching": ("Hämtar från Kolada …", "Fetching from Kolada …"),
    "fig_kolada_failed": (
        "Hämtningen misslyckades: {error} Det som hämtats tidigare visas fortfarande.",
        "The fetch failed: {error} What was fetched before is still shown.",
    ),
    "fig_kolada_empty": ("Kolada har inga värden för {id} åren {years}.", "Kolada has no values for {id} in {years}."),
    "fig_kolada_gender": (
        "Nyckeltalet finns bara per kön; visat: {gender}.",
        "The key figure is given by gender only; shown: {gender}.",
    ),
    "fig_tab_chart": ("Över tid", "Over time"),
    "fig_tab_map": ("Karta", "Map"),
    "fig_tab_members": ("Medlemmarna", "The members"),
    "fig_tab_groups": ("Grupperna per år", "The groups by year"),
    "fig_download_xlsx": ("Talen som Excel (med källor)", "The figures as Excel (with sources)"),
    "fig_download_png": ("Folkmängdsdiagrammet (PNG)", "The population chart (PNG)"),
}
TEXTS |= {"fig_present_step": ("Folkmängd: {network}", "Population: {network}")}
TEXTS |= {
    "fig_suggest_population_change": ("Befolkningsförändring", "Population change"),
    "fig_suggest_employment": ("Förvärvsarbetande", "Employment rate"),
    "fig_suggest_median_income": ("Medianinkomst", "Median income"),
    "fig_suggest_tax_base": ("Skattekraft", "Tax base"),
    "fig_suggest_N07530": ("N07530: inom 2 km till dagligvarubutik", "N07530: within 2 km of a grocery shop"),
    "fig_suggest_N07531": ("N07531: barn inom 2 km till skola", "N07531: children within 2 km of a school"),
}
TEXTS |= {
    "fig_selection_toggle": (
        "Visa folkmängdens utveckling för kommunerna i urvalet",
        "Show the population development of the kommuner in the selection",
    ),
    "fig_selection_label": ("Kommunerna i urvalet", "The kommuner in the selection"),
}
TEXTS |= {
    "fig_download_kolada_map_png": ("Kartan över nyckeltalet (PNG)", "The key figure's map (PNG)"),
    "fig_download_kolada_map_html": (
        "Kartan över nyckeltalet (interaktiv HTML)",
        "The key figure's map (interactive HTML)",
    ),
}
