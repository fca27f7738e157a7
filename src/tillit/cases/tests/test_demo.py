"""The demo municipality's cases: about 150 in every state, told through the actions on working
days of the last months, and loading the demo again changes nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tillit.cases.models import Case, CaseEvent, Handover
from tillit.cases.states import EventKind, HandoverStatus, Status


def snapshot() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), Handover.objects.count()


def test_the_demo_tells_cases_in_every_state_once(db):
    call_command("demo", stdout=StringIO())
    now = timezone.now()
    cases = Case.objects.all()
    assert 140 <= cases.count() <= 300  # the cases demo tells ~150; mail, feedback add theirs
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert cases.filter(resolved_at_first_contact=True, status=Status.CLOSED).count() >= 30
    assert cases.filter(is_secret=True, owner_unit__code="SOC").exists()
    assert {"KC", "SBF", "SOC", "UBF", "VOF", "KFF", "KLK"} <= set(
        cases.values_list("owner_unit__code", flat=True)
    )
    offers = Handover.objects.all()
    assert set(offers.values_list("status", flat=True)) == set(HandoverStatus.values)
    [late] = offers.filter(escalated_at__isnull=False)
    assert late.status == HandoverStatus.OPEN and late.answer_by < now
    assert offers.filter(status=HandoverStatus.OPEN, answer_by__gt=now).count() >= 5
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert {
        EventKind.NOTE,
        EventKind.REPLY,
        EventKind.ORAL_INFORMATION,
        EventKind.CITIZEN_MESSAGE,
        EventKind.RETURNED,
        EventKind.ESCALATED,
    } <= kinds
    oldest = cases.order_by("created_at").first().created_at
    assert now - timedelta(days=120) < oldest < now - timedelta(days=40)
    for case in cases:
        moments = list(case.events.order_by("id").values_list("at", flat=True))
        assert moments == sorted(moments) and moments[-1] <= now
    # The cases demo's own stories are numbered in the order they happened (other capabilities
    # replay their histories after it, with the numbers that come next).
    told = cases.filter(submission_key__startswith="demo:")
    assert 140 <= told.count() <= 160
    numbers = list(told.order_by("created_at").values_list("registration_number", flat=True))
    assert numbers == sorted(numbers)

    before = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == before
