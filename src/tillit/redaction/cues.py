"""Words around a name that give it away, and words around a non-name that give that away.

Case officers write "handläggaren Ahmed", "jag heter Lisa", "tack till Birgitta"; news text
writes "säger Reinfeldt" and "statsminister Fredrik Reinfeldt (M)". A capitalised word after
"i" or "från" is more likely a place, and one after "tidningen" or "bolaget" is the name of the
newspaper or the company.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text` (keeps long word lists readable)."""
    return frozenset(text.split())


# Job titles and relations that introduce a name: "handläggaren Ahmed", "min granne Olle".
TITLES = _words(
    """handläggare handläggaren socialsekreterare socialsekreteraren kontaktperson
    kontaktpersonen chef chefen enhetschef enhetschefen rektor rektorn läkare läkaren doktor dr
    sjuksköterska sjuksköterskan skolsköterskan kurator kuratorn lärare läraren fröken fru herr
    mamma mamman pappa pappan son sonen dotter dottern bror brodern syster systern make maken
    maka makan sambo sambon granne grannen kollega kollegan kollegor brukare brukaren klient
    klienten kund kunden sökande sökanden anmälaren anmälare medborgaren elev eleven
    vårdnadshavare vårdnadshavaren förvaltare anhörig assistent assistenten mormor morfar
    farmor farfar moster faster morbror farbror kusin kusinen svärmor svärfar flickvän pojkvän
    hustru hustrun familjen familj paret bröderna systrarna makarna syskonen statsminister
    statsministern minister ministern ordförande ordföranden vd professor professorn tränare
    tränaren förbundskapten förbundskaptenen president presidenten kung kungen drottning
    drottningen prins prinsen prinsessan biskop biskopen profet profeten kommissionär
    talesperson talesman pressekreterare partiledare partiledaren språkrör språkröret
    kommunalråd kommunalrådet borgmästare författare författaren artist artisten sångare
    sångaren sångerskan skådespelare skådespelaren skådespelerskan regissör regissören
    journalist journalisten forskare forskaren advokat advokaten åklagare åklagaren domare
    domaren kommissarie kommissarien kapten kaptenen lagkapten general generalen senator
    senatorn guvernör guvernören ambassadör ambassadören sekreterare sekreteraren direktör
    direktören chefredaktör chefredaktören sir lady mr mrs ms lord frau señor señora monsieur
    madame mister miss don signor"""
)
# Endings of job titles and other person nouns: "utrikesministern", "läraren", "journalisten".
_TITLE_ENDINGS = (
    "minister", "ministern", "chef", "chefen", "ansvarig", "ansvarige", "handläggare",
    "handläggaren", "sekreterare", "sekreteraren", "ledare", "ledaren", "ordförande", "tränare",
    "tränaren", "direktör", "direktören", "råd", "rådet", "sköterska", "sköterskan", "erskan",
    "aren", "ören", "isten", "ikern", "logen", "enten", "läkare", "läkaren",
)  # fmt: skip
# Words right before a name that say "a name follows": "jag heter Lisa", "tack Aleksandra".
NAME_CUES = _words(
    """heter hette kallas kallad kallades enligt kontakta ring ringde ringer ringt tack
    mvh hälsningar hälsar tackar fråga frågade pratade pratat träffade träffat besök
    mejla mejlade mejlat skriv skrev kontaktade kontaktat"""
)
# The verbs that give a name whatever the word looks like: "jag heter per".
NAMING_VERBS = _words("heter hette kallas kallad kallades")
# Verbs of saying: "säger Reinfeldt" / "Reinfeldt säger".
SPEECH_VERBS = _words(
    """säger sa sade berättar berättade menar menade anser ansåg tycker tyckte skriver skrev
    förklarar förklarade konstaterar konstaterade uppger uppgav påpekar påpekade svarar
    svarade hävdar hävdade understryker betonar betonade fortsätter fortsatte tror trodde
    framhåller medger medgav säjer frågar frågade avslöjar"""
)
# Finite verbs that follow a sentence-initial subject ("Wenger kom", "Abe har").
FINITE_VERBS = _words(
    """är var har hade kan kunde ska skulle vill ville blir blev får fick kommer kom går gick
    tar tog ger gav ser såg vet visste vann leder ledde gör gjorde står stod ligger låg sitter
    satt bor bodde heter hette lär måste bör borde verkar tycks brukar hoppas"""
)
# Passive and deponent verbs after a sentence-initial subject ("Doder nämns", "Xi väntas").
PASSIVE_VERBS = _words(
    """nämns nämndes väntas väntades anses ansågs sägs sades tros troddes beskrivs beskrevs
    kallas kallades ses sågs misstänks misstänktes döms dömdes utses utsågs åtalas åtalades
    hyllas hyllades kritiseras kritiserades beskylls anklagas anklagades"""
)
# Endings of words that start a sentence before a verb without being a name: adverbs
# ("Tidigare", "Snabbt", "Troligen"), genitives ("Volvos"), plurals ("Bilar"), adjectives.
NOT_SUBJECT_ENDINGS = (
    "t",
    "are",
    "ast",
    "ligen",
    "vis",
    "igen",
    "s",
    "ar",
    "or",
    "a",
    "ier",
    "ter",
)
# Endings of sentence-initial words that are titles, definite nouns or adjectives rather than
# names: "Skolsköterskan Camilla", "Polisen", "Svenske Fredrik Persson", "Danska Röda korset".
NOT_INITIAL_NAME_ENDINGS = ("an", "en", "on", "ln", "rn", "ska", "ske", "iga", "ige")
# ... except the surname endings that look like them: Danish and Norwegian patronymics
# ("Jacobsen", "Pedersen", "Nielsen") and Swedish -man names after a consonant ("Bäckman",
# "Hedman"); ordinary definite nouns end in -ssen, -nsen, -sman ("Bussen", "Dansen", "Sjöman").
SURNAME_LIKE_DEFINITE = (
    "ersen", "ensen", "bsen", "ielsen", "olsen", "udsen", "kman", "dman", "gman", "tman",
    "ckman", "nman", "rman",
)  # fmt: skip
# Words of one letter that start a sentence: "I dag", "Å andra sidan", "Ö-dalen".
ONE_LETTER_WORDS = _words("i å ö")


