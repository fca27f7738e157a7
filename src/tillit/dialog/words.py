"""Word frequencies for the big screen, merged across Swedish inflection.

Words are lower-cased, stop words and banned words dropped, and counted by their Snowball stem,
so "delaktighet", "delaktigheten" and "Delaktigheter" count as one word; the word shown is the
most common surface form of that stem (ties: the shortest, then the first alphabetically). See
docs/decisions/0800-dialog-stems-and-channel-layer.md for why stems and not a lemma dictionary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from tillit.core.stemming import stem

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
MIN_LENGTH = 2

# Swedish function words (the Snowball project's list, with a few meeting fillers added).
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke
    mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från
    ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt
    mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några
    deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje vilka
    ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas också även mer mest bara
    ska får få finns alltså typ liksom gärna väl
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

# Words never shown on the big screen, whoever types them; extend with TILLIT_DIALOG_BANNED_WORDS.
BANNED_WORDS = frozenset({"fan", "jävla", "jävlar", "helvete", "skit", "fitta", "kuk", "hora"})


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int


def _banned() -> frozenset[str]:
    extra = {w.strip().lower() for w in getattr(settings, "TILLIT_DIALOG_BANNED_WORDS", [])}
    words = BANNED_WORDS | extra
    return frozenset(words | {stem(w) for w in words})


def tokens(text: str) -> list[str]:
    """The counted words of one text, lower-cased, in order."""
    banned = _banned()
    found = []
    for match in WORD.finditer(text.lower()):
        word = match.group(0)
        if len(word) < MIN_LENGTH or word in STOP_WORDS or word in banned:
            continue
        if stem(word) in banned:
            continue
        found.append(word)
    return found


def frequencies(texts: Iterable[str], *, limit: int = 40) -> list[WordCount]:
    """The most frequent words of `texts`, most frequent first, each stem once."""
    by_stem: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for word in tokens(text):
            key = stem(word)
            by_stem[key] += 1
            forms[key][word] += 1
    result = []
    for key, count in by_stem.items():
        shown = min(forms[key].items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
        result.append(WordCount(word=shown, count=count))
    result.sort(key=lambda wc: (-wc.count, wc.word))
    return result[:limit]
