"""Settings an administrator gives through the environment (or Streamlit secrets)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class TileSource:
    url: str  # an XYZ template: https://tiles.example.se/{z}/{x}/{y}.png
    attribution: str


def custom_tiles(secrets: dict | None = None) -> TileSource | None:
    """A tile server of one's own: KOMMUNKARTA_TILES_URL and KOMMUNKARTA_TILES_ATTRIBUTION,
    or [tiles] url and attribution in .streamlit/secrets.toml. None when not set."""
    url = os.environ.get("KOMMUNKARTA_TILES_URL") or (secrets or {}).get("url", "")
    if not url:
        return None
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ValueError(f"KOMMUNKARTA_TILES_URL must hold {{z}}, {{x}} and {{y}}: {url}")
    attribution = (
        os.environ.get("KOMMUNKARTA_TILES_ATTRIBUTION") or (secrets or {}).get("attribution") or url.split("/")[2]
    )
    return TileSource(url, attribution)