def is_past_tense(word: str) -> bool:
    """A regular past-tense verb ("anlände", "tänkte", "lovade"): a subject stands before it."""
    return len(word) >= 5 and word.endswith(("ade", "de", "te")) and not word.endswith("ende")


# Prepositions of place: "i Aleppo", "från Damaskus".
LOCATIVE = _words(
    """i från vid utanför inom mot genom via över ur kring runt nära mellan söder norr öster
    väster till"""
)
# Articles, determiners and numbers before a common noun or a brand: "en Volvo", "två Ikea".
DETERMINERS = _words(
    """en ett denna detta dessa varje vilken vilket någon något några ingen inget inga flera
    många två tre fyra fem sex sju åtta nio tio tolv hundra tusen"""
)
# Lower-case particles inside names: "Ursula von der Leyen", "Leonardo da Vinci".
PARTICLES = _words("von van der den de af da di du del della la le dos das bin ibn abu al el")
# Particles that begin a surname on their own: "von Eckermann", "van der Burgh", "af Klint".
SURNAME_PARTICLES = _words("von van af")
# Abbreviations after which a capital letter does not start a new sentence: "ang. Bygglov".
ABBREVIATIONS = _words("ang tel tfn kl nr bl ex ca resp jfr dvs osv mm fl st ev enl inkl")
# Function words that end like a definite noun but do not introduce an apposition.
NOT_APPOSITION = _words("sedan utan innan mellan igen även efteråt hemma medan gången")
# "(S)", "(M)" after a politician's name; ", 34," after a person's name.
PARTY = re.compile(r"\s*\((?:S|M|V|C|L|KD|MP|SD|FP)\)")
AGE = re.compile(r",\s*\d{1,3}(?:\s*år)?\s*[,.]")


# Words that are titles only after a possessive: "min man Olle", but "råkar man Wagnerianer"
# (the pronoun "man", one).
POSSESSED_TITLES = _words("man")
POSSESSIVES = _words("min din sin hennes hans er vår deras")


def is_title(word: str) -> bool:
    """A lower-case word naming a role a person has: "handläggaren", "utrikesministern"."""
    if word in TITLES:
        return True
    return word.endswith(_TITLE_ENDINGS) and any(
        word.endswith(e) and len(word) >= len(e) + 2 for e in _TITLE_ENDINGS
    )
