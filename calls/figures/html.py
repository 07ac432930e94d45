"""A table and its chart as HTML, written in Python: a month's dashboard has a few thousand
cells and shapes, which Django's template engine would take most of the 300 ms budget to loop
over. Everything is escaped (``escape``, ``format_html``)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .charts import Chart
from .tables import Cell, Table


def _number(value: float, places: int = 0) -> str:
    return number_format(value, places, use_l10n=True, force_grouping=True)


def wait_text(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return _("%(s)s s") % {"s": whole}
    if whole < 3600:
        return _("%(m)s min %(s)02d s") % {"m": whole // 60, "s": whole % 60}
    return _("%(h)s h %(m)02d min") % {"h": whole // 3600, "m": whole % 3600 // 60}


def figure(cell: Cell) -> str:
    """How the page writes a cell, in the reader's language ("—": nothing to say)."""
    value = cell.value
    if cell.kind == "text":
        return str(value)
    if value is None:
        return "—"
    assert isinstance(value, int | float)
    if cell.kind == "share":
        return _("%(n)s %%") % {"n": _number(100 * value)}
    if cell.kind == "change":
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return _("%(n)s %%") % {"n": sign + _number(abs(100 * value))}
    if cell.kind == "seconds":
        return wait_text(value)
    if cell.kind == "minutes":
        return _("%(n)s min") % {"n": _number(value, 1 if value < 10 else 0)}
    return _number(value)


def table_html(table: Table) -> SafeString:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    rows = []
    for row in table.rows:
        first, *rest = row
        cells = "".join(f"<td>{escape(figure(cell))}</td>" for cell in rest)
        rows.append(f'<tr><th scope="row">{escape(figure(first))}</th>{cells}</tr>')
    if not rows:
        empty = escape(_("Nothing in this period."))
        rows.append(f'<tr><td colspan="{len(table.columns)}" class="empty">{empty}</td></tr>')
    return mark_safe(  # noqa: S308 - every piece above is escaped
        f'<div class="scroll"><table class="table figures"><caption class="visually-hidden">'
        f"{escape(table.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def chart_svg(chart: Chart, slug: str) -> SafeString:
    shapes = "".join(
        f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.width:.1f}" height="{s.height:.1f}" '
        f'class="{escape(s.css)}"><title>{escape(s.label)}</title></rect>'
        for s in chart.shapes
    )
    ticks = "".join(
        f'<text x="{t.x:.1f}" y="{t.y:.1f}" text-anchor="{escape(t.anchor)}">'
        f"{escape(t.text)}</text>"
        for t in chart.ticks
    )
    legend = ""
    if chart.legend:
        items = "".join(
            format_html(
                '<li><svg viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" '
                'class="{}"/></svg> {}</li>',
                css,
                label,
            )
            for css, label in chart.legend
        )
        legend = f'<ul class="legend">{items}</ul>'
    description = f"{chart.description} {_('The table below gives every figure.')}"
    return mark_safe(  # noqa: S308 - every piece above is escaped
        f'<svg class="chart chart-{escape(chart.kind)}" viewBox="0 0 {chart.width} {chart.height}" '
        f'role="img" aria-labelledby="{slug}-chart-title {slug}-chart-desc">'
        f'<title id="{slug}-chart-title">{escape(chart.title)}</title>'
        f'<desc id="{slug}-chart-desc">{escape(description)}</desc>{shapes}{ticks}</svg>{legend}'
    )
