"""The start page counts what waits for me; the menu leads to the queues and the registration."""

from datetime import timedelta

from django.utils import timezone

from tillit.cases import actions
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text
from tillit.organisation.tests.factories import PersonFactory


def test_the_start_page_counts_my_queue_my_units_queue_incoming_and_late_offers(
    world, client_for, clock
):
    register(world, handler=world.admin_staff, owner=world.administration, by=world.admin_staff)
    register(world, owner=world.administration, by=world.admin_staff)
    clock.now = timezone.now() - timedelta(days=5)
    offer(world, register(world))
    clock.now = clock.now + timedelta(days=5)
    offer(world, register(world))
    counts = page_text(client_for(world.admin_staff).get("/"))
    assert "1 I min kö" in counts
    assert "1 Utan handläggare i mina enheter" in counts
    assert "2 Inkommande överlämningar" in counts
    assert "1 Erbjudanden som inte besvarats i tid" in counts


def test_the_counts_follow_the_work(world, client_for):
    case = register(world)
    client = client_for(world.centre_staff)
    assert "1 Utan handläggare i mina enheter" in page_text(client.get("/"))
    actions.assign_case(case=case, handler=world.centre_staff, by=world.centre_staff)
    text = page_text(client.get("/"))
    assert "0 Utan handläggare i mina enheter" in text and "1 I min kö" in text


def test_the_menu_leads_to_the_cases_pages_for_people_who_work_in_a_unit(world, client_for):
    html = client_for(world.centre_staff).get("/arenden/ko/mina/").content.decode()
    for href, label in [
        ("/arenden/ko/", "Ärenden"),
        ("/arenden/registrera/", "Registrera"),
        ("/arenden/inkommande/", "Inkommande"),
        ("/arenden/sok/", "Sök"),
    ]:
        assert f'<a href="{href}"' in html and f">{label}</a>" in html
    assert '<a href="/arenden/ko/" aria-current="page">Ärenden</a>' in html
    newcomer = client_for(PersonFactory()).get("/").content.decode()
    assert "/arenden/ko/" not in newcomer and 'id="panel-cases"' not in newcomer
