"""E-mail and street addresses."""

from hypothesis import given

from tillit.redaction import Kind, redact
from tillit.redaction.tests.strategies import email_addresses, filler


def test_email_addresses_are_removed() -> None:
    for address in (
        "per.eriksson@gmail.com",
        "k.nystrom82@hotmail.com",
        "sofia.berg@norrkoping.se",
        "åsa.öberg@kommun.örebro.se",
        "mia_andersson@yahoo.se",
        "info@foreningen-solstralen.se",
    ):
        result = redact(f"Skicka beslutet till {address}, tack!")
        assert result.text == "Skicka beslutet till [e-post], tack!", address


def test_spelled_out_at_sign_is_removed() -> None:
    assert redact("Maila anna.svensson(at)live.se").text == "Maila [e-post]"


@given(before=filler, address=email_addresses(), after=filler)
def test_every_email_address_embedded_in_text_is_removed(
    before: str, address: str, after: str
) -> None:
    result = redact(f"{before} {address} {after}")
    assert address not in result.text
    assert any(span.kind is Kind.EMAIL for span in result.spans)


def test_street_address_with_postcode_and_town_is_removed() -> None:
    text = "Snöröjningen utanför Kungsgatan 4B, 602 22 Norrköping är dålig."
    assert redact(text).text == "Snöröjningen utanför [adress] är dålig."


def test_street_addresses_in_common_forms_are_removed() -> None:
    for address in (
        "Storgatan 12",
        "Rosengårdsvägen 12, lgh 1102",
        "Åsgatan 3 A",
        "Södra vägen 22",
        "Stora Nygatan 5",
        "Drottning Kristinas väg 14",
        "Norra Allégatan 9, 413 01 Göteborg",
        "storgatan 7",
        "Hagagatan 23 B",
        "Järntorgsplan 2",
    ):
        result = redact(f"Hon bor på {address} sedan i fjol.")
        assert result.text == "Hon bor på [adress] sedan i fjol.", address


def test_a_street_without_house_number_is_not_personal_data() -> None:
    """A complaint about a street is about the street, not about someone who lives there."""
    text = "Trafiken på Storgatan är farlig, och Kungsgatan behöver fler cykelställ."
    assert redact(text).text == text


def test_roads_and_plans_with_numbers_are_not_addresses() -> None:
    for text in (
        "Olyckan skedde på riksväg 40 vid avfarten.",
        "Detaljplan 12 vann laga kraft i maj.",
        "Ta ingång 3 till vårdcentralen.",
    ):
        assert redact(text).text == text


def test_saint_streets_floors_and_abbreviations_are_removed() -> None:
    assert (
        redact("Jag bor på S:t Larsgatan 3 i Linköping.").text == "Jag bor på [adress] i Linköping."
    )
    assert redact("Adress: Storgatan 12B, 2 tr").text == "Adress: [adress]"
    assert redact("Flyttar till St. Persgatan 19").text == "Flyttar till [adress]"
    assert redact("Han bor på Gamla Tullvägen 12 nb").text == "Han bor på [adress]"
    assert redact("bor på Östra Promenaden 7A").text == "bor på [adress]"
    assert redact("Kungsg. 12 eller Storv. 3").text == "[adress] eller [adress]"


def test_a_preposition_after_the_house_number_stays() -> None:
    """Regression: "3 i Linköping" is house number 3 and the word "i", not entrance I."""
    assert redact("Nygatan 3 i Motala").text == "[adress] i Motala"
    assert redact("Vi ses på torget 3 i maj.").text == "Vi ses på torget 3 i maj."
