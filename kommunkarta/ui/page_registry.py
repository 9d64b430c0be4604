"""The generated network pages, so that any page can link to one."""

from __future__ import annotations

_network_pages: dict = {}


def network_url_path(network_id: str) -> str:
    return "natverk-" + network_id.replace("_", "-")


def set_network_pages(pages: dict) -> None:
    """app.py registers the generated network pages so that pages can link to them."""
    _network_pages.update(pages)


def network_page_path(network_id: str):
    return _network_pages[network_id]
