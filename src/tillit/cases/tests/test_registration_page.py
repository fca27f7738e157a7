"""Quick registration of a phone call or a visit: one case per form however often it is sent,
a clear word about a wrong personnummer, and "resolved at first contact" in one step."""

import re

from tillit.cases.models import Case, CaseEvent
from tillit.cases.states import Channel, EventKind, Status
from tillit.cases.tests.pages import page_text
from tillit.catalogue.tests.factories import CaseTypeFactory


def fresh_form(client) -> dict[str, str]:
    html = client.get("/arenden/registrera/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    return {"token": token, "channel": "phone", "handle_myself": "on"}


def filled(world, client, **extra) -> dict[str, str]:
    return {
        **fresh_form(client),
        "case_type": str(world.case_type.pk),
        "subject": "Behöver jag bygglov för altan?",
        "description": "Altan på 25 kvm.",
        "name": "Karin Nyström",
        "phone": "070-174 06 11",
        "personal_number": "811218-9876",
        "oral_information": "Informerade om reglerna för altaner.",
        **extra,
    }


def test_a_phone_call_is_registered_and_its_case_opens(world, client_for):
    client = client_for(world.centre_staff)
    response = client.post("/arenden/registrera/", filled(world, client))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    assert case.channel == Channel.PHONE and case.owner_unit == world.centre
    assert case.handler == world.centre_staff
    assert case.party.personal_number == "198112189876"
    oral = case.events.get(kind=EventKind.ORAL_INFORMATION)
    assert oral.actor == world.centre_staff and oral.body == "Informerade om reglerna för altaner."
    assert f"{case.registration_number} registrerades (Kundcenter)." in page_text(
        client.get(response["Location"])
    )


def test_sending_the_same_form_twice_makes_one_case(world, client_for):
    client = client_for(world.centre_staff)
    data = filled(world, client)
    first = client.post("/arenden/registrera/", data)
    second = client.post("/arenden/registrera/", data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]
    other = client_for(world.centre_colleague).post("/arenden/registrera/", data)
    assert other.status_code == 302 and Case.objects.count() == 2  # a token is per person


def test_a_wrong_personnummer_is_explained_and_nothing_is_registered(world, client_for):
    client = client_for(world.centre_staff)
    response = client.post(
        "/arenden/registrera/", filled(world, client, personal_number="19811218-9875")
    )
    assert response.status_code == 422
    assert (
        '<ul class="errorlist" id="id_personal_number_error"><li>19811218-9875 är inte ett giltigt'
        in response.content.decode()
    )
    assert "sista siffran är en kontrollsiffra" in page_text(response)
    assert 'value="Behöver jag bygglov för altan?"' in response.content.decode()  # kept
    assert not Case.objects.exists()


def test_contact_details_need_a_name_and_a_case_type_is_required(world, client_for):
    client = client_for(world.centre_staff)
    data = filled(world, client, name="", case_type="")
    text = page_text(client.post("/arenden/registrera/", data))
    assert "Skriv invånarens namn när du antecknar kontaktuppgifter." in text
    assert "Välj en ärendetyp." in text
    assert not Case.objects.exists()


def test_resolved_at_first_contact_registers_and_closes_in_one_step(world, client_for):
    client = client_for(world.centre_staff)
    data = filled(world, client, resolved_at_first_contact="on", channel="visit")
    client.post("/arenden/registrera/", data)
    case = Case.objects.get()
    assert case.status == Status.CLOSED and case.resolved_at_first_contact
    assert case.owner_unit == world.centre and case.handler == world.centre_staff
    assert case.channel == Channel.VISIT


def test_a_case_routed_to_another_unit_that_keeps_it_secret_returns_to_the_form(world, client_for):
    secret_type = CaseTypeFactory(administration=world.other, direct=True, secret=True)
    client = client_for(world.centre_staff)
    response = client.post(
        "/arenden/registrera/", filled(world, client, case_type=str(secret_type.pk))
    )
    case = Case.objects.get()
    assert case.owner_unit == world.other and case.is_secret and case.handler is None
    assert response["Location"] == "/arenden/registrera/"
    assert f"{case.registration_number} registrerades för Socialförvaltningen." in page_text(
        client.get(response["Location"])
    )


def test_without_javascript_the_list_holds_every_active_case_type(world, client_for):
    CaseTypeFactory(administration=world.administration, name="Avfallshämtning")
    CaseTypeFactory(administration=world.administration, name="Gammal typ", is_active=False)
    html = client_for(world.centre_staff).get("/arenden/registrera/").content.decode()
    assert '<select name="case_type" size="8"' in html
    assert "Avfallshämtning" in html and "Bygglov, fråga" in html and "Gammal typ" not in html
    assert "data-needs-js hidden" in html  # the search box appears only with JavaScript


def test_the_case_type_lookup_narrows_the_list_and_says_how_many_match(world, client_for):
    CaseTypeFactory(administration=world.administration, name="Avfallshämtning", keywords="sopor")
    client = client_for(world.centre_staff)
    response = client.get("/arenden/uppslag/arendetyper/", {"type_search": "sopor"})
    html = response.content.decode()
    assert "Avfallshämtning" in html and "Bygglov" not in html
    assert 'hx-swap-oob="innerHTML:#id_type_search_count"' in html
    assert "Matchande ärendetyper: 1." in html
    kept = client.get(
        "/arenden/uppslag/arendetyper/",
        {"arendetyp-type_search": "", "arendetyp-case_type": str(world.case_type.pk)},
    ).content.decode()
    assert f'<option value="{world.case_type.pk}" selected>' in kept
    assert "#id_arendetyp-type_search_count" in kept


def test_the_person_lookup_lists_the_people_of_the_chosen_unit(world, client_for):
    client = client_for(world.centre_staff)
    html = client.get(
        "/arenden/uppslag/personer/", {"erbjud-to_unit": world.administration.pk}
    ).content.decode()
    assert str(world.admin_colleague) in html and str(world.other_staff) not in html
    assert client.get("/arenden/uppslag/personer/", {"erbjud-to_unit": "x"}).status_code == 200


def test_registration_needs_a_login_and_the_form_token(world, client, client_for):
    assert client.get("/arenden/registrera/").status_code == 302
    staff = client_for(world.centre_staff)
    broken = filled(world, staff, token="z" * 32)
    assert staff.post("/arenden/registrera/", broken).status_code == 422
    assert not CaseEvent.objects.exists()
