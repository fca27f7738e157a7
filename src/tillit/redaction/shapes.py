"""What the spelling of a single word says about whether it can be a person's name.

Swedish surnames are built from a small stock of endings (-sson, -qvist, -ström, -gren ...),
while authorities, places and ordinary compound nouns have endings of their own (-verket,
-köping, definite -en/-et). These rules judge a word without looking at its neighbours; the
name detector combines them with the context.
"""

from __future__ import annotations

import re

from tillit.redaction import lexicon
from tillit.redaction.lexicon import WordClass

# Surname endings strong enough to mark an unknown word as a surname even where a capital letter
# proves nothing (at the start of a sentence): "Westman säger ...".
SURNAME_ENDINGS = (
    "sson", "qvist", "kvist", "quist", "ström", "gren", "dahl", "berg", "lund", "feldt", "stedt",
    "ović", "ovic", "ević", "evic", "wicz", "czyk", "owski", "ewski", "owska", "ewska", "zadeh",
    "ainen", "äinen", "shvili", "idze", "én", "ér", "sdotter",
)  # fmt: skip
# Lower-case surname endings that no ordinary Swedish word has: "karin nyström".
LOWER_SURNAME_ENDINGS = ("sson", "qvist", "quist", "dahl", "ström", "gren", "berg", "lund")

# Endings of authorities, organisations, buildings, abstract nouns and places: never a person.
_NOT_NAME_ENDINGS = (
    "verket", "kassan", "förmedlingen", "myndigheten", "styrelsen", "inspektionen", "nämnden",
    "rådet", "förvaltningen", "kommun", "kommunen", "regionen", "landstinget", "institutet",
    "universitet", "universitetet", "högskolan", "skolan", "gymnasiet", "sjukhuset", "kliniken",
    "centralen", "kyrkan", "partiet", "förbundet", "föreningen", "bolaget", "banken", "klubben",
    "laget", "gruppen", "huset", "teatern", "museet", "biblioteket", "parken", "torget",
    "hallen", "arenan", "stadion", "centret", "centrum", "kontoret", "gården", "domstolen",
    "rätten", "departementet", "akademien", "ombudsmannen", "tidningen", "posten", "bladet",
    "land", "stan", "staden", "byn", "köping", "borg", "havn", "hamn", "stad", "ien",
    "erna", "arna", "orna", "ernas", "arnas", "ornas", "ismen", "ism", "ologi", "tion", "tionen",
    "iteten", "itet", "ning",
    "ningen", "ering", "skap", "skapet", "het", "heten", "tagare", "ägare",
    # bridges and towers: Lidingöbron, Kaknästornet
    "bron", "tornet",
    # place-name endings, Swedish and English: Ekeby, Lugnvik, Östberga, Bradford, Newtown
    "by", "vik", "hyttan", "berga", "sta", "inge", "ryd", "ås", "ö", "backa", "ford", "burn",
    "chester", "shire", "mouth", "pool", "ville", "town", "sburg",
)  # fmt: skip
# Adjective and participle endings: "Muslimska", "Ledande", "Förenade", "Viktigast".
_ADJECTIVE_ENDINGS = ("iska", "ska", "iske", "ande", "ende", "ade", "ast", "igt", "ligt")
# Names ending in -an that are not definite nouns: Sebastian, Karapetyan, Erdoğan, Khan.
_NAME_AN_ENDINGS = ("ian", "yan", "jan", "han", "can", "gan", "man", "van", "ran", "dan")
# Definite noun endings: "Polisen", "Skolverket". Names rarely end like this outside the lists
# (-sen is a Danish/Norwegian surname ending and is excluded).
DEFINITE_ENDINGS = ("en", "et")

# "al-Assad", "el-Amin", "O'Neil", "McBeal": a name prefix joined to a capitalised name.
PREFIXED = re.compile(
    r"(?:al|el|abu|abd|bin|ibn|ben|van|von|de|di|da|le|la|du|mc|mac|o)['’-][A-ZÅÄÖ]"
)


def ends_with(word: str, endings: tuple[str, ...], min_stem: int = 2) -> bool:
    """True if `word` ends in one of `endings` with at least `min_stem` letters before it."""
    if not word.endswith(endings):  # fast path: most words match none of the endings
        return False
    return any(word.endswith(e) and len(word) >= len(e) + min_stem for e in endings)


def has_surname_ending(word: str) -> bool:
    """A typical surname ending, also in the genitive: "Mellberg", "Sigfridssons", "Fribergs"."""
    if ends_with(word, SURNAME_ENDINGS):
        return True
    return word.endswith("s") and ends_with(word[:-1], SURNAME_ENDINGS)


def looks_like_surname(text: str, cls: WordClass) -> bool:
    """An unknown word with a typical surname ending: "Mellberg", "Ingemarsson"."""
    return has_surname_ending(text.lower()) and not looks_like_non_name(text, cls)


def looks_like_non_name(text: str, cls: WordClass) -> bool:
    """Shapes of words that are not people: authorities, compounds, adjectives, "VM-guld"."""
    word = text.lower()
    if has_surname_ending(word):
        return False  # "Södergren" ends like a definite noun, but -gren makes it a surname
    if "-" in word and cls is WordClass.UNKNOWN:
        head, _, tail = text.rpartition("-")
        # "VM-guld", "Premier League-klubben": an acronym first or a common noun last
        if head.isupper() or (tail[:1].islower() and PREFIXED.match(text) is None):
            return True
    if ends_with(word, _NOT_NAME_ENDINGS, min_stem=1) or ends_with(word, _ADJECTIVE_ENDINGS, 3):
        return True
    if word.endswith("an") and len(word) > 6 and not word.endswith(_NAME_AN_ENDINGS):
        return True  # definite form of a noun ending in -a: "Kvinnan", "Bakfickan"
    if word.endswith(("ens", "ets", "ans")) and len(word) > 6:
        return True  # genitive of a definite noun: "Grafikens", "Insidans"
    lex = lexicon.load()
    if cls is WordClass.UNKNOWN and (word in lex.compound_heads or lex.is_compound(word)):
        return True
    return ends_with(word, DEFINITE_ENDINGS, min_stem=3) and not word.endswith(("sen", "én"))
