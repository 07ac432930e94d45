"""Staff pages: find a call or a conversation by its reference; export a date range as CSV."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ..ratings.selectors import ratings_to_review
from . import export
from .forms import ExportForm, SearchForm
from .search import find_by_reference


@staff_member_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    found = find_by_reference(form.cleaned_data["q"]) if form.is_valid() else None
    return render(
        request,
        "calls/staff_search.html",
        {"form": form, "found": found, "to_review": ratings_to_review().count()},
        status=400 if form.errors else 200,
    )


@staff_member_required
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The form; once filled (GET, so the link can be bookmarked), the CSV itself, streamed."""
    form = ExportForm(request.GET if "start" in request.GET else None)
    if not form.is_valid():
        return render(
            request, "calls/staff_export.html", {"form": form}, status=400 if form.errors else 200
        )
    kind, start, end = (form.cleaned_data[name] for name in ("kind", "start", "end"))
    if kind == "calls":
        rows = export.stream(export.CALL_COLUMNS, export.call_rows(export.calls_in(start, end)))
    else:
        rows = export.stream(
            export.CONVERSATION_COLUMNS,
            export.conversation_rows(export.conversations_in(start, end)),
        )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{start}-{end}.csv"'
    return response
