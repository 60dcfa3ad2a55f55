"""Rosters of last term's committee and of the Party branch, which the reports compare against; the
report of a village, a township or a county, and its exports."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from villages.access import (
    NOT_FOUND,
    get_child_or_404,
    get_township_for,
    get_village_for,
    setup_required,
    townships_visible_to,
    villages_visible_to,
)
from villages.audit import log_action
from villages.downloads import XLSX, document_response
from villages.formtools import attach_errors

from . import scopes, services
from .deputy_documents import deputy_report_context, deputy_report_filename, render_deputy_report
from .deputy_queries import build_deputy_report
from .documents import CONTENT_TYPES, report_context
from .forms import RosterImportForm, RosterTemplateForm
from .models import ReportExport, Roster
from .queries import build_report


def roster_list(request):
    rosters = (
        Roster.objects.filter(village__in=villages_visible_to(request.user))
        .select_related("village", "imported_by")
        .order_by("village__code", "kind", "-term_number")
    )
    return render(request, "reports/roster_list.html", {"rosters": rosters})


@setup_required
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems = []
    if form.is_valid():
        data = form.cleaned_data
        common = {"by": request.user, "kind": data["kind"], "term_number": data["term_number"], "source": data["file"],
                  "filename": data["file"].name, "today": timezone.localdate()}
        try:
            if data["village"]:
                village = get_village_for(request.user, data["village"].pk, setup=True)
                rosters = [services.import_roster(village=village, **common)]
            else:
                township = get_township_for(request.user, data["township"].pk, write=True)
                rosters = services.import_township_roster(township=township, **common)
        except services.RosterProblems as exc:
            problems = exc.rows
            form.add_error(None, exc)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            people = sum(r.members.count() for r in rosters)
            messages.success(request, f"已导入{'、'.join(str(r) for r in rosters)}，共{people}人。")
            return redirect("reports:roster-detail", pk=rosters[0].pk) if len(rosters) == 1 else redirect(
                "reports:roster-list")
    return render(request, "reports/roster_import.html", {"form": form, "problems": problems})


@setup_required
def roster_template(request):
    """The blank township-wide roster (?kind=village_committee|party_branch) of the user's township."""
    form = RosterTemplateForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or Roster.Kind.VILLAGE_COMMITTEE
    pk = data.get("township") or request.user.township_id or townships_visible_to(request.user).values_list(
        "pk", flat=True).first()  # an administrator without a township: the first one
    township = get_township_for(request.user, pk or 0, write=True)
    content = services.roster_template(township=township, kind=kind)
    filename = f"{township.name}{Roster.Kind(kind).label}名册（模板）.xlsx"
    return document_response(request, content, filename=filename, action="reports.roster_template.exported",
                             obj=township, content_type=XLSX)


def roster_detail(request, pk: int):
    roster = get_child_or_404(
        Roster.objects.filter(village__in=villages_visible_to(request.user)).select_related("village"), pk
    )
    return render(request, "reports/roster_detail.html", {"roster": roster, "members": roster.members.all()})


# --- The report of a village, a township or a county ---------------------------------------------


def report_home(request):
    """The scope chooser's target; otherwise land on the user's natural scope, or choose one."""
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return redirect("reports:report", kind=kind, code=code)  # access is checked there
    scope = scopes.default_scope_for(request.user)
    if scope is not None:
        return redirect("reports:report", kind=scope.kind, code=scope.code)
    return render(request, "reports/report_choose.html", {"scopes": scopes.scopes_for(request.user)})


def report(request, kind: str, code: str):
    scope = scopes.get_scope_for(request.user, kind, code)
    figures = build_report(scope, now=timezone.now())
    exports = ReportExport.objects.filter(kind=scope.kind, code=scope.code).select_related("requested_by")[:5]
    context = report_context(figures) | {
        "scope": scope,
        "scopes": scopes.scopes_for(request.user),
        "exports": exports,
    }
    return render(request, "reports/report.html", context)


@require_POST
def report_export(request, kind: str, code: str, fmt: str):
    """A village's or township's file at once; a county's through the task worker."""
    scope = scopes.get_scope_for(request.user, kind, code)
    if fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    if scope.runs_inline:
        content, filename = services.export_report(by=request.user, scope=scope, fmt=fmt, now=timezone.now())
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    export = services.start_report_export(by=request.user, scope=scope, fmt=fmt)
    messages.success(request, f"已提交导出{export}，生成后可在本页下载。")
    return redirect("reports:export-detail", pk=export.pk)


def export_detail(request, pk: int):
    export = services.recover_report_export(get_child_or_404(_exports(request.user).select_related("requested_by"), pk))
    return render(request, "reports/export_detail.html", {"export": export})


def export_progress(request, pk: int):
    """The progress partial polled by htmx; once the export is over, the whole page reloads."""
    export = services.recover_report_export(get_child_or_404(_exports(request.user), pk))
    if not export.in_progress:
        return HttpResponseClientRefresh()
    return render(request, "reports/_export_progress.html", {"export": export})


def export_download(request, pk: int):
    export = get_child_or_404(_exports(request.user).filter(state=ReportExport.State.DONE).exclude(file=""), pk)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename,
                        content_type=CONTENT_TYPES[export.format])


def _exports(user):
    return ReportExport.objects.filter(scopes.scope_filter(user))


# --- The summary of a 人大 round (县乡两级人大代表选举) for a township or a county -------------------


def deputy_report_home(request):
    """The scope chooser's target; otherwise the user's natural scope (a county office's county, a
    township office's township), or the choice."""
    if "scope" in request.GET:
        try:
            kind, code = scopes.parse_scope(request.GET["scope"])
        except ValueError:
            raise Http404(NOT_FOUND) from None
        return redirect("reports:deputy-report", kind=kind, code=code)  # access is checked there
    choices = scopes.deputy_scopes_for(request.user)
    if len(choices) == 1 or (choices and choices[0].kind == scopes.COUNTY and request.user.county_id):
        return redirect("reports:deputy-report", kind=choices[0].kind, code=choices[0].code)
    return render(request, "reports/report_choose.html", {"scopes": choices, "deputies": True})


def deputy_report(request, kind: str, code: str):
    scope = scopes.get_deputy_scope_for(request.user, kind, code)
    report = build_deputy_report(scope, user=request.user, now=timezone.now())
    context = deputy_report_context(report) | {"scope": scope, "scopes": scopes.deputy_scopes_for(request.user)}
    return render(request, "reports/deputy_report.html", context)


def deputy_report_export(request, kind: str, code: str, fmt: str):
    """The summary as a workbook or a PDF, built at once (a county's few hundred districts are quick)."""
    scope = scopes.get_deputy_scope_for(request.user, kind, code)
    if fmt not in CONTENT_TYPES:
        raise Http404(NOT_FOUND)
    report = build_deputy_report(scope, user=request.user, now=timezone.now())
    content = render_deputy_report(report, fmt)
    filename = deputy_report_filename(report, fmt)
    log_action(by=request.user, action="reports.deputy_report.exported", township_id=scope.township_id,
               village_id=None, changes={"scope": [None, scope.key], "format": [None, fmt],
                                         "filename": [None, filename]})
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
