"""Show what people typed as plain text: escaped, line breaks kept, web links clickable."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Matched on the escaped text, so a link ends at a space, a tag or an escaped quote.
_LINK = re.compile(r"https?://(?:(?!&#34;|&#39;|&lt;|&gt;)[^\s<])+")
_TRAILING = ".,;:!?)]'\""


def _link(match: re.Match) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in _TRAILING:
        url, tail = url[:-1], url[-1] + tail
    return f'<a href="{url}" rel="nofollow noopener noreferrer" target="_blank">{url}</a>{tail}'


def plain_text(body: str) -> Markup:
    """Return `body` as safe HTML: escaped, with http(s) links turned into links."""
    return Markup(_LINK.sub(_link, str(escape(body))))


def excerpt(body: str, length: int = 140) -> str:
    """Return the start of `body` on one line, cut at a word, for lists and mails."""
    flat = " ".join(body.split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
