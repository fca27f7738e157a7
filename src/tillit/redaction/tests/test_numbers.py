"""Personnummer, samordningsnummer and phone numbers: all removed, other numbers kept."""

from hypothesis import given
from hypothesis import strategies as st

from tillit.redaction import Kind, redact
from tillit.redaction.tests.strategies import filler, personal_ids, phone_numbers


def test_personnummer_with_or_without_century_and_dash_is_removed() -> None:
    for pnr in ("19811218-9876", "811218-9876", "198112189876", "8112189876"):
        result = redact(f"Sökande pnr {pnr}, ärendet gäller bygglov.")
        assert result.text == "Sökande pnr [personnummer], ärendet gäller bygglov."


def test_personnummer_with_spaces_around_the_dash_is_removed() -> None:
    assert redact("pnr 811218 - 9876").text == "pnr [personnummer]"
    assert redact("pnr 19811218 9876").text == "pnr [personnummer]"


def test_samordningsnummer_is_removed() -> None:
    """A samordningsnummer has the day of birth plus 60."""
    assert redact("Samordningsnummer 850172-3345.").text == "Samordningsnummer [personnummer]."


def test_personnummer_with_a_wrong_check_digit_is_still_removed() -> None:
    """A citizen's typo does not make the number any less theirs."""
    assert redact("Mitt pnr är 811218-9875").text == "Mitt pnr är [personnummer]"


def test_personnummer_of_someone_over_100_uses_plus() -> None:
    assert redact("född 190412+1234").text == "född [personnummer]"


def test_phone_numbers_in_every_common_format_are_removed() -> None:
    for number in (
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70 123 45 67",
        "+46 (0)73-456 78 90",
        "08-123 456 78",
        "031-711 22 33",
        "011-15 00 00",
        "0739-123456",
        "070 - 555 66 77",
        "(08) 123 45 67",
    ):
        result = redact(f"Ring mig på {number} efter lunch.")
        assert result.text == "Ring mig på [telefon] efter lunch.", number
        assert [span.kind for span in result.spans] == [Kind.PHONE]


def test_foreign_phone_numbers_are_removed() -> None:
    assert redact("Norskt nummer +47 912 34 567.").text == "Norskt nummer [telefon]."


def test_case_numbers_dates_and_service_numbers_survive() -> None:
    """Numbers the case officer needs are not personal data."""
    for text in (
        "Ärende 2024/1234 och Dnr KS 2023-00456 avser samma fastighet.",
        "Beslut fattat 2024-01-15, överklagande senast 2024-02-05.",
        "Ring 112 vid nödläge, 1177 för sjukvårdsrådgivning eller 113 13.",
        "Avgiften är 1 250 kr per månad och 15 000 kr per år.",
        "Organisationsnummer 212000-0142 tillhör kommunen.",
    ):
        assert redact(text).text == text


@given(before=filler, pnr=personal_ids(), after=filler)
def test_every_valid_personnummer_embedded_in_text_is_removed(
    before: str, pnr: str, after: str
) -> None:
    result = redact(f"{before} {pnr} {after}")
    assert not any(ch.isdigit() for ch in result.text)
    # A bare 07xxxxxxxx could be a mobile number as well; it is removed either way.
    if not (len(pnr) == 10 and pnr.startswith("07")):
        assert any(span.kind is Kind.PERSONAL_ID for span in result.spans)


@given(before=filler, number=phone_numbers(), after=filler)
def test_every_phone_number_embedded_in_text_is_removed(
    before: str, number: str, after: str
) -> None:
    result = redact(f"{before} {number} {after}")
    digits_left = [ch for ch in result.text if ch.isdigit()]
    assert digits_left == [] or number not in result.text
    assert not any(number[i:] in result.text for i in range(len(number) - 6))


@given(st.integers(0, 99_999))
def test_five_digit_numbers_are_not_phone_numbers(value: int) -> None:
    text = f"Vi fick {value} svar på enkäten."
    assert redact(text).text == text
