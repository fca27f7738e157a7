"""Swedish-aware catalogue search as you type (decision 0420).

Each case type keeps a precomputed search field, `search_document`, written whenever it is saved
(and by a data migration for the rows that existed before): the words of its name and public name,
then `|`, then the words of its keywords and synonyms, lower-cased, with diacritics folded (å ä →
a, ö → o, é → e) and each word's Swedish Snowball stem beside it, framed by spaces, e.g.
`" forskola forskol plats plat ko | barnomsorg dagis "`.

A query word is lower-cased and stemmed the same way, so "bygglovet" looks for `bygglov`, and
"forskola" typed without ö looks for `forskol`, which starts the stored `forskola`. A word matches
a stored word it starts (type-ahead: "bygg" finds "Bygglov"); a word of four letters or more also
matches inside a word, for Swedish compounds ("tjänst" finds "Hemtjänst"). Every word of the query
must match the name or the keywords; a match in the name ranks above one in the keywords, and a
name that starts with the first word ranks first. The database filters on the one short column with
LIKE and computes nothing else per row; the few matching rows are ranked in Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tillit.core.stemming import stem

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8
# A query word this long may also match inside a stored word (Swedish compounds).
INFIX_FROM = 4

# Swedish function words (the Snowball project's stop list, shortened): typed in a search box
# they would otherwise have to match a name ("bygglov för altan").
STOP_WORDS = frozenset(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
    några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
    vilka ditt vem vilket vart dina vars vårt våra ert era vill
    """.split()  # noqa: SIM905 - a word list reads better as prose
)
VOWELS = frozenset("aeiouyåäö")


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """Lower-case without diacritics: "Förskola" → "forskola", "Café" → "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The lower-case words of `text`, stop words left out."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def _terms_of(texts: tuple[str, ...]) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            found[fold(word)] = None
            found[fold(stem(word))] = None
    return list(found)


def document(*, names: tuple[str, ...], keywords: str) -> str:
    """The stored search field: the names' words, each folded and with its folded stem, then
    `|`, then the keywords' the same way, all framed by spaces: `" forskola forskol | dagis "`."""
    return f" {' '.join(_terms_of(names))} | {' '.join(_terms_of((keywords,)))} "


def split(stored: str) -> tuple[str, str]:
    """A stored search field's name part and keyword part, each framed by spaces."""
    name_part, _bar, keyword_part = stored.partition(" |")
    return f"{name_part} ", keyword_part


@dataclass(frozen=True)
class Term:
    """One query word as the search looks for it: the folded prefixes it may start (the stem, and
    for a definite form in -n also the stem without it) and whether it may match inside words."""

    prefixes: tuple[str, ...]
    infix: bool


def _prefixes(word: str) -> tuple[str, ...]:
    found = {fold(stem(word))}
    # Snowball leaves some definite forms alone: the -n of nouns in -a ("förskolan", "gatan")
    # and -et after some consonants ("larmet"). Try without them too.
    if len(word) > 4 and word.endswith("n") and word[-2] in VOWELS:
        found.add(fold(stem(word[:-1])))
    if len(word) > 5 and word.endswith(("en", "et")):
        found.add(fold(stem(word[:-2])))
    # A stem is a prefix of its word, so the shortest prefix matches everything the others do.
    shortest = min(found, key=len)
    return tuple(p for p in sorted(found) if p == shortest or not p.startswith(shortest))


def terms(text: str) -> list[Term]:
    """The query's words as terms (at most eight); empty when nothing searchable was typed."""
    typed = WORD.findall(text.lower())
    kept = [w for w in typed if w not in STOP_WORDS] or typed
    result = []
    for word in kept[:MAX_WORDS]:
        prefixes = _prefixes(word)
        result.append(Term(prefixes=prefixes, infix=min(len(p) for p in prefixes) >= INFIX_FROM))
    return result


def score(terms: list[Term], stored: str) -> int:
    """How well a type's stored search field matches the terms: per term 6 when it starts a word
    of the name, 3 a keyword, 2 inside a name word, 1 inside a keyword; 10 more when the name
    starts with the first term."""
    in_name, in_keywords = split(stored)
    total = 10 if any(in_name.startswith(f" {p}") for p in terms[0].prefixes) else 0
    for term in terms:
        best = 0
        for prefix in term.prefixes:
            if f" {prefix}" in in_name:
                best = max(best, 6)
            elif f" {prefix}" in in_keywords:
                best = max(best, 3)
            elif term.infix and prefix in in_name:
                best = max(best, 2)
            elif term.infix and prefix in in_keywords:
                best = max(best, 1)
        total += best
    return total
