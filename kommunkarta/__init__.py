"""Kommunkartan: which Swedish kommuner take part in which networks and projects.

The package is pure (no Streamlit import outside ``kommunkarta.ui``), so the CLI,
the tests and the dashboard pages all call the same functions.
"""

__version__ = "0.1.0"
