"""Server-side SVG bar charts: no script, no style attribute, no external service."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 22, 8, 150, 300, 70


def bar_chart(bars: list[tuple[str, float]], *, title: str, max_value: float | None = None,
              unit: str = "") -> SafeString:
    """A horizontal bar chart as an accessible <svg> (role="img", <title>, one text per bar)."""
    top = max_value if max_value else max((v for _l, v in bars), default=0) or 1
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}"><title>{}</title>', width, height, width, height, title, title)]
    for i, (label, value) in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        bar = max(0.0, float(value)) / float(top) * PLOT_WIDTH
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1f2933">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#1f5f99"></rect>'
            '<text x="{}" y="{}" font-size="13" fill="#1f2933">{}{}</text>',
            LABEL_WIDTH - 6, y + BAR_HEIGHT - 6, label,
            LABEL_WIDTH, y, f"{bar:.1f}", BAR_HEIGHT,
            f"{LABEL_WIDTH + bar + 4:.1f}", y + BAR_HEIGHT - 6, _number(value), unit,
        ))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part above is escaped


def _number(value: float) -> str:
    """The value as the reader's language writes it ("3,25" in nl/fr/de); coordinates stay machine numbers."""
    value = float(value)
    return escape(number_format(value, 0 if value.is_integer() else 2, use_l10n=True))
