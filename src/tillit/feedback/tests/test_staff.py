"""Staff feedback: reflection after closing, appreciation between colleagues, the case panel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from tillit.cases import actions as case_actions
from tillit.cases.panels import render_case_panels
from tillit.cases.queries import Access
from tillit.cases.tests.factories import offer, register
from tillit.feedback import actions
from tillit.feedback.models import Appreciation, Reflection
from tillit.feedback.tests.helpers import closed_case


def test_the_handler_reflects_after_closing_for_the_team(client, world):
    case = closed_case(world)
    client.force_login(world.centre_staff)
    url = reverse("feedback:reflect", args=[case.pk])
    assert "Skapade vi värdet tillsammans med invånaren?" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "co_created": "partly",
            "citizen_part": "Ritningen saknades.",
            "our_part": "Tydligare info.",
        },
    )
    assert response.status_code == 302
    assert Reflection.objects.get().co_created == "partly"
    client.post(url, {"co_created": "yes", "our_part": "Bra samtal."})
    assert Reflection.objects.count() == 1 and Reflection.objects.get().co_created == "yes"
    client.force_login(world.centre_colleague)
    team = client.get(reverse("feedback:reflections")).content.decode()
    assert "Bra samtal." in team and case.registration_number in team
    assert world.centre_staff.get_full_name() not in team, "reflections are not signed"


def test_no_reflection_before_closing_or_without_the_case(client, world):
    case = register(world)
    with pytest.raises(ValidationError):
        actions.record_reflection(case=case, by=world.centre_staff, co_created="yes")
    client.force_login(world.other_staff)
    assert client.get(reverse("feedback:reflect", args=[case.pk])).status_code == 404


def test_a_colleagues_appreciation_appears_in_the_receivers_feed(client, world):
    case = closed_case(world)
    client.force_login(world.centre_colleague)
    form = client.get(reverse("feedback:appreciate", args=[case.pk])).content.decode()
    assert world.centre_staff.get_full_name() in form
    key = form.split('name="submission_key" value="')[1].split('"')[0]
    data = {
        "to": world.centre_staff.pk,
        "message": "Tack för ett fint samtal!",
        "submission_key": key,
    }
    assert client.post(reverse("feedback:appreciate", args=[case.pk]), data).status_code == 302
    assert client.post(reverse("feedback:appreciate", args=[case.pk]), data).status_code == 302
    assert Appreciation.objects.count() == 1, "a double submit sends one"
    client.force_login(world.centre_staff)
    feed = client.get(reverse("feedback:appreciation")).content.decode()
    assert "Tack för ett fint samtal!" in feed and case.registration_number in feed
    start = client.get(reverse("accounts:start")).content.decode()
    assert "Uppskattning till dig" in start


def test_appreciation_goes_only_to_someone_who_may_see_the_case(world):
    case = closed_case(world, is_secret=True, secrecy_provision="26 kap. 1 § OSL")
    with pytest.raises(ValidationError) as refusal:
        actions.send_appreciation(
            case=case,
            by=world.centre_staff,
            to=world.other_staff,
            message="Bra!",
            submission_key="k1",
        )
    assert "to" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        actions.send_appreciation(
            case=case,
            by=world.other_staff,
            to=world.centre_staff,
            message="Bra!",
            submission_key="k2",
        )
    assert not Appreciation.objects.exists()


def test_a_receiver_who_lost_access_is_not_told_about_the_case(client, world):
    case = register(world, subject="Ansökan om bistånd")
    handover = offer(world, case)
    # The administration may read the offered case, so a centre colleague can thank them.
    actions.send_appreciation(
        case=case,
        by=world.centre_staff,
        to=world.admin_staff,
        message="Tack för hjälpen med Karin Nyströms ärende!",
        submission_key="k3",
    )
    case_actions.return_handover(handover=handover, by=world.admin_colleague, reason="Fel enhet.")
    client.force_login(world.admin_staff)
    feed = client.get(reverse("feedback:appreciation")).content.decode()
    assert case.registration_number not in feed and "Karin" not in feed
    assert "ett ärende du inte längre kan se" in feed
    assert "Tack för hjälpen med [namn] ärende!" in feed


def test_the_case_panel_offers_what_the_reader_may_do(world):
    case = closed_case(world)
    request = RequestFactory().get(f"/arenden/{case.pk}/")
    request.user = world.centre_colleague
    [work] = [
        html for html in render_case_panels(request, case, Access.WORK) if "Återkoppling" in html
    ]
    assert "Reflektera över mötet" in work and "Kvitto med enkätlänk" in work
    assert "Skicka uppskattning" in work and world.centre_staff.get_full_name() in work
    request.user = world.registrar
    [read] = [
        html for html in render_case_panels(request, case, Access.READ) if "Återkoppling" in html
    ]
    assert "Reflektera" not in read and "Kvitto" not in read
