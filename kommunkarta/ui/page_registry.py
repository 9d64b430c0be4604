"""The dashboard's pages, registered by app.py, so that any page can link to another
by name (a file path would be relative to whichever script Streamlit started)."""

from __future__ import annotations

_pages: dict = {}
_network_pages: dict = {}


def set_pages(pages: dict) -> None:
    _pages.update(pages)


def page(name: str):
    """The page of ``app_pages/<name>.py``, for st.page_link and st.switch_page."""
    return _pages[name]


def network_url_path(network_id: str) -> str:
    return "natverk-" + network_id.replace("_", "-")


def set_network_pages(pages: dict) -> None:
    """app.py registers the generated network pages so that pages can link to them."""
    _network_pages.update(pages)


def network_page_path(network_id: str):
    return _network_pages[network_id]
