"""The audit-log screen: every change in the user's area, filterable, exportable to Excel."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..access import audit_entries_visible_to, villages_visible_to
from ..audit import log_action
from ..audit_export import filter_entries, rows, workbook_bytes
from ..models import Role


# Filter by the first part of the action code, shown in words.
ACTION_GROUPS = (
    ("", "全部"),
    ("villages.", "乡镇、村和选举设置"),
    ("voters.", "选民登记"),
    ("candidates.", "候选人提名"),
    ("ballots.", "投票和计票"),
    ("archive.", "认定、归档和信访"),
    ("reports.", "统计报表和名册"),
    ("auth.", "登录和退出"),
    ("auth.login_failed", "登录失败"),
)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False)
    action = forms.ChoiceField(label="操作类别", required=False, choices=ACTION_GROUPS)
    village = forms.ModelChoiceField(label="村", queryset=None, required=False)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages_visible_to(user).select_related("township")


def _entries(request):
    if request.user.role == Role.LIAISON:
        raise PermissionDenied("操作日志仅供乡镇选举办、督导和系统管理员查看。")
    form = AuditFilterForm(request.GET or None, user=request.user)
    entries = audit_entries_visible_to(request.user).select_related("village")
    if form.is_valid():
        data = form.cleaned_data
        village = data["village"].pk if data["village"] else None
        entries = filter_entries(entries, actor=data["actor"], action=data["action"], village=village,
                                 since=data["since"], until=data["until"])
    return form, entries


def audit_log(request):
    form, entries = _entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "villages/audit_log.html", {"form": form, "page": page, "rows": list(rows(page.object_list))})


def audit_export(request):
    form, entries = _entries(request)
    content = workbook_bytes(entries, title=f"操作日志（导出时间 {timezone.localtime():%Y-%m-%d %H:%M}）")
    log_action(by=request.user, action="villages.audit.exported", changes={"query": [None, request.GET.urlencode()]})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''audit-log.xlsx"
    return response
