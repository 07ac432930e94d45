"""/calls/figures/: the line's dashboard, and each of its tables as CSV (no phone number in
any: the rollups hold none)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from concierge.models import User

from .period import Period, PeriodForm
from .scope import NotAllowed, NotFound, Scope, scope_for
from .selectors import figures_read
from .tables import figures_tables


class FiguresRequest(HttpRequest):
    user: User


def _scope(request: FiguresRequest) -> Scope:
    raw = request.GET.get("network") or None
    if raw is not None and not (raw.isascii() and raw.isdigit()):  # "¹".isdigit(), int() fails
        raise Http404
    try:
        return scope_for(request.user, int(raw) if raw else None)
    except NotAllowed:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None


def _form(request: FiguresRequest, scope: Scope) -> PeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    month = Period.this_month()
    network = scope.network.pk if scope.network else None
    return PeriodForm({"start": month.first, "end": month.last, "network": network})


@login_required
def dashboard(request: FiguresRequest) -> HttpResponse:
    scope = _scope(request)
    form = _form(request, scope)
    if not form.is_valid():
        context = {"form": form, "scope": scope, "tables": []}
        return render(request, "calls/figures/dashboard.html", context, status=400)
    figures = figures_read(scope=scope, period=form.period())
    context = {
        "form": form,
        "scope": scope,
        "figures": figures,
        "tables": figures_tables(figures),
        "query": request.GET.urlencode() or _query(form),
    }
    return render(request, "calls/figures/dashboard.html", context)


def _query(form: PeriodForm) -> str:
    data = form.cleaned_data
    network = f"&network={data['network']}" if data.get("network") else ""
    return f"start={data['start']}&end={data['end']}{network}"


@login_required
def export(request: FiguresRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    form = _form(request, scope)
    if not form.is_valid():
        errors = " ".join(str(e) for e in form.errors.get("__all__", [])) or _("Invalid dates.")
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    figures = figures_read(scope=scope, period=form.period())
    chosen = next((t for t in figures_tables(figures) if t.slug == table), None)
    if chosen is None:
        raise Http404
    period = form.period()
    name = f"figures-{chosen.slug}-{period.first}-{period.last}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(chosen.columns)
    for row in chosen.rows:
        writer.writerow([_csv(cell.value) for cell in row])
    return response


def _csv(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    text = str(value)
    # A label starting like a formula is not run by a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else value
