"""Text from the data, an upload or the URL as Markdown that shows it as written.

Streamlit renders most text as Markdown (titles, captions, alerts, metric labels,
help): ``[a](http://x)`` would be a link, ``![t](http://x/p.png)`` an image fetched
from another host, ``$…$`` mathematics and ``:red[…]`` colour. ``md`` escapes every
ASCII punctuation character with a backslash, which CommonMark shows as the character
itself; line breaks are kept.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def md(value) -> str:
    """``value`` as Markdown text that renders as exactly that text."""
    return _PUNCTUATION.sub(r"\\\1", "" if value is None else str(value))
