"""Population development and Kolada figures (issue 23): the network page's and the
kommun profile's section, the figure picker, the slide, the workbook and the CLI."""

TEXTS: dict[str, tuple[str, str]] = {
    "problem_series_year_without_source": (
        "året {year} har ingen rad i {file} som säger var värdet lästes",
        "the year {year} has no row in {file} saying where the value was read",
    ),
    "problem_series_years_overlap": (
        "åren överlappar raden {other_row}: varje år har en enda källa",
        "the years overlap row {other_row}: each year has one source",
    ),
}
TEXTS |= {
    "fig_group_lan": ("Län: {lan} (alla kommuner)", "Län: {lan} (all kommuner)"),
    "fig_lan_n": ("{n} län", "{n} län"),
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
    "fig_index_axis": ("Index ({base} = 100)", "Index ({base} = 100)"),
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
