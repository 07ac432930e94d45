"""How the dashboard writes a figure: counts grouped, shares and changes in per cent, waits in
seconds, minutes and hours, in the reader's language ("—" when there is nothing to say)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from calls.figures.tables import Cell

register = template.Library()


def _number(value: float, places: int = 0) -> str:
    return number_format(value, places, use_l10n=True, force_grouping=True)


def wait_text(seconds: float) -> str:
    whole = int(round(seconds))
    if whole < 60:
        return _("%(s)s s") % {"s": whole}
    if whole < 3600:
        return _("%(m)s min %(s)02d s") % {"m": whole // 60, "s": whole % 60}
    return _("%(h)s h %(m)02d min") % {"h": whole // 3600, "m": whole % 3600 // 60}


@register.filter
def figure(cell: Cell) -> str:
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
