"""Inline SVG charts for the inspector report.

Generated here rather than drawn by a JavaScript library so the report opens
offline, prints, and can be archived as one file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape

#: One colour per DAMA dimension (colour-blind-safe Okabe-Ito palette).
COLOURS: dict[str, str] = {
    "completeness": "#0072B2",
    "validity": "#E69F00",
    "uniqueness": "#009E73",
    "consistency": "#CC79A7",
    "timeliness": "#56B4E9",
    "accuracy": "#D55E00",
}


def line_chart(
    series: Mapping[str, Sequence[tuple[dt.datetime, float]]],
    *,
    title: str,
    width: int = 420,
    height: int = 190,
    tz: dt.tzinfo = dt.UTC,
) -> str:
    """Lines of rates in [0, 1] over time, one per series, with a dot and tooltip per point.

    The x axis spans the earliest to the latest point of all series (a single
    moment is drawn in the middle); the y axis is fixed to 0-100% so charts
    compare at a glance. Series are drawn in :data:`COLOURS` order.
    """
    left, right, top, bottom = 40, 12, 22, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    moments = [moment for points in series.values() for moment, _ in points]
    start, end = (min(moments), max(moments)) if moments else (None, None)

    def x(moment: dt.datetime) -> float:
        if start is None or end is None or end == start:
            return left + plot_w / 2
        return left + plot_w * (moment - start) / (end - start)

    def y(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, value)))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.5, 1.0):
        ty = y(tick)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{ty:.1f}" y2="{ty:.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{ty + 3:.1f}" class="tick" '
                     f'text-anchor="end">{int(tick * 100)}%</text>')
    if start is not None and end is not None:
        ends = [(start, "start")] if start == end else [(start, "start"), (end, "end")]
        for moment, anchor in ends:
            label = moment.astimezone(tz).strftime("%m-%d %H:%M")
            parts.append(f'<text x="{x(moment):.1f}" y="{top + plot_h + 12}" class="tick" '
                         f'text-anchor="{anchor if start != end else "middle"}">{label}</text>')
    else:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" class="tick" '
                     'text-anchor="middle">no check runs yet</text>')
    ordered = sorted(series, key=lambda n: list(COLOURS).index(n) if n in COLOURS else 99)
    for name in ordered:
        colour = COLOURS.get(name, "#555555")
        points = sorted(series[name])
        if len(points) > 1:
            coords = " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" '
                         f'points="{coords}"/>')
        parts.extend(
            f'<circle cx="{x(m):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
            f"<title>{escape(name)} {m.astimezone(tz):%Y-%m-%d %H:%M}: {v:.1%}</title></circle>"
            for m, v in points
        )
    legend_y = height - 10
    step = plot_w / max(1, len(ordered))
    for i, name in enumerate(ordered):
        lx = left + i * step
        parts.append(f'<rect x="{lx:.1f}" y="{legend_y - 7}" width="8" height="8" '
                     f'fill="{COLOURS.get(name, "#555555")}"/>')
        parts.append(f'<text x="{lx + 11:.1f}" y="{legend_y}" class="legend">'
                     f"{escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bar(rate: float | None, width: int = 80) -> str:
    """A small horizontal bar for a rate in [0, 1] (empty frame when unknown)."""
    filled = 0 if rate is None else round(width * max(0.0, min(1.0, rate)))
    colour = "#999999" if rate is None else (
        "#2e7d32" if rate >= 0.99 else "#f9a825" if rate >= 0.9 else "#c62828")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="8" class="bar">'
        f'<rect width="{width}" height="8" fill="#eeeeee"/>'
        f'<rect width="{filled}" height="8" fill="{colour}"/></svg>'
    )
