"""Incoming hand-overs: the receiving unit accepts or returns offers; the sender withdraws them.

When two people answer one offer at once, the action lets one win and tells the other who did;
that message is shown to the one who lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tillit.cases import actions, forms, queries
from tillit.cases.models import Handover
from tillit.cases.views import REFUSED, perform, person_of
from tillit.cases.views.case_page import render_case
from tillit.cases.views.queues import QUEUES, cursor_from
from tillit.organisation.models import Person


@dataclass(frozen=True)
class Answer:
    slug: str
    form: type[forms.HandoverForm]
    run: Callable[[Handover, Person, dict[str, Any]], object]
    done: str | Promise
    from_case_page: bool  # the sender answers on the case page, the receiver on the incoming page


ANSWERS = {
    answer.slug: answer
    for answer in [
        Answer(
            "acceptera",
            forms.AcceptForm,
            lambda handover, by, data: actions.accept_handover(
                handover=handover, by=by, handler=data["handler"]
            ),
            _("You accepted the case. Your unit owns it now."),
            from_case_page=False,
        ),
        Answer(
            "returnera",
            forms.ReturnForm,
            lambda handover, by, data: actions.return_handover(
                handover=handover, by=by, reason=data["reason"]
            ),
            _("The offer was returned. The offering unit keeps the case."),
            from_case_page=False,
        ),
        Answer(
            "aterkalla",
            forms.WithdrawForm,
            lambda handover, by, data: actions.withdraw_handover(
                handover=handover, by=by, reason=data["reason"]
            ),
            _("The offer was withdrawn."),
            from_case_page=True,
        ),
    ]
}


def prefix(slug: str, handover: Handover) -> str:
    return f"{slug}-{handover.pk}"


def render_incoming(
    request: HttpRequest,
    *,
    bound: dict[str, forms.HandoverForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    bound = bound or {}
    offers, next_cursor = queries.incoming_offers(person, before=cursor_from(request))
    now = timezone.now()
    people: dict[int, list[Person]] = {}  # one read per receiving unit, not per offer
    rows = []
    for offer in offers:
        if offer.to_unit_id not in people:
            people[offer.to_unit_id] = list(forms.people_in(offer.to_unit))
        accept, give_back = prefix("acceptera", offer), prefix("returnera", offer)
        rows.append(
            {
                "offer": offer,
                "overdue": offer.answer_by < now,
                "acceptera": bound.get(accept)
                or forms.AcceptForm(
                    handover=offer, person=person, prefix=accept, people=people[offer.to_unit_id]
                ),
                "returnera": bound.get(give_back)
                or forms.ReturnForm(handover=offer, person=person, prefix=give_back),
            }
        )
    context = {
        "queues": QUEUES,
        "rows": rows,
        "next_cursor": next_cursor,
        "errors": [form for form in bound.values() if form.errors],
    }
    return render(request, "cases/incoming.html", context, status=status)


@never_cache
@login_required
@require_GET
def incoming(request: HttpRequest) -> HttpResponse:
    return render_incoming(request)


@login_required
@require_POST
def answer_handover(request: HttpRequest, handover_id: int, slug: str) -> HttpResponse:
    answer = ANSWERS.get(slug)
    if answer is None:
        raise Http404
    person = person_of(request)
    handover = queries.handover_for(person, handover_id)
    key = prefix(slug, handover) if not answer.from_case_page else slug
    form = answer.form(request.POST, handover=handover, person=person, prefix=key)
    if perform(form, lambda data: answer.run(handover, person, data)) is not None:
        messages.success(request, str(answer.done))
        if slug == "returnera":
            return redirect(reverse("cases:incoming"))
        return redirect(reverse("cases:case", args=[handover.case_id]))
    if answer.from_case_page:
        case = queries.get_case_for(person, handover.case_id)
        return render_case(request, case, bound={key: form}, status=REFUSED)
    return render_incoming(request, bound={key: form}, status=REFUSED)
