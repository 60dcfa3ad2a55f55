"""The 两委 pages: one village's branch committee and village committee side by side, and the township's (or
county's) 两委 report with its workbook and PDF. Access as for the village committee report
(``reports.scopes.get_scope_for``): a liaison officer reads their own villages only, never a township; a scope
outside the reader's area is a 404."""

import io

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from villages.access import NOT_FOUND
from villages.audit import log_action

from . import scopes
from .branch_committees import SOURCE_LABELS
from .documents import CONTENT_TYPES
from .two_committee_documents import render_two_committee_report, two_committee_context, two_committee_filename
from .two_committee_queries import build_two_committee_report, build_village_view


def _to_scope(scope: scopes.Scope):
    if scope.kind == scopes.VILLAGE:
        return redirect("reports:two-committees-village", code=scope.code)
    return redirect("reports:two-committees", kind=scope.kind, code=scope.code)


def two_committee_home(request):
    """The scope chooser's target; otherwise the user's natural scope (a liaison officer's only village), or
    the choice."""
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return _to_scope(scopes.Scope(kind, code, "", 0))  # access is checked there
    scope = scopes.default_scope_for(request.user)
    if scope is not None:
        return _to_scope(scope)
    return render(request, "reports/two_committees_choose.html", {"scopes": scopes.scopes_for(request.user)})


def two_committee_report(request, kind: str, code: str):
    scope = scopes.get_scope_for(request.user, kind, code)  # a village's path is the village view's (urls)
    report = build_two_committee_report(scope, now=timezone.now())
    context = two_committee_context(report) | {"scope": scope, "scopes": scopes.scopes_for(request.user)}
    return render(request, "reports/two_committees.html", context)


def two_committee_village(request, code: str):
    scope = scopes.get_scope_for(request.user, scopes.VILLAGE, code)
    view = build_village_view(scope)
    source = SOURCE_LABELS.get(view.village.branch_source, "村党组织委员会未知") if view else ""
    return render(request, "reports/two_committees_village.html", {"scope": scope, "view": view,
                                                                     "source_label": source})


def two_committee_export(request, kind: str, code: str, fmt: str):
    """The report as a workbook or a PDF, built at once (a county's few hundred villages are quick)."""
    scope = scopes.get_scope_for(request.user, kind, code)
    if fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    report = build_two_committee_report(scope, now=timezone.now())
    content = render_two_committee_report(report, fmt)
    filename = two_committee_filename(report, fmt)
    log_action(by=request.user, action="reports.two_committee_report.exported", township_id=scope.township_id,
               village_id=scope.village_id, changes={"scope": [None, scope.key], "format": [None, fmt],
                                                     "filename": [None, filename]})
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
