"""Fetches from web services, only on a user's click: the one HTTP client
(``client``), Overpass (``overpass``), SCB's WFS (``scb``) and Kolada (``kolada``).
Nothing here imports Streamlit."""
