"""The queues: what a handler needs on each row, filters, an older link, constant queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tillit.cases import actions
from tillit.cases.states import Channel
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text, parts
from tillit.cases.views import queues
from tillit.catalogue.tests.factories import CaseTypeFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def long_ago() -> datetime:
    return timezone.now() - timedelta(days=30)


def test_my_queue_shows_number_subject_owner_handler_status_due_date_and_markers(world, client_for):
    mine = register(world, handler=world.centre_staff, subject="Altan på Storgatan 4")
    offer(world, mine)
    late = register(world, handler=world.centre_staff, subject="Plank mot gatan", at=long_ago())
    someone_elses = register(world, handler=world.centre_colleague, subject="Friggebod")
    [late_row, mine_row] = sorted(
        parts(client_for(world.centre_staff).get("/arenden/ko/mina/"), "case-row"),
        key=lambda row: "Altan" in row,
    )
    assert mine.registration_number in mine_row
    for shown in [
        "Altan på Storgatan 4",
        "Kundcenter",
        str(world.centre_staff),
        "Nytt",
        "Erbjudet",
    ]:
        assert shown in mine_row
    assert mine.due_date.isoformat() in mine_row
    assert late.registration_number in late_row and "Försenat" in late_row
    assert "Erbjudet till" not in late_row
    assert someone_elses.registration_number not in mine_row + late_row


def test_the_unit_queue_holds_the_unassigned_cases_of_my_units(world, client_for):
    unassigned = register(world)
    assigned = register(world, handler=world.centre_colleague)
    text = page_text(client_for(world.centre_staff).get("/arenden/ko/enheten/"))
    assert unassigned.registration_number in text
    assert assigned.registration_number not in text
    assert unassigned.registration_number not in page_text(
        client_for(world.other_staff).get("/arenden/ko/enheten/")
    )


def test_the_overdue_queue_marks_an_offer_nobody_answered_in_time(world, client_for, clock):
    case = register(world)
    clock.now = timezone.now() - timedelta(days=5)
    offer(world, case)
    clock.now = clock.now + timedelta(days=5)
    [row] = parts(client_for(world.admin_staff).get("/arenden/ko/forsenade/"), "case-row")
    assert case.registration_number in row and "obesvarat i tid" in row


def test_waiting_and_closed_queues(world, client_for):
    waiting = register(world, handler=world.centre_staff)
    actions.wait_for_citizen(case=waiting, by=world.centre_staff, body="Ritningar")
    closed = register(world, handler=world.centre_staff)
    actions.close_case(case=closed, by=world.centre_staff, resolution="Besvarat")
    client = client_for(world.centre_staff)
    waiting_page = page_text(client.get("/arenden/ko/vantar/"))
    closed_page = page_text(client.get("/arenden/ko/avslutade/"))
    assert waiting.registration_number in waiting_page
    assert closed.registration_number not in waiting_page
    assert closed.registration_number in closed_page
    assert waiting.registration_number not in closed_page


def test_filters_narrow_the_queue_by_case_type_status_and_channel(world, client_for):
    phone = register(world, channel=Channel.PHONE)
    visit = register(world, channel=Channel.VISIT)
    waste = register(world, case_type=CaseTypeFactory(administration=world.administration))
    actions.start_work(case=visit, by=world.centre_staff)
    client = client_for(world.centre_staff)
    by_channel = page_text(client.get("/arenden/ko/enheten/", {"channel": "visit"}))
    assert visit.registration_number in by_channel
    assert phone.registration_number not in by_channel
    by_status = page_text(client.get("/arenden/ko/enheten/", {"status": "new"}))
    assert phone.registration_number in by_status
    assert visit.registration_number not in by_status
    by_type = page_text(client.get("/arenden/ko/enheten/", {"case_type": waste.case_type_id}))
    assert waste.registration_number in by_type
    assert phone.registration_number not in by_type
    unknown = page_text(client.get("/arenden/ko/enheten/", {"case_type": "999999"}))
    assert "Välj ett giltigt alternativ" in unknown  # said, and the queue shown unfiltered
    assert phone.registration_number in unknown and waste.registration_number in unknown


def test_the_older_link_carries_the_cursor_and_the_filters(world, client_for, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    oldest, middle, newest = (register(world, channel=Channel.VISIT) for _ in range(3))
    client = client_for(world.centre_staff)
    first = client.get("/arenden/ko/enheten/", {"channel": "visit"})
    text = page_text(first)
    assert newest.registration_number in text and middle.registration_number in text
    assert oldest.registration_number not in text
    link = f'href="?channel=visit&amp;fore={middle.pk}"'
    assert link in first.content.decode()
    second = page_text(client.get("/arenden/ko/enheten/", {"channel": "visit", "fore": middle.pk}))
    assert oldest.registration_number in second
    assert newest.registration_number not in second
    assert "Äldre ärenden" not in second


@pytest.mark.parametrize("queue", ["mina", "enheten", "forsenade"])
def test_a_queue_page_costs_the_same_queries_for_one_row_and_fifty(
    world, client_for, django_assert_max_num_queries, queue
):
    def add_case(number: int) -> None:
        case = register(
            world, at=long_ago(), handler=None if queue == "enheten" else world.centre_staff
        )
        if number % 3 == 0:
            offer(world, case)

    add_case(1)
    client = client_for(world.centre_staff)
    client.get(f"/arenden/ko/{queue}/")  # the session is warm, as in a working day
    # The queue's own reads, plus one for the menu (the units' mailboxes) and, for the overdue
    # queue, one for the late offers: a fixed cost, never one per row.
    with django_assert_max_num_queries(7) as one:
        assert len(parts(client.get(f"/arenden/ko/{queue}/"), "case-row")) == 1
    for number in range(2, 51):
        add_case(number)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(parts(client.get(f"/arenden/ko/{queue}/"), "case-row")) == 50


def test_queues_need_a_login_and_unknown_queues_are_not_found(world, client, client_for):
    response = client.get("/arenden/ko/mina/")
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert client_for(world.centre_staff).get("/arenden/ko/alla/").status_code == 404


def test_search_finds_readable_cases_by_word_and_by_number(world, client_for):
    case = register(world, subject="Trasig gatubelysning", description="Lampan vid skolan")
    hidden = register(world, subject="Gatubelysning", owner=world.other, by=world.other_staff)
    client = client_for(world.centre_staff)
    found = page_text(client.get("/arenden/sok/", {"q": "gatubelysningen"}))
    assert case.registration_number in found
    assert hidden.registration_number not in found
    by_number = page_text(client.get("/arenden/sok/", {"q": case.registration_number.lower()}))
    assert case.registration_number in by_number
    nothing = page_text(client.get("/arenden/sok/", {"q": "simhall"}))
    assert "Inget ärende som du får läsa matchar sökningen." in nothing
