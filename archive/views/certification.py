"""Certification, unlock, handover and complaint pages. Thin: access check, form, one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ballots.queries import result_status
from villages.access import (
    check_write,
    get_child_or_404,
    get_election_for,
    townships_visible_to,
    villages_visible_to,
)
from villages.formtools import attach_errors

from .. import services
from ..forms import (
    CertifyForm,
    ComplaintForm,
    CompleteHandoverForm,
    HandoverItemForm,
    UnlockRequestForm,
)
from ..models import HandoverItem
from ..queries import (
    complaints_visible_to,
    handover_deadline,
    unlock_requests_visible_to,
)

MESSAGES = {
    "certified": "选举结果已认定，{unit}{locked}均已锁定。",
    "unlock_requested": "解锁申请已提交，须由督导或另一名工作人员批准。",
    "unlock_approved": "已批准解锁，修改完成后请重新认定选举结果。",
    "item_recorded": "移交事项已登记。",
    "handover_completed": "工作移交已完成，选举进入归档阶段。",
    "complaint_saved": "信访举报已保存。",
}


def certify(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)  # refuses an already certified election
    status = result_status(election)
    form = CertifyForm(request.POST or None)
    if form.is_valid():
        try:
            services.certify_results(by=request.user, election=election, today=timezone.localdate())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["certified"].format(unit=election.unit_that,
                                                                    locked=election.campaign.kind.locked_records))
            return redirect("villages:election-detail", pk=election.pk)
    checklist = [("计票结果已确定", status.is_final, status.detail), ("选举结果已公布", bool(status.announced_on), "")]
    context = {"election": election, "status": status, "checklist": checklist, "form": form}
    return render(request, "archive/certify_form.html", context)


def unlock_request(request, pk: int):
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    form = UnlockRequestForm(request.POST or None)
    if form.is_valid():
        try:
            services.request_unlock(by=request.user, election=election, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["unlock_requested"])
            return redirect("archive:unlock-list")
    return render(request, "archive/unlock_form.html", {"election": election, "form": form})


def unlock_list(request):
    if not services.can_approve_unlock(request.user):
        raise PermissionDenied(services.ERRORS["approver_role"])
    requests = unlock_requests_visible_to(request.user).select_related(
        "election__village", "election__campaign__township", "requested_by", "approved_by"
    )
    return render(request, "archive/unlock_list.html", {"requests": requests})


@require_POST
def unlock_approve(request, request_pk: int):
    unlock = get_child_or_404(unlock_requests_visible_to(request.user).select_related("election__campaign"), request_pk)
    # Not access.check_write: supervisors are read-only elsewhere but may approve an unlock.
    if not services.can_approve_unlock(request.user, unlock.election):
        raise PermissionDenied(services.ERRORS["approver_role"])
    try:
        services.approve_unlock(by=request.user, request=unlock)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, MESSAGES["unlock_approved"])
    return redirect("archive:unlock-list")


def handover(request, pk: int):
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    if not election.campaign.kind.has_handover:
        messages.info(request, services.ERRORS["no_handover"].format(kind=election.campaign.kind.label))
        return redirect("villages:election-detail", pk=election.pk)
    form = HandoverItemForm(request.POST or None, instance=HandoverItem(election=election))
    if form.is_valid():
        try:
            services.record_handover_item(by=request.user, item=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["item_recorded"])
            return redirect("archive:handover", pk=election.pk)
    context = {
        "election": election,
        "items": election.handover_items.all(),
        "deadline": handover_deadline(election),
        "handover_days": getattr(election.rules, "handover_days", None),
        "seal": services.seal_label(election),
        "form": form,
        "complete_form": CompleteHandoverForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "archive/handover_list.html", context)


@require_POST
def handover_complete(request, pk: int):
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    form = CompleteHandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "日期格式不正确，请重新选择。")
        return redirect("archive:handover", pk=election.pk)
    try:
        services.complete_handover(by=request.user, election=election, on=form.cleaned_data["on"],
                                   today=timezone.localdate())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, MESSAGES["handover_completed"])
    return redirect("archive:handover", pk=election.pk)


def complaint_list(request):
    complaints = complaints_visible_to(request.user).with_places()
    context = {"complaints": complaints, "can_write": services.is_office(request.user)}
    return render(request, "archive/complaint_list.html", context)


def complaint_create(request):
    check_write(request.user, setup=True)
    return _complaint_form(request, ComplaintForm, None)


def complaint_edit(request, pk: int):
    complaint = get_child_or_404(complaints_visible_to(request.user), pk)
    check_write(request.user, setup=True)
    return _complaint_form(request, ComplaintForm, complaint)


def _complaint_form(request, form_class, instance):
    form = form_class(request.POST or None, instance=instance, townships=townships_visible_to(request.user),
                      villages=villages_visible_to(request.user))
    if form.is_valid():
        try:
            services.save_complaint(by=request.user, complaint=form.instance,
                                    expected_version=form.cleaned_data.get("version"))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["complaint_saved"])
            return redirect("archive:complaint-list")
    title = "修改信访举报" if instance else "登记信访举报"
    return render(request, "archive/complaint_form.html", {"form": form, "title": title})

