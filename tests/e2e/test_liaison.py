"""Liaison meetings in a real browser: a contact person proposes an agenda item for the next
meeting with the contact centre; on the day, the centre's manager writes the minutes, adds an
action item and approves the minutes; the owner marks the action item done. Every page passes
axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.liaison.models import ActionItem, ActionStatus, Meeting, MeetingSeries

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_meeting_is_prepared_held_approved_and_followed_up(demo, login, page: Page, live_server):
    base = live_server.url
    meeting = Meeting.objects.get(series__administration__code="SOC", approved_at__isnull=True)

    # The administration's contact person proposes an item before the meeting.
    login("amina.osman")
    page.goto(f"{base}/samverkan/")
    page.get_by_role("link", name="Samverkansmöte Kundcenter – Socialförvaltningen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Socialförvaltningen")
    assert_accessible(page)
    page.locator(".liaison-meetings").first.get_by_role("link").first.click()
    expect(page.locator(".liaison-agenda")).to_contain_text(
        "Ta fram ett stödmanus för frågor om nödprövning"  # carried forward, overdue
    )
    expect(page.locator(".liaison-agenda")).to_contain_text("försenad")
    page.locator("summary", has_text="Föreslå en punkt till dagordningen").click()
    page.get_by_role("button", name="Föreslå punkten").click()  # empty: refused, summarised
    expect(page.locator(".error-summary")).to_contain_text(
        "Punkt på dagordningen: Fältet måste fyllas i."
    )
    assert_accessible(page)
    page.get_by_label("Punkt på dagordningen").fill("Nya telefontider under helgerna")
    page.get_by_label("Bakgrund").fill("Telefonen är stängd 24 december–1 januari.")
    page.get_by_label("Gäller ärendetypen").select_option(index=1)
    page.get_by_role("button", name="Föreslå punkten").click()
    expect(page.get_by_role("status")).to_contain_text("Punkten är med på dagordningen.")
    expect(page.locator(".liaison-agenda")).to_contain_text("Nya telefontider under helgerna")
    assert_accessible(page)

    # The day of the meeting comes.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    # The centre's manager writes the minutes of every item and adds an action item.
    chair_context = page.context.browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    chair = login("lars.andersson", chair_context.new_page())
    chair.goto(f"{base}/samverkan/moten/{meeting.pk}/")
    chair.get_by_role("button", name="Justera protokollet").click()  # no minutes yet: refused
    expect(chair.locator(".error-summary")).to_contain_text("Skriv först protokoll")
    assert_accessible(chair)
    for item in meeting.agenda.order_by("position"):
        block = chair.locator(f"#punkt-{item.pk}")
        block.get_by_label("Protokoll").fill(f"Diskuterades: {item.title}.")
        block.get_by_role("button", name=re.compile("Spara protokollet")).click()
        expect(chair.get_by_role("status")).to_contain_text("Protokollet för punkten är sparat.")
    chair.locator("summary", has_text="Lägg till en åtgärd").click()
    chair.get_by_label("Vad ska göras").fill("Lägg ut helgtiderna på webben")
    chair.get_by_label("Ansvarig").select_option(label="Amina Osman (Socialsekreterare)")
    chair.get_by_role("button", name="Lägg till åtgärden").click()
    expect(chair.get_by_role("status")).to_contain_text("Åtgärden är tillagd.")
    expect(chair.locator(".liaison-actions")).to_contain_text("Lägg ut helgtiderna på webben")
    assert_accessible(chair)
    chair.get_by_role("button", name="Justera protokollet").click()
    expect(chair.get_by_role("status")).to_contain_text("Protokollet är justerat.")
    expect(chair.locator("body")).not_to_contain_text("Spara protokollet")
    chair.get_by_role("link", name="Protokoll för utskrift").click()
    expect(chair.locator(".liaison-print")).to_contain_text("Justerat av Lars Andersson")
    expect(chair.locator(".liaison-print")).to_contain_text("Diskuterades: Nya telefontider")
    assert_accessible(chair)

    # The owner marks her action item done from her list.
    page.get_by_role("link", name="Samverkan", exact=True).click()
    page.get_by_role("link", name="Mina åtgärder").click()
    mine = page.locator("article", has_text="Lägg ut helgtiderna på webben")
    mine.get_by_label("Hur det blev gjort").fill("Utlagt på webben.")
    mine.get_by_role("button", name=re.compile("Markera som klar")).click()
    expect(page.get_by_role("status")).to_contain_text("Åtgärden är markerad som klar.")
    assert_accessible(page)
    action = ActionItem.objects.get(text="Lägg ut helgtiderna på webben")
    assert action.status == ActionStatus.DONE
    assert action.done_by.username == "amina.osman"

    # On a phone the meeting pages fit 360 px (every series: the administrations' names are long).
    chair.set_viewport_size({"width": 360, "height": 740})
    for path in (
        f"/samverkan/moten/{meeting.pk}/",
        *(f"/samverkan/serier/{pk}/" for pk in MeetingSeries.objects.values_list("pk", flat=True)),
        "/samverkan/",
        "/samverkan/mina-atgarder/",
    ):
        chair.goto(f"{base}{path}")
        assert chair.evaluate("document.documentElement.scrollWidth") <= 360, path
    chair_context.close()
