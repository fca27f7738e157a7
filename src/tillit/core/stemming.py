"""Swedish word stems (Snowball), shared by case search, catalogue search and dialog words."""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of a lower-case Swedish word. Texts repeat their words, so most come cached."""
    return str(_stemmer().stemWord(word))
