"""How a network's members are doing (issue 23): population development from the
curated series, and any Kolada figure fetched on a click, for a network, a selection
of the overview's filters or one kommun, against Sweden, their län and the rest.

No Streamlit here. One frozen query object gives one view (``population_view``,
``kolada_view``); the pages cache views by their query.
"""

from .kolada_figures import KoladaQuery, KoladaView, is_share, kolada_view
from .population import (
    GROUPS,
    PopulationQuery,
    PopulationView,
    kommun_query,
    network_query,
    population_view,
    selection_query,
)

__all__ = [
    "GROUPS",
    "KoladaQuery",
    "KoladaView",
    "PopulationQuery",
    "PopulationView",
    "is_share",
    "kolada_view",
    "kommun_query",
    "network_query",
    "population_view",
    "selection_query",
]
