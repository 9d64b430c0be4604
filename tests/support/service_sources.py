"""query.Sources over plain frames, for tests and benchmarks of the service page's view:
the given shops, the embedded tätorter and the embedded national grid."""

from __future__ import annotations

import pandas as pd

from kommunkarta.service import analysis, defaults
from kommunkarta.service.view import Population


class PlainSources:
    def __init__(self, shops: pd.DataFrame):
        self.shops = shops

    def facilities(self, layer, kinds):
        return analysis.Facilities.build(analysis.facilities_of_kinds(self.shops, kinds))

    def population(self, kind, title, layer):
        if kind == "grid":
            return Population(kind, title, defaults.population_grid())
        return Population(kind, title, analysis.with_xy(defaults.tatort_origins()))

    def official_population(self):
        return None
