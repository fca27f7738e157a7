"""Hypothesis strategies for Swedish personal data in the formats citizens actually type."""

from __future__ import annotations

from hypothesis import strategies as st


def _check_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 - i % 2)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


@st.composite
def personal_ids(draw: st.DrawFn) -> str:
    """A valid personnummer or samordningsnummer, written in one of the common ways."""
    year = draw(st.integers(1900, 2024))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + (60 if draw(st.booleans()) else 0)
    serial = f"{draw(st.integers(0, 999)):03d}"
    short = f"{year % 100:02d}{month:02d}{day:02d}"
    last4 = serial + _check_digit(short + serial)
    separator = "+" if year < 1925 else "-"
    return draw(
        st.sampled_from(
            [
                f"{year}{month:02d}{day:02d}-{last4}",
                f"{year}{month:02d}{day:02d}{last4}",
                f"{short}{separator}{last4}",
                f"{short}{last4}",
            ]
        )
    )


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A Swedish mobile or landline number in one of the ways people write them."""
    mobile = f"7{draw(st.sampled_from('02369'))}{draw(st.integers(0, 9_999_999)):07d}"
    area = draw(st.sampled_from(["8", "11", "13", "16", "18", "19", "31", "40", "46", "60", "90"]))
    rest = f"{draw(st.integers(0, 10 ** (9 - len(area)) - 1)):0{9 - len(area)}d}"
    d = mobile
    return draw(
        st.sampled_from(
            [
                f"0{d[:2]}-{d[2:5]} {d[5:7]} {d[7:]}",
                f"0{d}",
                f"0{d[:2]} {d[2:5]} {d[5:7]} {d[7:]}",
                f"+46 {d[:2]} {d[2:5]} {d[5:7]} {d[7:]}",
                f"+46{d}",
                f"0046 {d[:2]}-{d[2:]}",
                f"+46 (0){d[:2]}-{d[2:5]} {d[5:7]} {d[7:]}",
                f"0{d[:3]}-{d[3:]}",
                f"0{area}-{rest[:3]} {rest[3:5]} {rest[5:]}",
                f"0{area}-{rest}",
                f"0{d[:2]} - {d[2:5]} {d[5:]}",
            ]
        )
    )


_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö0123456789", min_size=1, max_size=12)


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """An e-mail address, with dots, hyphens or Swedish letters in it."""
    local = draw(_LOCAL)
    if draw(st.booleans()):
        local += draw(st.sampled_from([".", "_", "-", "+"])) + draw(_LOCAL)
    domain = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö-", min_size=2, max_size=12))
    domain = domain.strip("-") or "kommun"
    tld = draw(st.sampled_from(["se", "com", "nu", "org", "net"]))
    return f"{local}@{domain}.{tld}"


# Filler text without digits or '@', so that it cannot extend the embedded value.
filler = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Po"], exclude_characters="@.+-_%'\n"),
    max_size=40,
)

# Plausible survey comments for properties that need realistic text.
_PIECES = (
    "Tack till handläggaren Ahmed som hjälpte mig . Ringde Karin Nyström ang. bygglov , "
    "hon nås på 070-123 45 67 . Jag bor på Storgatan 12 i Linköping och är nöjd med "
    "hemtjänsten . Anna-Karin Lindqvist 19811218-9876 per telefon Hans fru Per Svensson "
    "i Stockholm från Malmö mejla anna.svensson@live.se Kungsgatan 4B , 602 22 Norrköping "
    "Skolverket Försäkringskassan enligt säger Reinfeldt Mohammed Al-Hassan lisa ingrid "
    "/ Gustav : Sökande heter Tack Bra Dåligt – ” samordningsnummer 850172-3345 Westman "
    "Grythyttan Reuters Volvo Kvinnan Ekeby von der Leyen A. G Lund Anna Lund Zanderlind "
    "tidningen mot Bo Ek berg ström karin nyström Al-Assad ( S ) , 34 , Manchester United"
)
comments = st.lists(st.sampled_from(_PIECES.split(" ")), max_size=30).map(" ".join)
