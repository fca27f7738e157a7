"""Team pages: my team rhythm, a unit's rota and chores, swaps, calendar feeds, team figures."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tillit.organisation.models import Unit
from tillit.team import actions, feeds, queries
from tillit.team.booking_views import me
from tillit.team.forms import ChoreForm, RulesForm, SwapForm, submit
from tillit.team.periods import monday, quarter_of, shift_quarter


@login_required
def index(request: HttpRequest) -> HttpResponse:
    person = me(request)
    today = timezone.localdate()
    units = [
        {
            "unit": unit,
            "hero": queries.hero_week_of(unit, today),
            "stand_in": queries.hero_of(unit, today),
            "away": queries.away_in(unit, today),
        }
        for unit in queries.team_units(person)
    ]
    asked_of_me, asked_by_me = queries.open_swaps(person)
    return render(
        request,
        "team/index.html",
        {
            "units": units,
            "absences": queries.own_absences(person),
            "covering": queries.covering(person),
            "asked_of_me": asked_of_me,
            "asked_by_me": asked_by_me,
            "now": timezone.now(),
        },
    )


def _quarter(request: HttpRequest, today: date) -> tuple[int, int]:
    value = request.GET.get("kvartal", "")
    try:
        year, quarter = (int(part) for part in value.split("-"))
    except ValueError:
        return quarter_of(today)
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        return quarter_of(today)
    return year, quarter


@login_required
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    person = me(request)
    team = queries.unit_for(person, unit_id)
    today = timezone.localdate()
    year, quarter = _quarter(request, today)
    return render(
        request,
        "team/unit.html",
        {
            "unit": team,
            "rules": queries.rules_of(team),
            "hero": queries.hero_week_of(team, today),
            "stand_in": queries.hero_of(team, today),
            "rota": queries.rota(team, year, quarter, today=today),
            "year": year,
            "quarter": quarter,
            "previous": "{}-{}".format(*shift_quarter(year, quarter, -1)),
            "following": "{}-{}".format(*shift_quarter(year, quarter, 1)),
            "chores": queries.chores_for_week(team, monday(today)),
            "away": queries.away_in(team, today),
            "insights": queries.insights(team),
            "swaps": queries.recent_swaps(team),
            "may_manage": queries.may_manage(person, team),
            "today": today,
        },
    )


@login_required
def rules(request: HttpRequest, unit_id: int) -> HttpResponse:
    person = me(request)
    team = queries.unit_for(person, unit_id)
    if not queries.may_manage(person, team):
        raise Http404
    current = queries.rules_of(team)
    form = RulesForm(
        request.POST or None,
        initial={"min_present": current.min_present, "hero_rota": current.hero_rota},
    )
    if request.method == "POST":
        done = submit(
            request,
            form,
            partial(actions.set_unit_rules, unit=team, by=person),
            _("The unit's rules are saved."),
            reverse("team:unit", args=[team.pk]),
        )
        if done is not None:
            return done
    return render(
        request,
        "team/rules.html",
        {"unit": team, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def replan(request: HttpRequest, unit_id: int) -> HttpResponse:
    person = me(request)
    team = queries.unit_for(person, unit_id)
    try:
        changes = actions.replan_hero_rota(unit=team, by=person)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            _("The rota is planned again: %(count)d weeks changed.") % {"count": len(changes)},
        )
    return redirect("team:unit", unit_id=team.pk)


@login_required
def chores(request: HttpRequest, unit_id: int) -> HttpResponse:
    person = me(request)
    team = queries.unit_for(person, unit_id)
    form = ChoreForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            partial(actions.add_chore, unit=team, by=person),
            _("The chore is on the checklist."),
            reverse("team:chores", args=[team.pk]),
        )
        if done is not None:
            return done
    listed = [chore for chore, _tick in queries.chores_for_week(team, monday(timezone.localdate()))]
    return render(
        request,
        "team/chores.html",
        {"unit": team, "form": form, "chores": listed},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def chore_edit(request: HttpRequest, chore_id: int) -> HttpResponse:
    person = me(request)
    chore = queries.chore_for(person, chore_id)
    try:
        if request.POST.get("action") == "remove":
            actions.remove_chore(chore=chore, by=person)
            messages.success(request, _("The chore is off the checklist."))
        else:
            actions.rename_chore(chore=chore, by=person, title=request.POST.get("title", ""))
            messages.success(request, _("The chore is renamed."))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    return redirect("team:chores", unit_id=chore.unit_id)


@login_required
@require_POST
def chore_tick(request: HttpRequest, chore_id: int) -> HttpResponse:
    """Tick or untick this week's chore; HTMX swaps just the item, without it the page reloads."""
    person = me(request)
    chore = queries.chore_for(person, chore_id)
    if request.POST.get("done") == "1":
        actions.tick_chore(chore=chore, by=person)
    else:
        actions.untick_chore(chore=chore, by=person)
    if getattr(request, "htmx", False):
        week = monday(timezone.localdate())
        tick = dict(queries.chores_for_week(chore.unit, week)).get(chore)
        return render(request, "team/_chore.html", {"chore": chore, "tick": tick})
    return redirect(reverse("team:unit", args=[chore.unit_id]) + "#sysslor")


