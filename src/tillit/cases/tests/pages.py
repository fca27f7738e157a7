"""Reading pages the way a person does: the text, and the parts of the page it is in."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse


def text_of(markup: str) -> str:
    """Markup without tags, entities resolved and white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def page_text(response: HttpResponse) -> str:
    return text_of(response.content.decode())


def parts(response: HttpResponse, css_class: str) -> list[str]:
    """The text of each `<li>`, `<tr>` or `<article>` carrying this class (they do not nest)."""
    markup = response.content.decode()
    found = re.findall(
        rf'<(li|tr|article)\b[^>]*class="[^"]*\b{re.escape(css_class)}\b[^"]*"[^>]*>(.*?)</\1>',
        markup,
        flags=re.S,
    )
    return [text_of(inner) for _tag, inner in found]
