"""The demo shows the shared mailbox working: mailboxes per unit, e-mail waiting to be triaged,
and a thread answered from Tillit that the citizen wrote back to. Loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tillit.cases.models import Case
from tillit.cases.states import EventKind, Status
from tillit.mailbox.models import InboundMessage, Mailbox, OutboundMessage
from tillit.mailbox.states import InboundStatus


@pytest.mark.django_db
def test_the_demo_has_mailboxes_a_queue_to_triage_and_an_answered_thread():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Case.objects.count(), InboundMessage.objects.count(), OutboundMessage.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = (Case.objects.count(), InboundMessage.objects.count(), OutboundMessage.objects.count())
    assert after == counts
    centre = Mailbox.objects.get(unit__code="KC")
    assert centre.address == "kc@sjobacka.se"
    assert Mailbox.objects.count() >= 6
    assert Mailbox.objects.get(unit__code="SOC").intake_type.default_secret
    waiting = Case.objects.filter(case_type=centre.intake_type, status=Status.NEW)
    assert waiting.count() == 4
    assert InboundMessage.objects.filter(status=InboundStatus.IGNORED).count() == 1
    thread = Case.objects.get(case_type__code="lokalbokning", channel="email")
    kinds = list(thread.events.values_list("kind", flat=True))
    assert EventKind.REPLY in kinds and kinds.count(EventKind.EMAIL_IN) == 2
    assert thread.events.filter(kind=EventKind.CITIZEN_MESSAGE).exists()
    assert thread.status == Status.IN_PROGRESS  # the citizen's answer resumed the waiting case
