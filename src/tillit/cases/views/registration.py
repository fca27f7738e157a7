"""Quick registration of a phone call or a visit, and the small lookups its forms use.

The form carries a one-time token that becomes the registration's submission key, so a double
click or a resent form makes one case. The type-ahead lookups answer HTMX with `<option>`s; the
same form works without JavaScript (the list then holds every active case type).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from tillit.cases import actions, forms, queries
from tillit.cases.models import Case
from tillit.cases.views import REFUSED, perform, person_of


def _register(form: forms.RegistrationForm) -> Case:
    try:
        return actions.register_case(**form.registration())
    except IntegrityError:
        # The same form, submitted twice at once: the other request made the case first.
        return actions.register_case(**form.registration())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if request.method == "GET":
        form = forms.RegistrationForm(person=person)
        return render(request, "cases/register.html", {"form": form})
    form = forms.RegistrationForm(request.POST, person=person)
    case = perform(form, lambda data: _register(form))
    if case is not None:
        facts = {"number": case.registration_number, "unit": case.owner_unit}
        if queries.access_to(person, case) is None:
            # Routed to a unit that keeps it secret: whoever registered it cannot open it now.
            messages.success(request, _("%(number)s was registered for %(unit)s.") % facts)
            return redirect(reverse("cases:register"))
        messages.success(request, _("%(number)s was registered (%(unit)s).") % facts)
        return redirect(reverse("cases:case", args=[case.pk]))
    return render(request, "cases/register.html", {"form": form, "errors": [form]}, status=REFUSED)


def _param(request: HttpRequest, suffix: str) -> tuple[str, str]:
    """A lookup serves forms with and without a prefix: find the field by the end of its name."""
    for key in request.GET:
        if key.endswith(suffix) and len(key) < 60:
            # A NUL byte cannot reach a PostgreSQL query (it was a 500): it is no search text.
            return key, request.GET.get(key, "").replace("\x00", "")
    return suffix, ""


@login_required
@require_GET
def case_type_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s for the case-type list, narrowed by the search box (HTMX), and the number of
    matches for the search box's live region."""
    key, text = _param(request, "type_search")
    types = forms.search_types(text[:100])
    chosen = _param(request, "case_type")[1]
    ids = [t.pk for t in types]
    selected: int | None = int(chosen) if chosen.isdigit() else None
    if selected not in ids:
        selected = ids[0] if ids else None
    slug = "".join(c for c in key if c.isalnum() or c in "-_")
    context = {"types": types, "selected": selected, "count_id": f"id_{slug}_count"}
    return render(request, "cases/lookups/case_type_options.html", context)


@login_required
@require_GET
def person_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of the people in the unit chosen in the offer form (HTMX)."""
    value = _param(request, "to_unit")[1]
    unit = queries.active_unit(int(value)) if value.isdigit() and len(value) < 19 else None
    people = forms.people_in(unit) if unit is not None else []
    return render(request, "cases/lookups/person_options.html", {"people": people})
