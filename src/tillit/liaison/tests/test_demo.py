"""The demo: three administrations, each with a past meeting whose minutes are approved and an
upcoming one whose agenda carries the open action items forward; loading again changes nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tillit.cases.tests.pages import page_text
from tillit.liaison.models import ActionItem, ActionStatus, AgendaItem, Meeting, MeetingSeries
from tillit.organisation.models import Person


def test_the_demo_meetings(db):
    call_command("demo", stdout=StringIO())
    assert MeetingSeries.objects.count() == 3
    today = timezone.localdate()
    for series in MeetingSeries.objects.all():
        past, upcoming = series.meetings.order_by("starts_at")
        assert past.is_approved and past.starts_at < timezone.now()
        assert not upcoming.is_approved and upcoming.starts_at > timezone.now()
        actions = past.actions.all()
        assert actions.filter(status=ActionStatus.DONE).count() == 1
        overdue = actions.filter(status=ActionStatus.OPEN, due_date__lt=today)
        assert overdue.count() == 1
        carried = upcoming.agenda.filter(carried_action__isnull=False)
        assert set(carried.values_list("carried_action", flat=True)) == set(
            actions.filter(status=ActionStatus.OPEN).values_list("pk", flat=True)
        )
        assert upcoming.agenda.filter(carried_action__isnull=True, case_type__isnull=False)

    client = Client(headers={"Accept-Language": "sv"})
    client.force_login(Person.objects.get(username="amina.osman"))
    upcoming = Meeting.objects.filter(
        series__administration__code="SOC", approved_at__isnull=True
    ).get()
    text = page_text(client.get(f"/samverkan/moten/{upcoming.pk}/"))
    assert "Ta fram ett stödmanus för frågor om nödprövning" in text
    assert "försenad" in text
    mine = page_text(client.get("/samverkan/mina-atgarder/"))
    assert "Ta fram ett stödmanus för frågor om nödprövning" in mine

    before = (Meeting.objects.count(), AgendaItem.objects.count(), ActionItem.objects.count())
    call_command("demo", stdout=StringIO())
    after = (Meeting.objects.count(), AgendaItem.objects.count(), ActionItem.objects.count())
    assert after == before
