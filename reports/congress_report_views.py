"""The congress composition report (``reports.congress_report``): a township's or a county's page with its workbook
and PDF. A township's for its office and supervisors, a county's for an administrator, the county's office and
county supervisors (``reports.scopes.get_scope_for``); a liaison officer works villages, not the township's
congress (``villages.party_congress.congress_rounds_visible_to``): every scope is a 404 for them."""

import io

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND
from villages.audit import log_action

from . import scopes
from .congress_report_documents import congress_report_context, congress_report_filename, render_congress_report
from .congress_report_queries import build_congress_report
from .documents import CONTENT_TYPES

KINDS = (scopes.TOWNSHIP, scopes.COUNTY)


def _choices(user) -> list[scopes.Scope]:
    return [s for s in scopes.scopes_for(user) if s.kind in KINDS]


def _scope(request, kind: str, code: str) -> scopes.Scope:
    if kind not in KINDS:
        raise Http404(NOT_FOUND)
    return scopes.get_scope_for(request.user, kind, code)


def congress_report_home(request):
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return redirect("reports:congress-report", kind=kind, code=code)  # access is checked there
    scope = scopes.default_scope_for(request.user)
    if scope is not None and scope.kind in KINDS:
        return redirect("reports:congress-report", kind=scope.kind, code=scope.code)
    return render(request, "reports/congress_report_choose.html", {"scopes": _choices(request.user)})


def congress_report(request, kind: str, code: str):
    scope = _scope(request, kind, code)
    report = build_congress_report(scope, now=timezone.now())
    context = congress_report_context(report) | {"scope": scope, "scopes": _choices(request.user)}
    return render(request, "reports/congress_report.html", context)


def congress_report_export(request, kind: str, code: str, fmt: str):
    scope = _scope(request, kind, code)
    if fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    report = build_congress_report(scope, now=timezone.now())
    content = render_congress_report(report, fmt)
    filename = congress_report_filename(report, fmt)
    log_action(by=request.user, action="reports.congress_report.exported", township_id=scope.township_id,
               changes={"scope": [None, scope.key], "format": [None, fmt], "filename": [None, filename]})
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
