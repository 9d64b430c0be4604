"""Distance to service: importers of point files, stored layers, the on-click
OpenStreetMap fetch, and the analysis (nearest facility, the 3-mil rule, vulnerable
facilities, what-if)."""
