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
from functools import lru_cache

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
    return _banned_with(tuple(getattr(settings, "TILLIT_DIALOG_BANNED_WORDS", [])))


@lru_cache(maxsize=8)
def _banned_with(configured: tuple[str, ...]) -> frozenset[str]:
    words = BANNED_WORDS | {w.strip().lower() for w in configured}
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
    tally = Tally()
    for index, text in enumerate(texts):
        tally.set(str(index), text)
    return tally.top(limit)


class Tally:
    """Word frequencies kept up to date text by text, so a screen's update does not recount
    every text of the session (decision 0802). Texts are keyed ("n12" a note, "a3" a table's
    answer, "f7" a success factor); setting a key again replaces its words, and None removes
    them. Each key keeps the version it was set at, so a late or repeated change is ignored."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[int, list[tuple[str, str]]]] = {}
        self._by_stem: Counter[str] = Counter()
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)

    def __len__(self) -> int:
        return sum(1 for _version, words in self._texts.values() if words)

    def set(self, key: str, text: str | None, version: int = 0) -> bool:
        """False when the change was heard already or is older than what is kept."""
        before = self._texts.get(key)
        if before is not None:
            if before[0] >= version and version:  # heard already, or older than what is
                return False
            for key_stem, word in before[1]:
                self._by_stem[key_stem] -= 1
                self._forms[key_stem][word] -= 1
                if not self._by_stem[key_stem]:
                    del self._by_stem[key_stem], self._forms[key_stem]
                elif not self._forms[key_stem][word]:
                    del self._forms[key_stem][word]
        words = [(stem(word), word) for word in tokens(text)] if text else []
        self._texts[key] = (version, words)
        for key_stem, word in words:
            self._by_stem[key_stem] += 1
            self._forms[key_stem][word] += 1
        return True

    def top(self, limit: int = 40) -> list[WordCount]:
        """As `frequencies` of the same texts."""
        if not self._by_stem:
            return []
        # Only stems that can make the list need their shown form (ties at the cut included).
        counts = sorted(self._by_stem.values(), reverse=True)
        least = counts[min(limit, len(counts)) - 1]
        result = []
        for key_stem, count in self._by_stem.items():
            if count < least:
                continue
            forms = self._forms[key_stem]
            shown = min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
            result.append(WordCount(word=shown, count=count))
        result.sort(key=lambda wc: (-wc.count, wc.word))
        return result[:limit]
