"""The dashboard's charts: each one a table of numbers (shown on the page and exported as CSV)
and the SVG drawn from the same numbers, so chart, table and export can never disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tillit.cases.states import Channel
from tillit.catalogue.models import CaseType
from tillit.feedback import charts
from tillit.feedback.measures import (
    Scope,
    duration_histograms,
    percentile,
    sums_by_period_and_channel,
)
from tillit.feedback.states import Measure

Cell = str | int | float | None
Row = dict[str, Any]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[list[Cell]]
    svg: SafeString | None
    note: str = ""


# Each definition is shown under its chart; KKiK figures are SKR's measures computed from
# Tillit's own data, labelled as internal figures.
DEFINITIONS: dict[str, Promise] = {
    "incoming": gettext_lazy(
        "Cases that started at the unit in the period: registered there or accepted from another "
        "unit by hand-over. For the whole municipality each case counts once, where it was "
        "registered."
    ),
    "incoming_over_time": gettext_lazy("The same cases, by the week or month they came in."),
    "first_contact": gettext_lazy(
        "Of the cases registered in the period, those resolved at first contact: answered and "
        "closed in the same call, visit or message, without a hand-over."
    ),
    "handovers": gettext_lazy(
        "Accepted hand-overs per case, for cases closed in the period. Offers that were "
        "returned or withdrawn do not count."
    ),
    "people": gettext_lazy(
        "The number of different staff the citizen dealt with per case closed in the period: "
        "who replied, gave oral information or sent e-mail, and who registered the case when "
        "the citizen called or visited."
    ),
    "time_to_help": gettext_lazy(
        "Working days from registration to closing (whole case) and for each leg: a leg is one "
        "unit's ownership, from registration or the accepted hand-over until the next accepted "
        "hand-over or the closing. Weekends, public holidays, Midsummer Eve, Christmas Eve, New "
        "Year's Eve and the municipality's closed days are not working days; the same day is 0. "
        "Median and 90th percentile (nearest rank) of cases closed in the period."
    ),
    "satisfaction": gettext_lazy(
        "Survey answers after closing, on SKR's scale: the 1–5 answers reported as 0–100 "
        "(5 = 100, 4 = 75, 3 = 50, 2 = 25, 1 = 0), averaged. Answers are anonymous; a period "
        "with fewer than %(minimum)d answers is not shown."
    ),
    "kkik": gettext_lazy(
        "Internal figures computed from Tillit's own data in the style of SKR's Kommunens "
        "Kvalitet i Korthet (KKiK); they are not the official KKiK survey. E-mail answered: "
        "cases that came in by e-mail whose first reply from staff was sent within one (two) "
        "working days of the day it arrived. Phone resolved directly: phone cases resolved at "
        "first contact. Treatment index: the average answer to the treatment question, 0–100."
    ),
}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} %".replace(".", ",")


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _period_label(period: date, weekly: bool) -> str:
    if weekly:
        return _("week %(week)d") % {"week": period.isocalendar().week}
    return date_format(period, "M Y")


def _channel(value: str) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return value


def build(scope: Scope, *, municipality: bool) -> list[Chart]:
    """Every chart for one scope: two queries on the roll-up tables, whatever the data size."""
    # One pass over the roll-up, by period and channel; the rest is added up here.
    cells = sums_by_period_and_channel(scope)
    by_channel = _added_up(cells, "channel")
    by_period = _added_up(cells, "period")
    total: dict[str, int] = defaultdict(int)
    for row in by_channel:
        for name, value in row.items():
            if name != "channel":
                total[name] += value or 0
    incoming_field = "registered" if municipality else "arrived"
    return [
        _incoming(by_channel, incoming_field),
        _incoming_over_time(by_period, incoming_field, scope.weekly),
        _first_contact(by_channel),
        _distribution(
            "handovers",
            _("Hand-overs per case"),
            _("Hand-overs"),
            [("0", "handovers_0"), ("1", "handovers_1"), ("2+", "handovers_2plus")],
            total,
            mean=("handovers", "closed"),
        ),
        _distribution(
            "people",
            _("Staff the citizen dealt with per case"),
            _("People"),
            [("0", "people_0"), ("1", "people_1"), ("2", "people_2"), ("3+", "people_3plus")],
            total,
            mean=("people", "closed"),
        ),
        _time_to_help(scope),
        _satisfaction(by_period, scope.weekly),
        _kkik(by_channel, total),
    ]


def _added_up(cells: list[Row], key: str) -> list[Row]:
    """The counters of `cells` summed per value of `key`, in the order the values come."""
    rows: dict[Any, Row] = {}
    for cell in cells:
        row = rows.setdefault(cell[key], {key: cell[key]})
        for name, value in cell.items():
            if name not in ("period", "channel"):
                row[name] = row.get(name, 0) + (value or 0)
    return sorted(rows.values(), key=lambda row: row[key])


def _incoming(rows: list[Row], field: str) -> Chart:
    counts = sorted(
        ((_channel(row["channel"]), int(row[field] or 0)) for row in rows if row[field]),
        key=lambda pair: -pair[1],
    )
    data: list[list[Cell]] = [[name, n] for name, n in counts]
    total = sum(n for _name, n in counts)
    title = _("Incoming cases per channel")
    return Chart(
        key="incoming",
        title=title,
        definition=str(DEFINITIONS["incoming"]),
        columns=[_("Channel"), _("Cases")],
        rows=data,
        svg=charts.bar_chart(
            chart_id="chart-incoming",
            title=title,
            description=_("%(total)d cases in all.") % {"total": total},
            bars=[charts.Bar(name, float(n), str(n)) for name, n in counts],
        )
        if counts
        else None,
    )


def _incoming_over_time(rows: list[Row], field: str, weekly: bool) -> Chart:
    counts = [(_period_label(row["period"], weekly), int(row[field] or 0)) for row in rows]
    data: list[list[Cell]] = [[name, n] for name, n in counts]
    title = _("Incoming cases over time")
    return Chart(
        key="incoming_over_time",
        title=title,
        definition=str(DEFINITIONS["incoming_over_time"]),
        columns=[_("Week") if weekly else _("Month"), _("Cases")],
        rows=data,
        svg=charts.column_chart(
            chart_id="chart-incoming-time",
            title=title,
            description=_("Cases per week.") if weekly else _("Cases per month."),
            bars=[charts.Bar(name, float(n), str(n)) for name, n in counts],
        )
        if any(n for _name, n in counts)
        else None,
    )


def _first_contact(rows: list[Row]) -> Chart:
    data: list[list[Cell]] = []
    bars: list[charts.Bar] = []
    for row in rows:
        if row["registered"]:
            share = _share(row["first_contact"], row["registered"])
            name = _channel(row["channel"])
            data.append([name, row["registered"], row["first_contact"], share])
            bars.append(charts.Bar(name, share or 0.0, _pct(share)))
    title = pgettext("chart", "Resolved at first contact")
    return Chart(
        key="first_contact",
        title=title,
        definition=str(DEFINITIONS["first_contact"]),
        columns=[
            _("Channel"),
            pgettext("count", "Registered"),
            pgettext("chart", "Resolved at first contact"),
            _("Share (%)"),
        ],
        rows=data,
        svg=charts.bar_chart(
            chart_id="chart-first-contact",
            title=title,
            description=_("Share of registered cases resolved at first contact, per channel."),
            bars=bars,
            maximum=100,
        )
        if data
        else None,
    )


def _distribution(
    key: str,
    title: str,
    label: str,
    buckets: list[tuple[str, str]],
    total: dict[str, int],
    *,
    mean: tuple[str, str],
) -> Chart:
    closed = total["closed"]
    shares = [(name, total[field], _share(total[field], closed)) for name, field in buckets]
    data: list[list[Cell]] = [[name, n, share] for name, n, share in shares]
    average = round(total[mean[0]] / closed, 2) if closed else None
    note = (
        _("Mean: %(mean)s per case, %(cases)d closed cases.")
        % {"mean": f"{average:.2f}".replace(".", ","), "cases": closed}
        if average is not None
        else ""
    )
    return Chart(
        key=key,
        title=title,
        definition=str(DEFINITIONS[key]),
        columns=[label, _("Closed cases"), _("Share (%)")],
        rows=data,
        note=note,
        svg=charts.bar_chart(
            chart_id=f"chart-{key}",
            title=title,
            description=note,
            bars=[charts.Bar(name, float(n), _pct(share)) for name, n, share in shares],
        )
        if closed
        else None,
    )


def _time_to_help(scope: Scope) -> Chart:
    histograms = duration_histograms(scope)
    names = dict(
        CaseType.objects.filter(pk__in={kind for kind, _m in histograms}).values_list("pk", "name")
    )
    data: list[list[Cell]] = []
    for kind in sorted({k for k, _m in histograms}, key=lambda k: names.get(k, "")):
        whole = histograms.get((kind, Measure.CASE), {})
        row: list[Cell] = [names.get(kind, "?"), sum(whole.values())]
        for measure in (Measure.CASE, Measure.CENTRE, Measure.ADMINISTRATION):
            histogram = histograms.get((kind, measure), {})
            row += [percentile(histogram, 0.5), percentile(histogram, 0.9)]
        data.append(row)
    title = _("Time to help (working days)")
    shown = [r for r in data if r[2] is not None]
    return Chart(
        key="time_to_help",
        title=title,
        definition=str(DEFINITIONS["time_to_help"]),
        columns=[
            _("Case type"),
            _("Closed cases"),
            _("Whole case, median"),
            _("Whole case, 90th percentile"),
            _("Contact centre, median"),
            _("Contact centre, 90th percentile"),
            _("Administration, median"),
            _("Administration, 90th percentile"),
        ],
        rows=data,
        svg=charts.bar_chart(
            chart_id="chart-time-to-help",
            title=title,
            description=_("Median working days per case type, whole case."),
            bars=[
                charts.Bar(
                    str(r[0]),
                    float(r[2] or 0),
                    _("%(median)s (90 %%: %(p90)s)") % {"median": r[2], "p90": r[3]},
                )
                for r in shown
            ],
        )
        if shown
        else None,
    )


def _index(row: dict[str, int], field: str, minimum: int) -> float | None:
    answers = row["answers"] or 0
    if answers < minimum:
        return None
    return round((row[field] or 0) / answers, 1)


def _satisfaction(rows: list[Row], weekly: bool) -> Chart:
    minimum = settings.TILLIT_FEEDBACK_MIN_ANSWERS
    data: list[list[Cell]] = [
        [
            _period_label(row["period"], weekly),
            row["answers"] or 0,
            _index(row, "treatment_sum", minimum),
            _index(row, "help_sum", minimum),
            _index(row, "ease_sum", minimum),
        ]
        for row in rows
        if row["answers"]
    ]
    title = _("Satisfaction over time (index 0–100)")
    names = [_("Treatment"), _("Got help"), _("Ease")]
    return Chart(
        key="satisfaction",
        title=title,
        definition=str(DEFINITIONS["satisfaction"]) % {"minimum": minimum},
        columns=[_("Week") if weekly else _("Month"), _("Answers"), *names],
        rows=data,
        svg=charts.line_chart(
            chart_id="chart-satisfaction",
            title=title,
            description=_("Treatment, help and ease per period, 0–100."),
            periods=[str(r[0]) for r in data],
            series=[
                charts.Series(name, [r[2 + i] for r in data])  # type: ignore[misc]
                for i, name in enumerate(names)
            ],
        )
        if any(r[2] is not None for r in data)
        else None,
    )


def _kkik(rows: list[Row], total: dict[str, int]) -> Chart:
    minimum = settings.TILLIT_FEEDBACK_MIN_ANSWERS
    email = next((r for r in rows if r["channel"] == Channel.EMAIL), None) or defaultdict(int)
    phone = next((r for r in rows if r["channel"] == Channel.PHONE), None) or defaultdict(int)
    answers = total["answers"]
    treatment = round(total["treatment_sum"] / answers, 1) if answers >= minimum else None

    def ratio(label: str, row: Row, part: str) -> list[Cell]:
        counted, out_of = row[part] or 0, row["registered"] or 0
        return [label, _share(counted, out_of), counted, out_of]

    data: list[list[Cell]] = [
        ratio(_("E-mail answered within one working day (%)"), email, "email_1wd"),
        ratio(_("E-mail answered within two working days (%)"), email, "email_2wd"),
        ratio(_("Phone contacts resolved directly (%)"), phone, "first_contact"),
        [_("Treatment index (0–100)"), treatment, answers, total["surveys_sent"]],
    ]
    title = _("KKiK-style measures (internal figures)")
    return Chart(
        key="kkik",
        title=title,
        definition=str(DEFINITIONS["kkik"]),
        columns=[_("Measure"), _("Value"), _("Counted"), _("Out of")],
        rows=data,
        svg=charts.bar_chart(
            chart_id="chart-kkik",
            title=title,
            description=_("Each measure on a scale of 0 to 100."),
            bars=[
                charts.Bar(str(r[0]), float(r[1] or 0), _pct(r[1]) if i < 3 else _number(r[1]))  # type: ignore[arg-type]
                for i, r in enumerate(data)
            ],
            maximum=100,
        ),
    )
