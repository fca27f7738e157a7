"""Ask the neighbour: a question from a case to colleagues or a case type's contact persons."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tillit.cases.states import EventKind
from tillit.cases.tests.factories import register
from tillit.cases.tests.pages import page_text
from tillit.catalogue import actions
from tillit.catalogue.models import Question


def test_a_question_to_the_contact_persons_is_answered_on_the_case(world, client_for):
    case = register(world)
    asker = client_for(world.centre_staff)
    asker.post(
        f"/katalog/arende/{case.pk}/fraga/",
        {"ask-to": "contacts", "ask-text": "Kräver en altan på 20 kvm bygglov?"},
    )
    question = Question.objects.get()
    assert question.to_unit == world.administration and question.contact_persons_only
    assert case.events.filter(kind=EventKind.QUESTION).exists()
    # only the contact person sees it among their questions, not the rest of the unit
    assert "altan på 20 kvm" not in page_text(client_for(world.admin_staff).get("/katalog/fragor/"))
    contact = client_for(world.admin_contact)
    assert "altan på 20 kvm" in page_text(contact.get("/katalog/fragor/"))
    contact.post(
        f"/katalog/fragor/{question.pk}/svar/",
        {f"q-{question.pk}-text": "Nej, inte om den är lägre än 1,8 meter."},
    )
    answer = case.events.get(kind=EventKind.ANSWER)
    assert answer.actor == world.admin_contact and "1,8 meter" in answer.body
    case_page = page_text(asker.get(f"/arenden/{case.pk}/"))
    assert "Nej, inte om den är lägre än 1,8 meter." in case_page
    start = page_text(asker.get("/"))
    assert "Svar på dina frågor" in start and "1,8 meter" in start
    asker.post(f"/katalog/fragor/{question.pk}/sett/", {"next": "/"})
    assert "1,8 meter" not in page_text(asker.get("/"))
    # kept on the case type for the next person
    assert "1,8 meter" in page_text(asker.get(f"/katalog/typer/{world.case_type.pk}/"))


def test_a_question_to_the_unit_goes_to_colleagues_but_not_to_the_asker(world, client_for):
    case = register(world)
    question = actions.ask_question(
        case=case,
        by=world.centre_staff,
        text="Vem har koll på bygglovstaxan?",
        to_unit=world.centre,
        contact_persons_only=False,
    )
    assert "bygglovstaxan" in page_text(client_for(world.centre_colleague).get("/katalog/fragor/"))
    assert "bygglovstaxan" not in page_text(client_for(world.centre_staff).get("/katalog/fragor/"))
    with pytest.raises(ValidationError):
        actions.answer_question(question=question, by=world.centre_staff, text="Jag själv.")
    with pytest.raises(ValidationError):
        actions.answer_question(question=question, by=world.other_staff, text="Inte jag.")
    actions.answer_question(question=question, by=world.centre_colleague, text="Lena.")
    with pytest.raises(ValidationError, match="redan besvarad"):
        actions.answer_question(question=question, by=world.centre_colleague, text="Igen.")


def test_only_those_who_work_the_case_ask_and_only_their_unit_or_the_types_contacts(world):
    case = register(world)
    with pytest.raises(ValidationError):
        actions.ask_question(
            case=case,
            by=world.admin_staff,
            text="Hej?",
            to_unit=world.centre,
            contact_persons_only=False,
        )
    with pytest.raises(ValidationError):
        actions.ask_question(
            case=case,
            by=world.centre_staff,
            text="Hej?",
            to_unit=world.other,
            contact_persons_only=False,
        )
    assert not Question.objects.exists()


def test_a_contact_person_promotes_an_answer_into_guidance_of_the_next_version(world, client_for):
    case = register(world)
    question = actions.ask_question(
        case=case,
        by=world.centre_staff,
        text="Behövs bygglov för en altan under 1,8 meter?",
        to_unit=world.administration,
        contact_persons_only=True,
    )
    actions.answer_question(question=question, by=world.admin_contact, text="Nej, inte då.")
    assert (
        client_for(world.admin_staff)
        .post(f"/katalog/fragor/{question.pk}/till-checklistan/")
        .status_code
        == 404
    )
    response = client_for(world.admin_contact).post(
        f"/katalog/fragor/{question.pk}/till-checklistan/"
    )
    assert response.status_code == 302
    draft = world.case_type.versions.get(status="draft")
    item = draft.items.get()
    assert (item.text, item.guidance, item.required) == (question.text, "Nej, inte då.", False)
