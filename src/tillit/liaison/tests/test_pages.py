"""The pages: planning a meeting, proposing an item about a case type, Swedish validation
messages, escaped output, the printable minutes and the menu entry."""

from __future__ import annotations

import pytest

from tillit.cases.tests.pages import page_text
from tillit.catalogue.tests.factories import CaseTypeFactory
from tillit.liaison.models import Meeting
from tillit.liaison.tests.factories import at, make_liaison, plan, propose


@pytest.fixture
def liaison(world):
    return make_liaison(world)


def test_a_manager_plans_a_meeting_from_the_list(liaison, client_for):
    client = client_for(liaison.manager)
    start = client.get("/samverkan/")
    assert "Planera ett möte" in start.content.decode()
    assert 'aria-current="page">Samverkan<' in start.content.decode()
    refused = client.post(
        "/samverkan/moten/nytt/",
        {"new-administration": liaison.world.administration.pk, "new-day": "", "new-time": ""},
    )
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Datum: Fältet måste fyllas i." in text
    assert "Plats: Fältet måste fyllas i." in text
    day = at(7).date().isoformat()
    done = client.post(
        "/samverkan/moten/nytt/",
        {
            "new-administration": liaison.world.administration.pk,
            "new-day": day,
            "new-time": "13:30",
            "new-place": "Teams",
        },
    )
    meeting = Meeting.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/samverkan/moten/{meeting.pk}/"
    assert meeting.starts_at.astimezone().hour in (12, 13, 14)  # local 13:30
    assert "Samverkansmöte Kundcenter – Bygglov" in page_text(client.get("/samverkan/"))


def test_staff_cannot_plan_through_a_forged_form(liaison, client_for):
    response = client_for(liaison.world.centre_staff).post(
        "/samverkan/moten/nytt/",
        {
            "new-administration": liaison.world.administration.pk,
            "new-day": at(7).date().isoformat(),
            "new-time": "09:00",
            "new-place": "Teams",
        },
    )
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_a_contact_person_proposes_an_item_about_a_case_type(liaison, client_for):
    meeting = plan(liaison, starts_at=at(7))
    foreign = CaseTypeFactory(administration=liaison.world.other, name="Försörjningsstöd")
    client = client_for(liaison.contact)
    page = client.get(f"/samverkan/moten/{meeting.pk}/").content.decode()
    assert "Bygglov, fråga" in page and "Försörjningsstöd" not in page
    forged = client.post(
        f"/samverkan/moten/{meeting.pk}/punkter/",
        {"propose-title": "Fel förvaltning", "propose-case_type": foreign.pk},
    )
    assert forged.status_code == 422
    empty = client.post(f"/samverkan/moten/{meeting.pk}/punkter/", {"propose-title": " "})
    assert "Punkt på dagordningen: Fältet måste fyllas i." in page_text(empty)
    ok = client.post(
        f"/samverkan/moten/{meeting.pk}/punkter/",
        {
            "propose-title": "<script>alert(1)</script> Altaner",
            "propose-description": "Många frågor om altaner.",
            "propose-case_type": liaison.world.case_type.pk,
        },
    )
    assert ok.status_code == 302
    shown = client.get(f"/samverkan/moten/{meeting.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Altaner" in shown
    assert "<script>alert(1)" not in shown
    assert f'href="/katalog/typer/{liaison.world.case_type.pk}/"' in shown


def test_the_printable_minutes_of_a_meeting_not_yet_approved_say_so(liaison, client_for):
    meeting = plan(liaison, starts_at=at(-1))
    text = page_text(
        client_for(liaison.world.centre_staff).get(f"/samverkan/moten/{meeting.pk}/protokoll/")
    )
    assert "Utkast: protokollet är inte justerat än." in text
    assert "Stadshuset, rum Ekorren" in text


def test_an_organiser_reorders_the_agenda(liaison, client_for):
    meeting = plan(liaison, starts_at=at(7))
    first = propose(meeting, liaison.contact, "Först")
    second = propose(meeting, liaison.contact, "Sedan")
    staff = client_for(liaison.world.centre_staff)
    assert staff.post(f"/samverkan/moten/{meeting.pk}/punkter/{second.pk}/upp/").status_code == 404
    client = client_for(liaison.contact)
    assert client.post(f"/samverkan/moten/{meeting.pk}/punkter/{second.pk}/upp/").status_code == 302
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True)) == [
        "Sedan",
        "Först",
    ]
    text = page_text(client.get(f"/samverkan/moten/{meeting.pk}/"))
    assert text.index("Sedan") < text.index("Först")
    first.refresh_from_db()
    assert first.position == 2
