"""The dashboard's tables and charts, drawn by calls.figures.html."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from calls.figures.html import chart_svg, table_html
from calls.figures.tables import Table

register = template.Library()


@register.simple_tag
def figures_table(table: Table) -> SafeString:
    return table_html(table)


@register.simple_tag
def figures_chart(table: Table) -> SafeString:
    return chart_svg(table.chart, table.slug) if table.chart else SafeString("")
