"""A corpus of hostile input, and the checks that what was stored comes back harmless.

Each payload belongs to a class (script tags, attribute breakouts, ...) and carries a unique
marker (`hx0001`…), so a page can be searched for *that* payload: it must be shown (when the
input was accepted) and never in a place where a browser would run it. The executable payloads
call `__xss(<marker>)`, the hook the browser test installs, so an execution is also detected
there.

`assign(fields)` spreads the corpus over fields: every field gets every class once, and within
a class the variants rotate over the fields (a Latin square), so all variants are used and no
test sends the whole product.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

_counter = itertools.count(1)


@dataclass(frozen=True)
class Payload:
    cls: str
    text: str
    marker: str
    executable: bool = True  # a payload that a browser would run if it were not escaped


def _p(cls: str, template: str, *, executable: bool = True) -> Payload:
    marker = f"hx{next(_counter):04d}"
    return Payload(cls, template.replace("MARK", marker), marker, executable)


LONG = 100_000

CORPUS: dict[str, list[Payload]] = {
    "script": [
        _p("script", "<script>__xss('MARK')</script>"),
        _p("script", "MARK<ScRiPt src=//evil.example/x.js></ScRiPt>"),
        _p("script", "</textarea><script>__xss('MARK')</script>"),
        _p("script", "</title></style><script>__xss('MARK')</script>"),
    ],
    "attribute": [
        _p("attribute", 'MARK" onmouseover="__xss(\'MARK\')" x="'),
        _p("attribute", "MARK'><img src=x onerror=__xss('MARK')>"),
        _p("attribute", 'MARK"><img src=x onerror="__xss(\'MARK\')">'),
        _p("attribute", "MARK` autofocus onfocus=__xss('MARK') `"),
    ],
    "url": [
        _p("url", "javascript:__xss('MARK')"),
        _p("url", "<a href=\"javascript:__xss('MARK')\">MARK klicka</a>"),
        _p("url", "JaVaScRiPt:__xss('MARK')//https://example.se"),
        _p("url", "data:text/html,<script>__xss('MARK')</script>"),
    ],
    "svg": [
        _p("svg", "<svg onload=__xss('MARK')>"),
        _p("svg", "<svg><script>__xss('MARK')</script></svg>"),
        _p("svg", "<math><mtext><table><mglyph><style><img src=x onerror=__xss('MARK')>"),
    ],
    "template": [
        _p("template", "MARK {{7*7}} {{ request.user.password }}", executable=False),
        _p("template", "MARK {% debug %} {% load static %}", executable=False),
        _p("template", "MARK ${7*7} #{7*7} <%= 7*7 %>", executable=False),
    ],
    "long": [
        _p("long", "MARK " + "å" * LONG, executable=False),
        _p("long", "MARK" + "<b>" * (LONG // 3), executable=False),
    ],
    "control": [
        _p("control", "MARK nul\x00byte", executable=False),
        _p("control", "MARK lone \ud800 surrogate", executable=False),
        _p("control", "MARK bell\x07 escape\x1b[31m vertical\x0b", executable=False),
    ],
    "bidi": [
        _p("bidi", "MARK faktura\u202efdp.exe", executable=False),
        _p("bidi", "MARK zero\u200bwidth\u200d\ufeffjoiner\u2060", executable=False),
        _p("bidi", "MARK \u2067isolate\u2069 \u200fRLM \u061c", executable=False),
    ],
    "formula": [
        _p("formula", '=HYPERLINK("https://evil.example/?MARK","MARK")', executable=False),
        _p("formula", "+1+cmd|' /C calc'!A0 MARK", executable=False),
        _p("formula", "-2+3 MARK", executable=False),
        _p("formula", "@SUM(1+1) MARK", executable=False),
        _p("formula", "\t=1+1 MARK", executable=False),
        _p("formula", "\r=1+1 MARK", executable=False),
    ],
    "header": [
        _p("header", "MARK\r\nBcc: victim@evil.example", executable=False),
        _p("header", "MARK\nSubject: injected", executable=False),
        _p("header", "MARK\r\n\r\n<html>body</html>", executable=False),
    ],
    "sql": [
        _p("sql", "MARK' OR '1'='1' --", executable=False),
        _p("sql", "MARK'); DROP TABLE cases_case; --", executable=False),
        _p("sql", 'MARK" UNION SELECT password FROM auth_user --', executable=False),
        _p("sql", "MARK % _ \\ ' \" ;", executable=False),
    ],
}

CLASSES = list(CORPUS)
ALL = [payload for payloads in CORPUS.values() for payload in payloads]

# Bytes that are not UTF-8 at all, for raw request bodies (a form cannot carry them as text).
INVALID_UTF8 = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]


def assign(fields: Sequence[str], cls: str, offset: int = 0) -> dict[str, Payload]:
    """The payloads of one class for these fields: each field a different variant (rotating)."""
    variants = CORPUS[cls]
    return {field: variants[(i + offset) % len(variants)] for i, field in enumerate(fields)}


def stored_form(payload: Payload) -> str:
    """What an accepting form keeps of the payload's text: Django strips the ends and turns
    `\\r\\n` into `\\n`; the marker is always kept."""
    return payload.text.replace("\r\n", "\n").strip()


# --- checking HTML ------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _Scanner(HTMLParser):
    def __init__(self, markers: Iterable[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.markers = set(markers)
        self.found: list[str] = []
        self._script: str | None = None  # the type of the <script> being read
        self.tags: list[str] = []

    def _marked(self, text: str | None) -> set[str]:
        return {m for m in self.markers if text and m in text}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            for marker in self._marked(value) | self._marked(name):
                if name.startswith("on"):
                    self.found.append(f"{marker}: event handler {name}= on <{tag}>")
                if name in URL_ATTRIBUTES and re.match(
                    r"\s*(javascript|data|vbscript):", value or "", re.I
                ):
                    self.found.append(f"{marker}: {name}={value[:40]!r} on <{tag}>")
            if name.startswith("on") and value and "__xss" in value:
                self.found.append(f"injected handler {name}={value[:60]!r} on <{tag}>")
        if tag in {"img", "svg", "iframe", "object", "embed", "math"}:
            for marker in self._marked(" ".join(f"{n}={v}" for n, v in attrs)):
                self.found.append(f"{marker}: injected <{tag}>")
        if tag == "script":
            kind = dict(attrs).get("type") or "text/javascript"
            self._script = kind
            source = dict(attrs).get("src") or ""
            if "evil.example" in source:
                self.found.append(f"injected script src={source!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None and self._script not in SAFE_SCRIPT_TYPES:
            for marker in self._marked(data):
                self.found.append(f"{marker}: inside an executable <script>")


def executed(html: str, payloads: Iterable[Payload]) -> list[str]:
    """Where in this page a browser would run one of the payloads (empty: nowhere)."""
    scanner = _Scanner(p.marker for p in payloads)
    scanner.feed(html)
    scanner.close()
    return scanner.found


def whole_page(html: str) -> bool:
    """The page's structure survived: one main landmark, and the document is complete."""
    return html.count("<main") == 1 and html.rstrip().endswith("</html>")


# --- checking CSV -------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(content: bytes, *, delimiter: str = ";") -> list[str]:
    """Cells a spreadsheet would run as formulas (empty: none)."""
    text = content.decode("utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
