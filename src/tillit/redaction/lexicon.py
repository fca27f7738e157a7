"""Word lists behind the name detector, loaded once from the data files in this package.

The lists are plain text so that a municipality can read and extend them without touching code:
`names_sv.txt` holds first names and surnames, `non_names_sv.txt` places, organisations and
ordinary words that are written with a capital letter but are not names.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from importlib import resources


class WordClass(Enum):
    """What the word lists say about one word, before any context is considered."""

    FIRST = "first"  # a first name and nothing else
    SURNAME = "surname"  # a surname and nothing else
    NAME_OR_WORD = "name_or_word"  # a name that is also an everyday word ("per", "berg")
    NAME_OR_PLACE = "name_or_place"  # a name that is also a place or organisation ("Lund")
    NOT_NAME = "not_name"  # a place, organisation or ordinary word
    UNKNOWN = "unknown"


# Swedish noun inflections, longest first: plural, definite and genitive forms of a head noun.
_INFLECTIONS = (
    "arnas", "ernas", "ornas", "arna", "erna", "orna", "ens", "ets", "ans", "ar", "er", "or",
    "en", "et", "na", "ns", "ts", "n", "t", "s", "",
)  # fmt: skip

# Three-letter head nouns safe to match at the end of a compound; other short nouns (man, bro,
# eld, val) end too many surnames ("Coleman", "Thunebro", "Perceval").
_SHORT_HEADS = frozenset({"tåg", "bok", "cup", "app", "låt", "rån", "båt", "dåd", "län", "bil"})

# Plural endings that replace a final vowel of the base form (skola/skolor, pojke/pojkar).
_DROPPED_VOWEL = {"or": ("a",), "ar": ("e", "a")}

# Prefixes of Arabic, Dutch and other surnames that join the name with a hyphen: "Al-Hassan".
NAME_PREFIXES = frozenset({"al", "el", "abu", "abd", "bin", "ibn", "ben", "van", "de", "di", "da"})


def _read_sections(filename: str) -> dict[str, set[str]]:
    text = resources.files("tillit.redaction").joinpath(filename).read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw_line in text.splitlines():
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
            continue
        if current is None:
            raise ValueError(f"{filename}: words before the first [section]")
        current.update(word.lower() for word in line.split())
    return sections


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists, normalised to lower case, with the overlaps between them resolved."""

    first: frozenset[str]
    surnames: frozenset[str]
    name_or_word: frozenset[str]
    name_or_place: frozenset[str]
    not_names: frozenset[str]
    proper_non_names: frozenset[str]
    common: frozenset[str]
    compound_heads: frozenset[str]
    _likeness: dict[str, float] = field(default_factory=dict, repr=False)

    def classify(self, lower: str, genitive: bool = True) -> WordClass:
        """Classify a lower-case word, trying its hyphenated parts and genitive form as well.

        The genitive ("Karins") is only tried when asked for: in lower case it produces too many
        accidental names ("klass" would be the genitive of Klas).
        """
        found = self._classify_exact(lower)
        if found is not WordClass.UNKNOWN:
            return found
        if "-" in lower:
            return self._classify_hyphenated(lower)
        if not genitive:
            return WordClass.UNKNOWN
        for suffix in ("'s", "’s", ":s", "s"):
            if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
                stem = self._classify_exact(lower[: -len(suffix)])
                if stem is not WordClass.UNKNOWN:
                    return stem
        return WordClass.UNKNOWN

    def name_likeness(self, lower: str) -> float:
        """How much the spelling of a word resembles the names rather than the other words.

        Average log-odds of its letter trigrams under two letter models estimated from the
        word lists themselves (names against places, organisations and ordinary words); above
        zero it looks more like a name. Used only to break ties for an unknown word with no
        context at all, e.g. "Stötens" (a genitive noun) against "Mellberg" (a surname).
        """
        grams = _trigrams(lower)
        return sum(self._likeness.get(g, 0.0) for g in grams) / max(1, len(grams))

    def is_compound(self, lower: str) -> bool:
        """True for a compound ending in an ordinary noun: "tokyobörsen", "lidingöbanan".

        The head noun may carry an inflection (definite, plural, genitive); at least three
        letters must precede it so that short names are not mistaken for compounds.
        """
        for ending in _INFLECTIONS:
            if not lower.endswith(ending):
                continue
            stem = lower[: len(lower) - len(ending)] if ending else lower
            # skola → skolor, pojke → pojkar: the plural drops the base form's last vowel
            bases = [stem] + [stem + v for v in _DROPPED_VOWEL.get(ending[:2], ())]
            for base in bases:
                for size in range(3, min(len(base) - 3, 14) + 1):
                    head = base[-size:]
                    if size < 4 and head not in _SHORT_HEADS:
                        continue
                    if head in self.compound_heads and len(base) - size >= 3:
                        return True
        return False

    def _classify_exact(self, lower: str) -> WordClass:
        if lower in self.name_or_word:
            return WordClass.NAME_OR_WORD
        if lower in self.name_or_place:
            return WordClass.NAME_OR_PLACE
        if lower in self.first:
            return WordClass.FIRST
        if lower in self.surnames:
            return WordClass.SURNAME
        if lower in self.not_names:
            return WordClass.NOT_NAME
        return WordClass.UNKNOWN

    def _classify_hyphenated(self, lower: str) -> WordClass:
        parts = [part for part in lower.split("-") if part]
        if len(parts) < 2:
            return WordClass.UNKNOWN
        classes = [self.classify(part) for part in parts]
        named = (WordClass.FIRST, WordClass.SURNAME, WordClass.NAME_OR_WORD)
        if parts[0] in NAME_PREFIXES and classes[-1] in named:
            return WordClass.SURNAME  # Al-Hassan, El-Amin
        if all(cls in named for cls in classes):
            # Anna-Karin, Lars-Göran; a double surname (Svensson-Lind) counts as a surname.
            return WordClass.SURNAME if classes[-1] is WordClass.SURNAME else WordClass.FIRST
        return WordClass.UNKNOWN


