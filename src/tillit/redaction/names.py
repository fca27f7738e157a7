"""Finding person names in Swedish free text without a trained model.

Swedish helps: months, weekdays, nationalities and languages are written in lower case, so a
capitalised word in the middle of a sentence is almost always a proper noun. What remains is to
tell people from places and organisations, and to catch names that citizens write in lower case.
The detector combines

* word lists (first names, surnames, and places/organisations/ordinary words that are not names),
* the shape of the word (surname endings such as -sson, -qvist, -ström; authority endings such as
  -verket, -kassan; definite noun endings such as -en, -et),
* the context (a job title or "heter" before the word, "säger" after it, a neighbouring name,
  a preposition of place such as "i" or "från" or an article such as "en" before it),
* consistency within the text: a word once recognised as a name is a name everywhere in it, and
* as a last resort for a capitalised word with no context at all, whether it is spelt more like
  the names or more like the other words in the lists (`lexicon.Lexicon.name_likeness`), more
  strictly when no other capitalised word stands next to it.

docs/decisions/0705-redaction-rules-and-measurement.md says how the rules are measured.

It leans towards removing: a lost place name costs the reader little, a surviving person name is
a personal-data leak.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tillit.redaction import cues, lexicon
from tillit.redaction.lexicon import WordClass
from tillit.redaction.shapes import (
    DEFINITE_ENDINGS,
    LOWER_SURNAME_ENDINGS,
    PREFIXED,
    ends_with,
    looks_like_non_name,
    looks_like_surname,
)
from tillit.redaction.spans import Kind, Span

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Below this name-likeness a capitalised word with no context at all is taken for a common noun
# or a foreign place. Chosen on the development part of the NER corpus, where it gives up about
# one name in ten such words and removes about a quarter of the non-names among them.
_LONE_WORD_THRESHOLD = -0.5

# A word written with a capital letter among lower-case words only ("på Reading", "och Idre")
# is as often a place or a brand as a surname, so it must be spelt more like a name (chosen on
# the development part: this drops about a fifth of the non-names there and no names).
_ISOLATED_WORD_THRESHOLD = -0.3

# A sentence-initial unknown word before a first name is taken for a name (rather than an
# adjective, "Glade Fredrik") above this name-likeness.
_FIRST_BEFORE_FIRST = 0.3

# A sentence-initial unknown word before a verb is taken for a name above this name-likeness
# (chosen on the development part: bare plural nouns fall below it, surnames above; raised
# from 0.05 to 0.2 when that removed only nouns such as "Rebeller" and "Annonser").
_INITIAL_SUBJECT_THRESHOLD = 0.2

_QUOTES = '"”“«»'
_OPENERS = _QUOTES + "'‘’([–—-•*> \t"


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    lower: str
    cls: WordClass
    capital: bool
    initial: bool
    name: bool = False


def _is_initial(text: str, start: int, previous: _Token | None) -> bool:
    """True when the word at `start` begins a sentence, a line or the text."""
    i = start - 1
    quoted = False
    while i >= 0 and text[i] in _OPENERS:
        quoted = quoted or text[i] in _QUOTES
        i -= 1
    if i < 0 or text[i] == "\n" or quoted:
        # A quotation starts like a sentence: ” Snön faller på cederträden ”.
        return True
    if text[i] in "!?:;…":
        return True
    if text[i] == ".":
        if previous is not None and previous.end == i:
            # "ang. bygglov", "A. Svensson": an abbreviation or an initial, not a full stop
            return not (previous.lower in cues.ABBREVIATIONS or len(previous.text) == 1)
        return True
    return False


def _tokens(text: str, blocked: Sequence[Span]) -> list[_Token]:
    lex = lexicon.load()
    tokens: list[_Token] = []
    previous: _Token | None = None
    pending = sorted(blocked)  # both the words and the blocked spans come in text order
    for match in _WORD.finditer(text):
        start, end = match.span()
        while pending and pending[0].end <= start:
            pending.pop(0)
        if pending and pending[0].start < end:
            previous = None
            continue
        word = match.group()
        lower = word.lower()
        token = _Token(
            start=start,
            end=end,
            text=word,
            lower=lower,
            cls=lex.classify(lower, genitive=word[0].isupper()),
            capital=word[0].isupper(),
            initial=_is_initial(text, start, previous),
        )
        tokens.append(token)
        previous = token
    return tokens


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    """True when only a space or a hyphen separates two words (same name, no punctuation)."""
    gap = text[left.end : right.start]
    return gap in (" ", "-", "\u00a0") or (gap.strip() == "" and "\n" not in gap and len(gap) < 3)


class _Detector:
    """One pass over one text. Kept as a class so the rules can share the token list."""

    def __init__(self, text: str, blocked: Sequence[Span]) -> None:
        self.text = text
        self.tokens = _tokens(text, blocked)

    # --- context helpers --------------------------------------------------------------------

    def _neighbour(self, i: int, step: int) -> _Token | None:
        """The word before (step -1) or after (step 1) if it belongs to the same name."""
        j = i + step
        if not 0 <= j < len(self.tokens):
            return None
        left, right = (
            (self.tokens[i], self.tokens[j]) if step > 0 else (self.tokens[j], self.tokens[i])
        )
        return self.tokens[j] if _adjacent(self.text, left, right) else None

    def _before(self, i: int) -> _Token | None:
        """The previous word if nothing but spaces separates it from this one."""
        if i == 0:
            return None
        prev = self.tokens[i - 1]
        return prev if self.text[prev.end : self.tokens[i].start].strip() == "" else None

    def _after(self, i: int) -> _Token | None:
        """The next word if only spaces or a comma separate it from this one."""
        if i + 1 >= len(self.tokens):
            return None
        nxt = self.tokens[i + 1]
        return nxt if self.text[self.tokens[i].end : nxt.start].strip(" ,") == "" else None

    def _name_left(self, i: int) -> bool:
        other = self._neighbour(i, -1)
        return other is not None and other.name and other.capital == self.tokens[i].capital

    def _name_right(self, i: int, first_name_ok: bool = True) -> bool:
        other = self._neighbour(i, 1)
        if other is None or not other.name or other.capital != self.tokens[i].capital:
            return False
        return first_name_ok or other.cls is not WordClass.FIRST

    def _signature(self, i: int) -> bool:
        """ "/Gustav" or "/ Gustav" closing a message."""
        start = self.tokens[i].start
        return self.text[max(0, start - 2) : start].strip().endswith("/")

    def _cue_before(self, i: int, speech: bool = True) -> bool:
        """A title, "heter", "tack", or (for capitalised words) a verb of saying before it."""
        prev = self._before(i)
        if prev is None:
            return self._signature(i)
        if prev.lower in cues.NAME_CUES or cues.is_title(prev.lower):
            return True
        if prev.lower in cues.POSSESSED_TITLES and i >= 2:
            owner = self._before(i - 1)
            if owner is not None and owner.lower in cues.POSSESSIVES:
                return True  # "min man Olle"
        return speech and prev.lower in cues.SPEECH_VERBS

    def _cue_after(self, i: int) -> bool:
        """A party letter "(S)", an age ", 34," or a verb of saying after it."""
        token = self.tokens[i]
        rest = self.text[token.end : token.end + 12]
        if cues.PARTY.match(rest) or cues.AGE.match(rest):
            return True
        nxt = self._after(i)
        return nxt is not None and nxt.lower in cues.SPEECH_VERBS and not nxt.capital

    def _supported(self, i: int) -> bool:
        return (
            self._name_left(i) or self._name_right(i) or self._cue_before(i) or self._cue_after(i)
        )

    def _after_locative(self, i: int) -> bool:
        """ "i Aleppo", "från Damaskus": a preposition of place before the word."""
        prev = self._before(i)
        return prev is not None and prev.lower in cues.LOCATIVE

    def _after_place_adjective(self, i: int) -> bool:
        """ "tjeckiska Harrachov", "brittiska Barclays": a place or a company. A person gets the
        -e form of the adjective ("tyske Severin Freund") or is named with a first name."""
        prev = self._before(i)
        return (
            prev is not None
            and not prev.capital
            and len(prev.lower) >= 6
            and prev.lower.endswith("ska")
            and prev.cls is not WordClass.FIRST
        )

    def _after_determiner(self, i: int) -> bool:
        """ "en Challenger", "fyra Debaser", "varje Ikea": an article, a determiner or a number
        makes the word a common noun or a brand; a person is named without one."""
        prev = self._before(i)
        return prev is not None and prev.lower in cues.DETERMINERS

    def _quoted(self, i: int) -> bool:
        """In a short quotation: the title of a book, a film or a storm (” Mamma Mia ”). Quoted
        speech is longer and may name people, so it does not count."""
        token = self.tokens[i]
        before = self.text[max(0, token.start - 30) : token.start]
        after = self.text[token.end : token.end + 30]
        opening = max(before.rfind(q) for q in _QUOTES)
        closing = [after.find(q) for q in _QUOTES if q in after]
        if opening < 0 or not closing:
            return False
        if sum(self.text[: token.start].count(q) for q in _QUOTES) % 2 == 0:
            return False  # the quotation before has closed already
        inside = before[opening + 1 :] + token.text + after[: min(closing)]
        return len(inside.split()) <= 4 and not any(c in inside for c in ".!?,:")

    def _in_apposition(self, i: int) -> bool:
        """ "tidningen Metro", "bolaget Skanska": a definite noun that is not a person before it."""
        prev = self._before(i)
        if prev is None or prev.capital or len(prev.lower) < 5 or prev.lower in cues.NOT_APPOSITION:
            return False
        if (
            cues.is_title(prev.lower)
            or prev.lower in cues.SPEECH_VERBS
            or prev.lower in cues.NAME_CUES
        ):
            return False
        return prev.lower.endswith(("en", "et", "an", "n"))

    # --- rules ------------------------------------------------------------------------------

    def _certain(self, i: int) -> bool:
        """Names the word lists (or the spelling "al-Assad") vouch for without context."""
        token = self.tokens[i]
        if token.cls in (WordClass.FIRST, WordClass.SURNAME):
            return token.capital or len(token.lower) > 2
        if token.cls is WordClass.NAME_OR_WORD:
            # "Boeing 737 MAX" is a model, "Skandia Liv" a company: such words need context
            if token.text.isupper() and len(token.text) > 2:
                return False
            before = self._neighbour(i, -1)
            if (
                before is not None
                and before.lower in lexicon.load().proper_non_names
                and not before.lower.endswith("s")  # "Finlands Ville Altonen" is a person
            ):
                return False
            return token.capital and not token.initial
        return token.cls is WordClass.UNKNOWN and PREFIXED.match(token.text) is not None

    def _contextual(self, i: int) -> bool:
        """Names that need the context: ambiguous and unknown words."""
        token = self.tokens[i]
        if token.cls is WordClass.NAME_OR_WORD:
            if (
                token.capital
                and token.initial
                and not token.text.isupper()
                and self._subject_of_verb(i)
            ):
                return token.lower not in lexicon.load().common  # "Lind har", not "Alla har"
            if token.capital:
                return self._supported(i)
            # "hans lindgren", "jag heter per": lower case needs a name or a cue, not "säger";
            # a verb or pronoun after a title is no name ("hennes son ville", "tack alla").
            if token.lower in cues.FINITE_VERBS or token.lower in lexicon.load().common:
                prev = self._before(i)
                named = prev is not None and prev.lower in cues.NAMING_VERBS  # "jag heter per"
                return named or self._name_left(i) or self._name_right(i)
            return self._name_left(i) or self._name_right(i) or self._cue_before(i, False)
        if token.cls is WordClass.NAME_OR_PLACE:
            return self._supported(i)
        if token.capital and len(token.text) == 1:
            # an initial between or next to names: "Lars G Brandt", "Abraham L.", but not the
            # one-letter words starting a sentence: "I Sarahs frånvaro", "Å andra sidan"
            if token.initial and token.lower in cues.ONE_LETTER_WORDS:
                return False
            return self._name_left(i) or self._name_right(i)
        if token.capital and self._name_left(i) and self._name_right(i):
            return token.lower not in lexicon.load().common  # "Nguyen Van Minh"
        if token.capital and not token.initial and self._after_first_name(i):
            return True  # "Charlotte Kalla", "Amy Diamond": what follows a first name
        if token.cls is not WordClass.UNKNOWN:
            return False
        if not token.capital:
            return (
                self._name_left(i)
                and not self.tokens[i - 1].capital
                and ends_with(token.lower, LOWER_SURNAME_ENDINGS)
            )
        if token.text.isupper() or len(token.text) == 1:
            return False  # an acronym (SVT, AIK) or a letter
        if len(token.text) == 2:
            return self._supported(i)
        if looks_like_non_name(token.text, token.cls):
            # "Stefan Löfven": a surname may end like a definite noun after a first name
            return (
                not token.initial
                and self._name_left(i)
                and ends_with(token.lower, DEFINITE_ENDINGS)
            )
        if self._beside_non_name(i) or self._after_place_particle(i):
            return False
        if token.initial:
            return self._initial_unknown(i)
        if (
            self._after_locative(i)
            or self._in_apposition(i)
            or self._after_place_adjective(i)
            or self._after_determiner(i)
            or self._quoted(i)
        ):
            return self._name_left(i) or self._name_right(i) or self._cue_after(i)
        if self._supported(i) or looks_like_surname(token.text, token.cls):
            return True
        # A lone unknown word with no context: fall back on whether it is spelt like a name,
        # more strictly when no capitalised word or name particle stands next to it.
        threshold = _LONE_WORD_THRESHOLD if self._capital_beside(i) else _ISOLATED_WORD_THRESHOLD
        return lexicon.load().name_likeness(token.lower) > threshold

    def _subject_of_verb(self, i: int) -> bool:
        """The word stands right before a finite verb: "Wenger kom", "Xi väntas"."""
        nxt = self._after(i)
        if nxt is None or nxt.capital or self.text[self.tokens[i].end : nxt.start] != " ":
            return False
        return (
            nxt.lower in cues.FINITE_VERBS
            or nxt.lower in cues.PASSIVE_VERBS
            or cues.is_past_tense(nxt.lower)
        )

    def _capital_beside(self, i: int) -> bool:
        """A capitalised word or a particle ("von Matern") right before or after the word."""
        before = self.tokens[i - 1] if i > 0 else None
        after = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        return (before is not None and (before.capital or before.lower in cues.PARTICLES)) or (
            after is not None and after.capital
        )

    def _after_first_name(self, i: int) -> bool:
        prev = self._neighbour(i, -1)
        lex = lexicon.load()
        return (
            prev is not None
            and prev.capital
            and prev.name
            and prev.cls is WordClass.FIRST
            # "Maos Kina", "Annas Volvo": what follows a genitive is what the person has
            and (prev.lower in lex.first or not prev.lower.endswith("s"))
            and self.tokens[i].lower not in lex.common
            # "Bob Hund", "Harry Potter": an ordinary noun is a band or a title, not a surname
            and self.tokens[i].lower not in lex.compound_heads
        )

    def _beside_non_name(self, i: int) -> bool:
        """ "Manchester United", "Borås Tidning": part of the name of a place or organisation.

        On the left only listed places and organisations count: a title before a name has
        the shape of a common noun ("Journalisten Cissi Wallin").
        """
        lex = lexicon.load()
        for step in (-1, 1):
            other = self._neighbour(i, step)
            if other is None or not other.capital or other.name:
                continue
            if other.lower in lex.proper_non_names:
                return True
            if (
                step == 1
                and other.cls is WordClass.UNKNOWN
                and (
                    looks_like_non_name(other.text, other.cls) or other.lower in lex.compound_heads
                )
            ):
                return True
        return False

    def _after_place_particle(self, i: int) -> bool:
        """ "Tour de France", "Rio de Janeiro": a particle after a word that is no name."""
        if i < 2 or self.tokens[i - 1].lower not in cues.PARTICLES or self.tokens[i - 1].capital:
            return False
        head = self.tokens[i - 2]
        return (
            head.capital
            and head.cls not in (WordClass.FIRST, WordClass.SURNAME, WordClass.NAME_OR_WORD)
            and _adjacent(self.text, head, self.tokens[i - 1])
        )

    def _initial_unknown(self, i: int) -> bool:
        """An unknown word starting a sentence: the capital letter proves nothing."""
        token = self.tokens[i]
        if looks_like_surname(token.text, token.cls):
            return True
        # "Skolsköterskan Camilla", "Svenske Fredrik Persson", "Danska Röda korset"
        if cues.is_title(token.lower):
            return False
        if token.lower.endswith(cues.NOT_INITIAL_NAME_ENDINGS) and not ends_with(
            token.lower, cues.SURNAME_LIKE_DEFINITE, min_stem=2
        ):
            return False
        # A first name followed by a surname ("Gunhild Westman"), or a surname followed by a
        # verb of saying ("Mursi säger"), but not an adjective before a first name.
        if self._name_right(i, first_name_ok=False) or self._cue_after(i):
            return True
        # "Gareth Barry anses": before a first name only a word spelt like a name is one
        if self._name_right(i) and lexicon.load().name_likeness(token.lower) > _FIRST_BEFORE_FIRST:
            return True
        # "Wenger kom till Arsenal": an unknown word followed by a finite verb is a subject,
        # and ordinary nouns as subjects carry an article or a definite ending.
        nxt = self._after(i)
        if nxt is None or nxt.capital or token.lower.endswith(cues.NOT_SUBJECT_ENDINGS):
            return False
        gap = self.text[token.end : nxt.start]
        if gap == ", " and nxt.lower == "som":
            pass  # "Abe, som var premiärminister": a noun there would carry its article
        elif gap != " " or not (
            nxt.lower in cues.FINITE_VERBS
            or nxt.lower in cues.PASSIVE_VERBS
            or cues.is_past_tense(nxt.lower)
        ):
            return False
        # A bare noun can start a sentence too ("Analytiker hade", "Oljefynd har"): the word
        # must also be spelt like a name.
        return lexicon.load().name_likeness(token.lower) > _INITIAL_SUBJECT_THRESHOLD

    def run(self) -> list[Span]:
        for i, token in enumerate(self.tokens):
            token.name = self._certain(i)
        # Context rules feed each other ("Gunhild Westman": the surname makes the first name),
        # so repeat until nothing changes; two or three rounds suffice in practice.
        for _ in range(4):
            changed = False
            for i, token in enumerate(self.tokens):
                if not token.name and self._contextual(i):
                    token.name = changed = True
            if not changed:
                break
        self._propagate()
        self._particles()
        return self._spans()

    def _propagate(self) -> None:
        """A capitalised word recognised as a name once is a name everywhere in the text."""
        known = {t.lower for t in self.tokens if t.name and t.capital}
        known |= {w[:-1] for w in known if w.endswith("s")}
        for token in self.tokens:
            if token.name or not token.capital:
                continue
            if token.lower in known or token.lower.removesuffix("s") in known:
                token.name = True

    def _particles(self) -> None:
        """Mark particles between a name and a capitalised word: "Ursula von der Leyen"."""
        for i, token in enumerate(self.tokens):
            if token.name or token.lower not in cues.PARTICLES or token.capital:
                continue
            j = i
            while j + 1 < len(self.tokens) and self.tokens[j + 1].lower in cues.PARTICLES:
                j += 1
            before = self._neighbour(i, -1)
            after = self._neighbour(j, 1)
            if after is None or not after.capital:
                continue
            named_before = before is not None and before.name
            # "säger von Eckermann", "av van der Burgh": von, van and af begin a surname
            noble = token.lower in cues.SURNAME_PARTICLES and (before is None or not before.capital)
            if named_before or (noble and after.cls is not WordClass.NOT_NAME):
                for k in range(i, j + 2):
                    self.tokens[k].name = True

    def _spans(self) -> list[Span]:
        spans: list[Span] = []
        previous: _Token | None = None
        for token in self.tokens:
            if not token.name:
                previous = None
                continue
            start = token.start
            # Include a leading initial: "A. Svensson" ("K-G Nilsson" is one word already).
            lead = self.text[max(0, start - 4) : start]
            initial = re.search(r"(?:^|(?<=\s))[A-ZÅÄÖ]\.\s?$", lead)
            if initial is not None:
                start = max(0, start - 4) + initial.start()
            if spans and start < spans[-1].end:
                # the initial already belongs to the name before: "Anna-Karin A. Karin"
                spans[-1] = Span(spans[-1].start, token.end, Kind.NAME)
            elif previous is not None and spans and _adjacent(self.text, previous, token):
                spans[-1] = Span(spans[-1].start, token.end, Kind.NAME)
            else:
                spans.append(Span(start, token.end, Kind.NAME))
            previous = token
        return spans


def find_names(text: str, blocked: Sequence[Span] = ()) -> list[Span]:
    """Spans of person names in `text`, ignoring words inside the `blocked` spans.

    `blocked` holds what the pattern detectors already found, so that the local part of an
    e-mail address or a street name in an address is not counted twice.
    """
    return _Detector(text, blocked).run()
