"""Charts drawn on the server as SVG: no script, no inline style (the CSP forbids both).

Colours come from classes in `static/feedback/feedback.css`; series are also told apart by their
line pattern and marker shape, never by colour alone (WCAG 1.4.1). Every chart has a title and
a description for screen readers, and the page shows the same numbers in a table beside it.
Every label is escaped: case-type names are typed in by people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 420
LABEL_WIDTH = 150
BAR_AREA = 170
ROW = 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown next to the bar, e.g. "42 %"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no figure for that period (a gap in the line)


def _short(label: str, size: int = 19) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _frame(
    chart_id: str, title: str, description: str, height: int, body: SafeString
) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'focusable="false"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one row per label, the value written after each bar."""
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    top = top or 1
    rows = []
    for i, bar in enumerate(bars):
        y = 8 + i * ROW
        length = round(BAR_AREA * max(bar.value, 0) / top, 1)
        rows.append(
            format_html(
                '<g><title>{}: {}</title><text class="chart-label" x="{}" y="{}" '
                'text-anchor="end">{}</text><rect class="chart-bar" x="{}" y="{}" width="{}" '
                'height="16" rx="2"/><text class="chart-value" x="{}" y="{}">{}</text></g>',
                bar.label,
                bar.text,
                LABEL_WIDTH - 6,
                y + 12,
                _short(bar.label),
                LABEL_WIDTH,
                y,
                length,
                LABEL_WIDTH + length + 4,
                y + 12,
                bar.text,
            )
        )
    height = 16 + ROW * max(len(bars), 1)
    return _frame(chart_id, title, description, height, mark_safe("".join(rows)))  # noqa: S308


def column_chart(*, chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> SafeString:
    """Vertical columns over time: one per period, labels below."""
    plot_top, plot_height, left = 12, 150, 36
    count = max(len(bars), 1)
    step = (WIDTH - left - 8) / count
    top = max((bar.value for bar in bars), default=0) or 1
    every = 1 if count <= 8 else 2 if count <= 16 else 4
    parts = [_grid(left, plot_top, plot_height, top, lambda v: f"{v:.0f}")]
    for i, bar in enumerate(bars):
        height = round(plot_height * bar.value / top, 1)
        x = round(left + i * step + step * 0.15, 1)
        parts.append(
            format_html(
                '<g><title>{}: {}</title><rect class="chart-bar" x="{}" y="{}" width="{}" '
                'height="{}"/></g>',
                bar.label,
                bar.text,
                x,
                round(plot_top + plot_height - height, 1),
                round(step * 0.7, 1),
                height,
            )
        )
        if i % every == 0:
            parts.append(_x_label(x + step * 0.35, plot_top + plot_height + 14, bar.label))
    return _frame(chart_id, title, description, plot_top + plot_height + 26, _join(parts))


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    periods: Sequence[str],
    series: Sequence[Series],
    maximum: float = 100,
) -> SafeString:
    """Lines over time on a fixed scale (the 0-100 index), with a legend; gaps where a period
    has too few answers to show."""
    plot_top, plot_height, left = 12, 150, 36
    count = max(len(periods), 1)
    step = (WIDTH - left - 44) / max(count - 1, 1)
    every = 1 if count <= 8 else 2 if count <= 16 else 4
    parts = [_grid(left, plot_top, plot_height, maximum, lambda v: f"{v:.0f}")]

    def point(i: int, value: float) -> tuple[float, float]:
        x = left + 8 + (i * step if count > 1 else (WIDTH - left) / 2)
        return round(x, 1), round(plot_top + plot_height * (1 - value / maximum), 1)

    for number, line in enumerate(series, start=1):
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(line.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(point(i, value))
        for run in runs:
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline class="chart-line chart-series-{}" fill="none" points="{}"/>',
                        number,
                        " ".join(f"{x},{y}" for x, y in run),
                    )
                )
        for i, value in enumerate(line.values):
            if value is not None:
                x, y = point(i, value)
                parts.append(_marker(number, x, y, f"{line.name}, {periods[i]}: {value:.0f}"))
    for i, label in enumerate(periods):
        if i % every == 0:
            parts.append(_x_label(point(i, 0)[0], plot_top + plot_height + 14, label))
    legend_y = plot_top + plot_height + 32
    for number, line in enumerate(series, start=1):
        x = left + (number - 1) * 128
        parts.append(_marker(number, x + 6, legend_y - 4, line.name))
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}">{}</text>', x + 16, legend_y, line.name
            )
        )
    return _frame(chart_id, title, description, legend_y + 10, _join(parts))


def _grid(left: int, top: int, height: int, maximum: float, text) -> SafeString:  # type: ignore[no-untyped-def]
    lines = []
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = round(top + height * (1 - fraction), 1)
        lines.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                WIDTH - 4,
                y,
                y,
                left - 4,
                y + 4,
                text(maximum * fraction),
            )
        )
    return _join(lines)


def _x_label(x: float, y: float, label: str) -> SafeString:
    return format_html(
        '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        round(x, 1),
        y,
        label,
    )


def _marker(number: int, x: float, y: float, label: str) -> SafeString:
    """Circle, square or triangle: the series is recognisable without its colour."""
    shapes = {
        1: '<circle class="chart-point chart-series-{n}" cx="{x}" cy="{y}" r="4">'
        "<title>{t}</title></circle>",
        2: '<rect class="chart-point chart-series-{n}" x="{x0}" y="{y0}" width="8" height="8">'
        "<title>{t}</title></rect>",
        3: '<path class="chart-point chart-series-{n}" d="M{x} {y0} L{x1} {y1} L{x0} {y1} Z">'
        "<title>{t}</title></path>",
    }
    template = shapes[(number - 1) % 3 + 1]
    return format_html(
        template,
        n=number,
        x=x,
        y=y,
        x0=round(x - 4, 1),
        y0=round(y - 4, 1),
        x1=round(x + 4, 1),
        y1=round(y + 4, 1),
        t=label,
    )


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))
