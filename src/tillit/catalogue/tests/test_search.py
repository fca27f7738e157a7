"""Catalogue search as you type: Swedish inflection, synonyms, prefixes, å ä ö typed as a o,
ranking, and the search fields kept when a type is saved or imported."""

from __future__ import annotations

import pytest

from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions, search
from tillit.catalogue.models import CaseType
from tillit.catalogue.queries import search_case_types
from tillit.catalogue.tests.factories import CaseTypeFactory

pytestmark = pytest.mark.django_db


def names(text: str, **kwargs: object) -> list[str]:
    return [t.name for t in search_case_types(text, **kwargs)]  # type: ignore[arg-type]


@pytest.fixture
def catalogue(world):
    unit = world.administration
    for name, keywords in [
        ("Bygglov", "nybyggnad tillbyggnad ritning"),
        ("Snöröjning och halkbekämpning", "plogning sandning is"),
        ("Förskola – plats i kö", "barnomsorg dagis"),
        ("Felanmälan gata och park", "gatubelysning snöröjning hål"),
        ("Hemtjänst", "äldreomsorg"),
        ("Färdtjänst", "taxi resor"),
    ]:
        CaseTypeFactory(administration=unit, name=name, public_name=name, keywords=keywords)
    return world


def test_an_inflected_form_finds_the_type(catalogue):
    assert "Bygglov" in names("bygglovet")
    assert "Bygglov" in names("bygglovs")
    assert "Hemtjänst" in names("hemtjänsten")


def test_a_synonym_in_the_keywords_finds_the_type(catalogue):
    assert names("plogning") == ["Snöröjning och halkbekämpning"]
    assert names("dagis") == ["Förskola – plats i kö"]


def test_letters_without_diacritics_find_the_type(catalogue):
    assert names("forskola") == ["Förskola – plats i kö"]
    assert names("förskolan") == ["Förskola – plats i kö"]
    assert names("FARDTJANST") == ["Färdtjänst"]
    assert "Snöröjning och halkbekämpning" in names("snorojning")


def test_a_prefix_finds_the_type_as_you_type(catalogue):
    assert names("byg") == ["Bygglov", "Bygglov, fråga"]
    assert names("plog") == ["Snöröjning och halkbekämpning"]
    assert names("snö") == ["Snöröjning och halkbekämpning", "Felanmälan gata och park"]


def test_a_word_inside_a_compound_finds_the_type(catalogue):
    assert names("tjänst") == ["Färdtjänst", "Hemtjänst"]


def test_a_name_match_ranks_above_a_keyword_match(catalogue):
    assert names("snöröjning") == ["Snöröjning och halkbekämpning", "Felanmälan gata och park"]
    CaseTypeFactory(administration=catalogue.other, name="Gatubelysning", keywords="lampa")
    # "Gatubelysning" (name) before "Felanmälan gata och park" (keyword).
    assert names("gatubelysning") == ["Gatubelysning", "Felanmälan gata och park"]


def test_every_word_must_match_and_stop_words_are_ignored(catalogue):
    assert names("snöröjning park") == ["Felanmälan gata och park"]
    assert names("bygglov för tillbyggnad") == ["Bygglov"]
    assert names("fråga bygglov") == ["Bygglov, fråga"]
    assert names("bygglov hemtjänst") == []
    assert names("xyz") == []


def test_inactive_and_non_public_types_are_left_out_when_asked(catalogue):
    CaseTypeFactory(administration=catalogue.other, name="Bygglovsarkiv", is_active=False)
    CaseTypeFactory(administration=catalogue.other, name="Bygglovsrådgivning", is_public=False)
    assert names("bygglov") == ["Bygglov", "Bygglov, fråga", "Bygglovsrådgivning"]
    assert names("bygglov", public_only=True) == ["Bygglov", "Bygglov, fråga"]


def test_saving_a_type_keeps_its_search_fields(catalogue):
    hemtjanst = CaseType.objects.get(name="Hemtjänst")
    hemtjanst.keywords = "trygghetslarm"
    hemtjanst.save(update_fields=["keywords"])
    assert names("trygghetslarmet") == ["Hemtjänst"]
    assert names("äldreomsorg") == []
    hemtjanst.refresh_from_db()
    assert hemtjanst.search_document == " hemtjanst | trygghetslarm "


def test_an_imported_type_is_found(world):
    data = (
        "code;name;public_name;administration;routing;service_days_centre;"
        "service_days_administration;documentation_level;is_public;default_secret;"
        "retention_years;keywords;service_description;item_text;item_required;item_guidance;"
        "item_link\n"
        "parkering;Parkeringstillstånd;;SBF;centre_hands_over;1;10;standard;ja;nej;;"
        "rörelsehindrad p-tillstånd;;;;;\n"
    ).encode()
    actions.import_catalogue(data=data, filename="k.csv", by=world.admin_contact)
    assert names("rorelsehindrad") == ["Parkeringstillstånd"]
    assert names("parkeringstillstånden") == ["Parkeringstillstånd"]


def test_the_document_folds_and_stems():
    stored = search.document(names=("Förskola – plats i kö", "Förskola"), keywords="Dagis")
    assert stored == " forskola forskol plats plat ko | dagis "
    assert search.split(stored) == (" forskola forskol plats plat ko ", " dagis ")
    assert search.document(names=("",), keywords="") == "  |  "


def test_the_catalogue_page_and_quick_registration_use_it(catalogue, client_for):
    client = client_for(catalogue.centre_staff)
    found = page_text(client.get("/katalog/", {"q": "forskolan"}))
    assert "Förskola – plats i kö" in found and "Hemtjänst" not in found
    html = client.get("/arenden/uppslag/arendetyper/", {"type_search": "plogning"}).content
    assert "Snöröjning och halkbekämpning" in html.decode()
    assert "Bygglov" not in html.decode()
