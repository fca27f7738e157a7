"""The case page: its owner, the citizen, the legs, the log, attachments and other panels."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from tillit.cases import actions, panels
from tillit.cases.models import Attachment, CaseEvent
from tillit.cases.parties import PartyInput
from tillit.cases.queries import Access
from tillit.cases.states import EventKind
from tillit.cases.tests.factories import offer, register
from tillit.cases.tests.pages import page_text, parts
from tillit.catalogue.models import CaseTypeVersion

STOCKHOLM = ZoneInfo("Europe/Stockholm")
KARIN = PartyInput(name="Karin Nyström", email="karin@example.com", personal_number="198112189876")


def url(case) -> str:
    return f"/arenden/{case.pk}/"


def test_the_header_shows_number_subject_owner_handler_status_due_date_and_type_version(
    world, client_for
):
    CaseTypeVersion.objects.create(case_type=world.case_type, number=3, status="published")
    case = register(world, handler=world.centre_staff, party=KARIN)
    text = page_text(client_for(world.centre_staff).get(url(case)))
    for shown in [
        case.registration_number,
        "Fråga om bygglov för altan",
        f"Ägs av Kundcenter · handläggare {world.centre_staff}",
        "Status Nytt",
        f"Förfallodag {case.due_date.isoformat()}",
        "Ärendetyp Bygglov, fråga (version 3)",
        "Kanal Telefon",
    ]:
        assert shown in text


def test_the_personnummer_is_whole_for_those_who_work_the_case_and_masked_for_readers(
    world, client_for
):
    case = register(world, party=KARIN)
    offer(world, case)
    worker = page_text(client_for(world.centre_staff).get(url(case)))
    reader = page_text(client_for(world.admin_staff).get(url(case)))
    assert "Personnummer 19811218-9876" in worker
    assert "Personnummer 19811218-****" in reader and "9876" not in reader


def test_a_reader_sees_the_case_and_the_offer_but_no_forms(world, client_for):
    case = register(world)
    handover = offer(world, case)
    response = client_for(world.admin_staff).get(url(case))
    text = page_text(response)
    assert "Du kan läsa ärendet men inte ändra det: det ägs av Kundcenter." in text
    assert "Erbjudet till Bygglov" in text and "Kundcenter äger ärendet tills" in text
    assert f'href="/arenden/inkommande/#offer-{handover.pk}"' in response.content.decode()
    assert 'method="post" action="/arenden/' not in response.content.decode()
    worker = client_for(world.centre_staff).get(url(case)).content.decode()
    assert f'action="/arenden/{case.pk}/anteckning/"' in worker
    assert f'action="/arenden/overlamningar/{handover.pk}/aterkalla/"' in worker


def test_missing_and_forbidden_cases_look_the_same(world, client_for):
    case = register(world)
    stranger = client_for(world.other_staff)
    forbidden = stranger.get(url(case))
    missing = stranger.get("/arenden/999999/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_every_read_of_a_secret_case_is_logged_and_shown_in_its_log(world, client_for):
    case = register(world)
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26 kap. 1 §")
    client = client_for(world.centre_staff)
    client.get(url(case))
    second = client.get(url(case))
    reads = CaseEvent.objects.filter(case=case, kind=EventKind.SECRET_READ)
    assert reads.count() == 2 and {read.actor for read in reads} == {world.centre_staff}
    entries = [e for e in parts(second, "timeline__entry") if "läst" in e]
    assert len(entries) == 2
    assert f"{world.centre_staff}, Kundcenter" in entries[0] and "Läst på ärendesidan" in entries[0]
    assert "Sekretessmarkering OSL 26 kap. 1 §" in page_text(second)
    assert client_for(world.registrar).get(url(case)).status_code == 404


def test_the_log_tells_notes_replies_citizen_messages_and_oral_information_apart(world, client_for):
    case = register(world, party=KARIN)
    actions.add_note(case=case, by=world.centre_staff, body="Ringde upp, ingen svarade.")
    actions.add_reply(case=case, by=world.centre_staff, body="Altanen kräver inte bygglov.")
    actions.add_citizen_message(case=case, body="Tack! Gäller det även ett tak?")
    given = datetime(2026, 3, 2, 9, 15, tzinfo=STOCKHOLM)
    actions.record_oral_information(
        case=case, by=world.centre_colleague, body="Förklarade reglerna.", given_at=given
    )
    response = client_for(world.centre_staff).get(url(case))
    [note] = parts(response, "timeline__entry--note")
    [reply] = parts(response, "timeline__entry--reply")
    [message] = parts(response, "timeline__entry--citizen")
    orals = parts(response, "timeline__entry--oral")
    assert "Intern: visas aldrig för invånaren" in note and "Ringde upp" in note
    assert "Skickat till invånaren" in reply and "Altanen kräver inte" in reply
    assert "Skrivet av invånaren" in message and "Karin Nyström" in message
    oral = next(entry for entry in orals if "Förklarade reglerna" in entry)
    assert "Lämnat muntligt (FL 27 §)" in oral
    assert f"{world.centre_colleague}, Kundcenter" in oral and "Lämnad 2026-03-02 09:15" in oral


def test_each_leg_shows_its_owner_and_its_time_in_working_days(world, client_for, clock):
    monday = datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)
    clock.now = monday
    case = register(world)
    handover = offer(world, case)
    clock.now = monday + timedelta(days=2)  # Wednesday
    actions.accept_handover(handover=handover, by=world.admin_staff)
    clock.now = monday + timedelta(days=7)  # the Monday after
    legs = parts(client_for(world.admin_staff).get(url(case)), "leg")
    assert legs == [
        "Kundcenter Arbetsdagar: 2 2026-03-02 – 2026-03-04",
        "Bygglov Arbetsdagar: 3 2026-03-04 – nu",
    ]


def test_panels_of_other_capabilities_are_shown_with_the_readers_access(
    world, client_for, monkeypatch
):
    monkeypatch.setattr(panels, "_panels", {})
    panels.register_case_panel(
        panels.CasePanel(
            key="echo",
            template="cases/tests/echo_panel.html",
            context=lambda request, case, access, log: {"note": f"panel för {request.user}"},
        )
    )
    case = register(world)
    offer(world, case)
    worker = page_text(client_for(world.centre_staff).get(url(case)))
    reader = page_text(client_for(world.admin_staff).get(url(case)))
    assert f"panel för {world.centre_staff} {Access.WORK}" in worker
    assert f"panel för {world.admin_staff} {Access.READ}" in reader


def attach(case, name="ritning.pdf", data=b"%PDF-1.4 ritning") -> Attachment:
    attachment = Attachment(
        case=case, original_name=name, content_type="application/pdf", size=len(data), sha256="0"
    )
    attachment.file.save("ritning.pdf", ContentFile(data), save=True)
    return attachment


def test_attachments_are_listed_and_downloaded_only_through_the_gateway(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = register(world)
    attachment = attach(case, name="Ritning <fasad>.pdf")
    worker = client_for(world.centre_staff)
    page = worker.get(url(case)).content.decode()
    download = f"/arenden/{case.pk}/bilagor/{attachment.pk}/"
    assert f'href="{download}"' in page and "Ritning &lt;fasad&gt;.pdf" in page
    response = worker.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ritning"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert client_for(world.other_staff).get(download).status_code == 404
    other_case = register(world)
    assert worker.get(f"/arenden/{other_case.pk}/bilagor/{attachment.pk}/").status_code == 404


def test_downloading_from_a_secret_case_is_logged(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = register(world)
    actions.mark_secret(case=case, by=world.centre_staff, provision="OSL 26 kap. 1 §")
    attachment = attach(case)
    client_for(world.centre_staff).get(f"/arenden/{case.pk}/bilagor/{attachment.pk}/")
    read = CaseEvent.objects.get(case=case, kind=EventKind.SECRET_READ)
    assert read.data == {"where": "attachment"}


def test_the_case_page_reads_a_long_log_in_the_same_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    case = register(world, party=KARIN)
    client = client_for(world.centre_staff)
    client.get(url(case))
    # The case's own reads (12) and the panels other capabilities contribute (mail: one when the
    # case has none, feedback: one without a survey); a long log costs no more (decision 0472).
    with django_assert_max_num_queries(15) as short:
        client.get(url(case))
    for number in range(30):
        actions.add_note(case=case, by=world.centre_colleague, body=f"Anteckning {number}")
    offer(world, case, by=world.centre_colleague)
    with django_assert_max_num_queries(len(short.captured_queries) + 1):
        assert len(parts(client.get(url(case)), "timeline__entry")) > 30


def test_every_staff_page_and_lookup_needs_a_login(world, client):
    case = register(world)
    handover = offer(world, case)
    for method, path in [
        ("get", "/arenden/ko/"),
        ("get", "/arenden/sok/?q=altan"),
        ("get", "/arenden/registrera/"),
        ("get", "/arenden/inkommande/"),
        ("get", "/arenden/uppslag/arendetyper/?type_search=bygg"),
        ("get", "/arenden/uppslag/personer/?erbjud-to_unit=1"),
        ("get", url(case)),
        ("get", f"/arenden/{case.pk}/bilagor/1/"),
        ("post", f"/arenden/{case.pk}/anteckning/"),
        ("post", f"/arenden/overlamningar/{handover.pk}/acceptera/"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/logga-in/"), path
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()