def _week_label(week: date, person: object) -> str:
    return _("week %(number)d (%(day)s): %(person)s") % {
        "number": week.isocalendar()[1],
        "day": date_format(week, "j b"),
        "person": person,
    }


@login_required
def swap_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    person = me(request)
    team = queries.unit_for(person, unit_id)
    weeks = {row.week.isoformat(): row for row in queries.future_hero_weeks(team)}
    mine = [
        (k, _week_label(r.week, r.person)) for k, r in weeks.items() if r.person_id == person.pk
    ]
    theirs = [
        (k, _week_label(r.week, r.person)) for k, r in weeks.items() if r.person_id != person.pk
    ]
    form = SwapForm(request.POST or None, mine=mine, theirs=theirs)
    if request.method == "POST":

        def ask(my_week: str, their_week: str, message: str) -> object:
            return actions.request_swap(
                by=person, my_week=weeks[my_week], their_week=weeks[their_week], message=message
            )

        done = submit(
            request,
            form,
            ask,
            _("Swap asked for. It is done when your colleague confirms."),
            reverse("team:unit", args=[team.pk]),
        )
        if done is not None:
            return done
    return render(
        request,
        "team/swap_new.html",
        {"unit": team, "form": form, "has_weeks": bool(mine)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def swap_answer(request: HttpRequest, swap_id: int) -> HttpResponse:
    person = me(request)
    swap = queries.swap_for(person, swap_id)
    answer = request.POST.get("answer")
    try:
        if answer == "confirm":
            swap = actions.confirm_swap(swap=swap, by=person)
            if swap.status == "void":
                messages.error(request, _("The rota changed since the swap was asked; it is void."))
            else:
                messages.success(request, _("Swap confirmed by both of you. The rota is updated."))
        elif answer == "decline":
            actions.decline_swap(swap=swap, by=person)
            messages.success(request, _("Swap declined."))
        elif answer == "withdraw":
            actions.withdraw_swap(swap=swap, by=person)
            messages.success(request, _("Swap withdrawn."))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    return redirect("team:index")


@login_required
@never_cache
def calendar(request: HttpRequest) -> HttpResponse:
    """Private calendar addresses: make one (shown once), or revoke it."""
    person = me(request)
    units = queries.team_units(person)
    made: str | None = None
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                actions.revoke_feed(feed=queries.feed_of(person, request.POST["revoke"]), by=person)
                messages.success(request, _("The address no longer works."))
                return redirect("team:calendar")
            scope = request.POST.get("unit", "")
            chosen: Unit | None = queries.unit_for(person, scope) if scope else None
            _feed, token = actions.create_feed(person=person, unit=chosen)
            made = request.build_absolute_uri(reverse("team:feed", args=[token]))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
    return render(
        request,
        "team/calendar.html",
        {"feeds": queries.feeds_of(person), "units": units, "made": made},
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a private address (no login: the token is the key)."""
    found = queries.feed_by_token(token)
    if found is None:
        raise Http404
    content = feeds.unit_feed(found.unit) if found.unit else feeds.person_feed(found.person)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="tillit.ics"'
    return response


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Team-level figures per unit and quarter; never a ranking of individuals."""
    person = me(request)
    year, quarter = quarter_of(timezone.localdate())
    quarters = [shift_quarter(year, quarter, -back) for back in range(3, -1, -1)]
    rows = [
        {"unit": team, "quarters": queries.figures(team, quarters)}
        for team in queries.team_units(person)
    ]
    return render(request, "team/figures.html", {"rows": rows})