def _trigrams(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _trigram_log_odds(names: set[str], others: set[str]) -> dict[str, float]:
    counts = [
        Counter(g for w in words if len(w) > 2 for g in _trigrams(w)) for words in (names, others)
    ]
    totals = [sum(c.values()) for c in counts]
    vocabulary = set(counts[0]) | set(counts[1])
    size = len(vocabulary)
    return {
        g: math.log((counts[0][g] + 1) / (totals[0] + size))
        - math.log((counts[1][g] + 1) / (totals[1] + size))
        for g in vocabulary
    }


@cache
def load() -> Lexicon:
    """The lexicon built from the package's data files (read once per process)."""
    names = _read_sections("names_sv.txt")
    others = _read_sections("non_names_sv.txt")
    first, surnames = names.get("first", set()), names.get("surname", set())
    all_names = first | surnames | names.get("ambiguous", set())
    places = others.get("place", set())
    proper_non_names = places | others.get("organisation", set()) | others.get("foreign", set())
    common = others.get("common", set())
    short = {name for name in all_names if len(name) <= 2}
    name_or_place = all_names & proper_non_names
    name_or_word = (names.get("ambiguous", set()) | (all_names & common) | short) - name_or_place
    return Lexicon(
        first=frozenset(first),
        surnames=frozenset(surnames),
        name_or_word=frozenset(name_or_word),
        name_or_place=frozenset(name_or_place),
        not_names=frozenset((proper_non_names | common) - all_names),
        proper_non_names=frozenset(proper_non_names - all_names),
        common=frozenset(common),
        compound_heads=frozenset(others.get("compound_head", set())),
        _likeness=_trigram_log_odds(
            first | surnames, proper_non_names | common | others.get("compound_head", set())
        ),
    )
