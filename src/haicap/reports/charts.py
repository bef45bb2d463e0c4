"""Charts drawn on the server as SVG: no script, readable by screen readers (each chart has a
title and a description, and its numbers, with the links to the dossiers behind them, are
also in a table on the page)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
BAR = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # the value as shown; the number itself when empty


def _frame(title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}-t">{}</title>'
        '<desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        height,
        _id(title),
        _id(title),
        _id(title),
        title,
        _id(title),
        description,
        body,
    )


def _id(title: str) -> str:
    return f"chart-{zlib.crc32(title.encode()):08x}"


def bars(title: str, description: str, items: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one per item, in the order given."""
    top = max((item.value for item in items), default=0) or 1
    label_width, value_width = 230, 70
    span = WIDTH - label_width - value_width
    rows = []
    for number, item in enumerate(items):
        y = number * (BAR + 8)
        width = max(1, round(span * item.value / top)) if item.value else 0
        bar = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="bar"></rect>',
            label_width,
            y,
            width,
            BAR,
        )
        rows.append(
            format_html(
                '<text x="{}" y="{}" class="label" text-anchor="end">{}</text>{}'
                '<text x="{}" y="{}" class="value">{}</text>',
                label_width - 8,
                y + BAR - 6,
                item.label[:34],
                bar,
                label_width + width + 6,
                y + BAR - 6,
                item.text or f"{item.value:g}",
            )
        )
    height = max(BAR, len(items) * (BAR + 8))
    return _frame(title, description, height, format_html_join("", "{}", ((r,) for r in rows)))


def columns(title: str, description: str, items: Sequence[Bar]) -> SafeString:
    """Vertical bars in time order (a trend), labelled below every few bars."""
    height, base, left = 220, 180, 40
    top = max((item.value for item in items), default=0) or 1
    slot = (WIDTH - left) / max(1, len(items))
    every = max(1, round(len(items) / 12))
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"></line>'
            '<text x="0" y="14" class="value">{}</text>',
            left,
            base,
            WIDTH,
            base,
            f"{top:g}",
        )
    ]
    for number, item in enumerate(items):
        bar_height = round((base - 20) * item.value / top)
        x = left + number * slot
        bar = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="bar"><title>{}: {}</title></rect>',
            round(x + slot * 0.1, 1),
            base - bar_height,
            round(slot * 0.8, 1),
            bar_height,
            item.label,
            item.text or f"{item.value:g}",
        )
        parts.append(bar)
        if number % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="label" text-anchor="middle">{}</text>',
                    round(x + slot / 2, 1),
                    base + 16,
                    item.label,
                )
            )
    return _frame(title, description, height, format_html_join("", "{}", ((p,) for p in parts)))
