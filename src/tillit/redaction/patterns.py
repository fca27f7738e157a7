"""Regular-expression detectors for personal data with a fixed shape.

Personnummer, samordningsnummer, phone numbers, e-mail addresses and street addresses follow
patterns that can be recognised without any knowledge of names, so they are found here first.
The detectors lean towards removing too much: a mistyped personnummer (wrong check digit) is
still a personnummer to the citizen who wrote it, so the check digit is deliberately not
required. What they must not do is eat the numbers case officers need to keep, such as case
numbers ("Dnr KS 2023-00456"), dates ("2024-01-15") and short service numbers (112, 1177).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tillit.redaction.spans import Kind, Span

# --- personnummer and samordningsnummer -------------------------------------------------------
# YYMMDD or YYYYMMDD, an optional "-" or "+" (perhaps with spaces around it) or a space, and four
# digits. The day may be 61-91 for a
# samordningsnummer (day + 60). Month and day are checked so that ordinary ten-digit numbers
# (invoice numbers, phone numbers without separators) are not all taken for personnummer.
_DAY = r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
PERSONAL_ID = re.compile(
    rf"(?<![\d\w+-])(?P<century>19|20)?\d{{2}}{_MONTH}{_DAY}(?P<sep>\s?[-+]\s?|\s)?\d{{4}}(?![\d\w])"
)

# --- phone numbers ---------------------------------------------------------------------------
# Between digits we accept one separator: space, dash, en dash, slash or dot, optionally with
# spaces around a dash ("070 - 555 66 77"). A Swedish national number has 8-10 digits with the
# leading zero; an international one starts with + or 00 and a country code.
_SEP = r"(?:\s?[-–/.]\s?|\s)?"
PHONE = re.compile(
    r"(?<![\w+])(?:"
    # +46 / 0046, optionally with the trunk zero in parentheses: +46 (0)70-123 45 67
    rf"(?:\+|00)46{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}\d){{6,8}}"
    # other countries: +47 912 34 567, 0047 ...
    rf"|(?:\+|00)(?!46)[1-9]\d{{0,2}}(?:{_SEP}\d){{6,12}}"
    # area code in parentheses: (08) 123 45 67
    rf"|\(0[1-9]\d{{0,2}}\){_SEP}\d(?:{_SEP}\d){{4,7}}"
    # national: 08-123 456 78, 070-123 45 67, 0701234567, 011-15 00 00
    rf"|0[1-9](?:{_SEP}\d){{6,8}}"
    r")(?![\d\w])"
)

# --- e-mail addresses ------------------------------------------------------------------------
# Unicode letters are allowed in the local part and the domain (åäö occur in both). The common
# spam-avoiding spellings "(at)" and "[at]" are accepted as well.
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+%'-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)

# --- street addresses ------------------------------------------------------------------------
# A street name ending in one of the usual Swedish street words, followed by a house number.
# Without a house number a street name is left alone: "the traffic on Storgatan is dangerous" is
# a complaint about a street, not personal data about someone who lives there.
#
# Street words accepted after a capitalised stem ("Kungsgatan", "Järntorgsplan").
_STREET_WORDS = (
    "gatan|gata|vägen|väg|gränd|gränden|torget|torg|backen|backe|stigen|allén|allé|plan|"
    "platsen|leden|stråket|promenaden|kajen|esplanaden|gången|slingan|svängen|liden|udden|"
    "stranden|ringen|kroken|höjden|tået|hagen|terrassen|längan|bryggan"
)
# The safer subset accepted when the whole street is written in lower case ("storgatan 12");
# words like "plan" or "gången" are too common on their own ("detaljplan 12", "ingången 3").
_LOWER_STREET_WORDS = "gatan|gata|vägen|väg|gränd|gränden|torget|allén|stigen|backen"
# Compound words that end like a street but name kinds of road or plan, not addresses
# ("riksväg 40", "Detaljplan 12", "Uppgången 3").
_NOT_STREET = (
    r"(?!(?i:riks|läns|motor|europa|cykel|gång|lands|om|gen|fot|bil|kör|detalj|översikts|stads|"
    r"bygg|program|hand|års|verksamhets|affärs|besluts|tids|fas|in|ut|upp|ned|mitt|sido)"
    r"(?i:väg|vägen|gata|gatan|leden|stigen|backen|plan|gången)\b)"
)
_LOWER = r"[a-zåäöéüæø]"
_UPPER = r"[A-ZÅÄÖÉÜ]"
# A street word on its own, capitalised after a word such as "Östra" or "Stora": "Östra
# Promenaden", "Stora Torget".
_CAPITAL_STREET_WORDS = "|".join(w[0].upper() + w[1:] for w in _STREET_WORDS.split("|"))
_STREET_NAME = (
    # "S:t Larsgatan", "St. Persgatan", "Sankt Eriksgatan"
    r"(?:(?:S:t|St\.|Sankt)\s?)?"
    # up to two capitalised words before the street word: "Stora Nygatan", "Norra Allégatan",
    # "Drottning Kristinas väg"
    rf"(?:{_UPPER}{_LOWER}+\s){{0,2}}"
    rf"(?:{_NOT_STREET}{_UPPER}{_LOWER}*?(?:{_STREET_WORDS})"
    rf"|{_NOT_STREET}{_LOWER}+?(?:{_LOWER_STREET_WORDS})"
    rf"|{_UPPER}{_LOWER}+s?\s(?:{_LOWER_STREET_WORDS})"
    rf"|{_UPPER}{_LOWER}+\s(?:{_CAPITAL_STREET_WORDS})"
    # abbreviated: "Kungsg. 12", "Storv. 3"
    rf"|{_UPPER}{_LOWER}{{2,}}[gv]\.)"
)
# The entrance letter: "12B", "12 B", "12b"; a lower-case letter after a space is a word ("3 i").
_HOUSE_NUMBER = r"\d{1,4}(?:\s?-\s?\d{1,4})?(?:\s?[A-K](?![\w])|[a-k](?![\w]))?"
_FLAT = (
    r"(?:,?\s*(?:(?:lgh|lägenhet|lägenhetsnummer|ltr|tr|trappa|vån|våning|uppg)\.?\s*\d{1,4}"
    r"|\d{1,2}\s?(?:tr|trappor|trappa|vån)\.?(?![\w])|nb|bv)(?![\w]))?"
)
_POSTCODE_TOWN = (
    rf"(?:(?:SE-?)?[1-9]\d{{2}}\s?\d{{2}}\s+{_UPPER}{_LOWER}+(?:[- ]{_UPPER}{_LOWER}+)?)"
)
ADDRESS = re.compile(
    rf"(?<![\w])(?:c/o\s+\S+\s+)?{_STREET_NAME}\s{_HOUSE_NUMBER}{_FLAT}"
    rf"(?:,?\s+{_POSTCODE_TOWN})?(?![\w])"
)
# "602 22 Norrköping" on its own, e.g. on the line below the street.
POSTCODE_TOWN = re.compile(rf"(?<![\w-]){_POSTCODE_TOWN}(?![\w])")

_MOBILE_PREFIX = re.compile(r"07[02369]")
# Cheap tests that rule out the two slowest patterns for most texts: every street address has a
# street word followed by a house number, and every e-mail address an "@" or an "at".
_WORD_BEFORE_NUMBER = re.compile(r"(\w+)\.?\s?\d")
_STREET_ENDINGS = (*_STREET_WORDS.split("|"), "g", "v")
_EMAIL_HINT = re.compile(r"@|[(\[]at[)\]]", re.IGNORECASE)


def _may_hold_address(text: str) -> bool:
    """A cheap test before the address pattern: some word ending like a street is followed by
    a number ("Storgatan 12", "Kungsg. 4")."""
    return any(
        match.group(1).lower().endswith(_STREET_ENDINGS)
        for match in _WORD_BEFORE_NUMBER.finditer(text)
    )


def _personal_ids(text: str) -> Iterator[Span]:
    for match in PERSONAL_ID.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        # A bare ten-digit number starting with 070/072/073/076/079 is far more often a mobile
        # number than the personnummer of someone born in 2007; the phone detector takes it.
        if len(digits) == 10 and match.group("sep") is None and _MOBILE_PREFIX.match(digits):
            continue
        # "YYMMDD NNNN" with only a space between counts when the date has its century
        # ("19811218 9876"); two short numbers separated by a space are too ordinary otherwise.
        separator = match.group("sep")
        if separator is not None and separator.isspace() and match.group("century") is None:
            continue
        yield Span(match.start(), match.end(), Kind.PERSONAL_ID)


def _simple(pattern: re.Pattern[str], kind: Kind, text: str) -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), kind)


def find_patterns(text: str) -> list[Span]:
    """All shape-based personal data in `text`, overlaps resolved, sorted by position.

    Order of precedence when two detectors claim the same characters: e-mail, personnummer,
    phone, address (an e-mail may contain digits, a personnummer looks like a phone number).
    """
    found: list[Span] = []
    for spans in (
        _simple(EMAIL, Kind.EMAIL, text) if _EMAIL_HINT.search(text) else (),
        _personal_ids(text),
        _simple(PHONE, Kind.PHONE, text),
        _simple(ADDRESS, Kind.ADDRESS, text) if _may_hold_address(text) else (),
        _simple(POSTCODE_TOWN, Kind.ADDRESS, text),
    ):
        for span in spans:
            if not any(span.overlaps(other) for other in found):
                found.append(span)
    return sorted(found)
