"""Incoming hand-overs: the receiving unit accepts (with a handler) or returns (with a reason);
late offers are marked; the loser of two simultaneous acceptances is told who won."""

from datetime import timedelta

from django.utils import timezone

from tillit.cases.models import Case, Handover
from tillit.cases.states import HandoverStatus, Status
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text, parts


def answer(client, handover, slug, data=None):
    prefix = f"{slug}-{handover.pk}"
    return client.post(
        f"/arenden/overlamningar/{handover.pk}/{slug}/",
        {f"{prefix}-{key}": value for key, value in (data or {}).items()},
    )


def test_the_receiving_unit_sees_its_offers_and_the_late_ones_are_marked(world, client_for, clock):
    late_case, fresh_case = register(world, subject="Sen"), register(world, subject="Ny")
    clock.now = timezone.now() - timedelta(days=4)
    offer(world, late_case)
    clock.now = clock.now + timedelta(days=4)
    offer(world, fresh_case, to_person=world.admin_colleague)
    [fresh, late] = parts(client_for(world.admin_staff).get("/arenden/inkommande/"), "offer")
    assert fresh_case.registration_number in fresh and "Försenat" not in fresh
    assert f"Till Bygglov, {world.admin_colleague}" in fresh
    assert "Vad som har gjorts Gav allmän information om bygglov." in fresh
    assert "Vad som förväntas Bedöm om altanen kräver bygglov." in fresh
    assert late_case.registration_number in late and "Försenat: inte besvarat i tid" in late
    assert "Inga erbjudanden" in page_text(
        client_for(world.other_staff).get("/arenden/inkommande/")
    )


def test_accepting_moves_the_case_to_the_receiver_with_the_chosen_handler(world, client_for):
    case = register(world)
    handover = offer(world, case)
    response = answer(
        client_for(world.admin_staff), handover, "acceptera", {"handler": world.admin_colleague.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    case = Case.objects.get(pk=case.pk)
    assert case.owner_unit == world.administration and case.handler == world.admin_colleague
    assert case.status == Status.IN_PROGRESS


def test_returning_needs_a_reason_and_leaves_the_case_with_the_sender(world, client_for):
    case = register(world)
    handover = offer(world, case)
    client = client_for(world.admin_staff)
    refused = answer(client, handover, "returnera", {"reason": ""})
    assert refused.status_code == 422
    assert f'id="id_returnera-{handover.pk}-reason_error"><li>Fältet måste fyllas i.' in (
        refused.content.decode()
    )
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.OPEN
    returned = answer(client, handover, "returnera", {"reason": "Hör till miljöenheten."})
    assert returned.status_code == 302 and returned["Location"] == "/arenden/inkommande/"
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.RETURNED
    assert Case.objects.get(pk=case.pk).owner_unit == world.centre
    log = page_text(client_for(world.centre_staff).get(f"/arenden/{case.pk}/"))
    assert "Överlämning tillbakalämnad" in log and "Hör till miljöenheten." in log


def test_of_two_people_accepting_at_once_the_second_is_told_who_won(world, client_for):
    case = register(world)
    handover = offer(world, case)
    first, second = client_for(world.admin_staff), client_for(world.admin_colleague)
    second.get("/arenden/inkommande/")  # both have the offer on their screens
    assert answer(first, handover, "acceptera").status_code == 302
    lost = answer(second, handover, "acceptera")
    assert lost.status_code == 422
    assert f"Erbjudandet är redan accepterat av {world.admin_staff}." in page_text(lost)
    assert Case.objects.get(pk=case.pk).handler is None


def test_the_sender_withdraws_the_offer_from_the_case_page(world, client_for):
    case = register(world)
    handover = offer(world, case)
    client = client_for(world.centre_staff)
    response = client.post(
        f"/arenden/overlamningar/{handover.pk}/aterkalla/", {"aterkalla-reason": "Löst direkt."}
    )
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.WITHDRAWN
    again = client.post(f"/arenden/overlamningar/{handover.pk}/aterkalla/", {})
    assert again.status_code == 422
    assert "Erbjudandet är redan återkallat" in page_text(again)


def test_only_the_two_units_reach_an_offer_and_each_only_its_own_answers(world, client_for):
    case = register(world)
    handover = offer(world, case)
    assert answer(client_for(world.other_staff), handover, "acceptera").status_code == 404
    own = answer(client_for(world.centre_staff), handover, "acceptera")
    assert own.status_code == 422
    assert "Erbjudandet är inte riktat till din enhet." in page_text(own)
    assert answer(client_for(world.admin_staff), handover, "radera").status_code == 404


def test_the_incoming_page_costs_the_same_queries_for_one_offer_and_twenty(
    world, client_for, django_assert_max_num_queries
):
    offer(world, register(world))
    client = client_for(world.admin_staff)
    client.get("/arenden/inkommande/")
    with django_assert_max_num_queries(6):
        assert len(parts(client.get("/arenden/inkommande/"), "offer")) == 1
    for _ in range(19):
        offer(world, register(world), to_person=world.admin_contact)
    with django_assert_max_num_queries(6):
        assert len(parts(client.get("/arenden/inkommande/"), "offer")) == 20
