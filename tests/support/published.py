"""What a browser gets of a map: the page and the scripts it loads from the app (the
kommun shapes and tooltip texts published under /app/static/kk/)."""

from __future__ import annotations

import re

from kommunkarta.outputs import leaflet_assets


def with_published(html: str) -> str:
    """The page followed by every published script it loads."""
    urls = sorted(set(re.findall(r'src="(/app/static/kk/[^"]+\.js)"', html)))
    assert urls, "the map loads no published script"
    return html + "".join((leaflet_assets.published_content(url) or b"").decode() for url in urls)


def js_unescaped(text: str) -> str:
    """JavaScript's \\uXXXX escapes read back (also \\\\uXXXX, inside a JSON string that a
    script parses): what the escapes stand for, so that a check sees any markup they hide."""
    return re.sub(r"\\{1,2}u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
