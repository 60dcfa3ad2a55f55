"""人大 rounds (县乡两级人大代表选举): the round, its seats, committee and 选区, and the printed plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import deputy_services, services
from ..access import (
    can_open_deputy_round,
    can_run_deputy_round,
    deputy_round_create_required,
    deputy_rounds_visible_to,
    districts_visible_to,
    get_child_or_404,
    get_deputy_round_for,
    get_district_for,
)
from ..deputy_forms import DeputyRoundForm, DistrictForm, DistrictUnitForm, SeatDecisionForm
from ..district_plan import plan_for
from ..downloads import document_response
from ..formtools import attach_errors
from ..forms import CommitteeMemberForm
from ..kinds.deputies import calendar
from ..models import CommitteeMember, Constituency, DistrictUnit, SeatDecision


def deputy_round_list(request):
    rounds = deputy_rounds_visible_to(request.user).select_related("county", "township", "preset")
    rounds = rounds.order_by("county__code", "-level", "township__code", "-term_number")
    context = {"rounds": rounds, "can_open": can_open_deputy_round(request.user)}
    return render(request, "villages/deputy_round_list.html", context)


@deputy_round_create_required
def deputy_round_create(request):
    form = DeputyRoundForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            campaign = deputy_services.open_deputy_round(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已开启{campaign}。")
            return redirect("villages:deputy-round-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": "开启人大代表选举"})


def deputy_round_detail(request, pk: int):
    campaign = get_deputy_round_for(request.user, pk)
    context = {
        "campaign": campaign,
        "plan": plan_for(request.user, campaign),
        "deadlines": calendar(campaign.default_election_day, campaign.rules),
        "members": campaign.committee_members.all(),
        "can_run": can_run_deputy_round(request.user, campaign),
    }
    return render(request, "villages/deputy_round_detail.html", context)


@require_GET
def deputy_round_plan_pdf(request, pk: int):
    from ..deputy_documents import district_plan_pdf

    campaign = get_deputy_round_for(request.user, pk)
    content = district_plan_pdf(plan_for(request.user, campaign))
    filename = f"{campaign}选区划分和代表名额分配方案.pdf"
    return document_response(request, content, filename=filename, action="villages.district_plan.printed", obj=campaign)


def deputy_round_seats(request, pk: int):
    campaign = get_deputy_round_for(request.user, pk, write=True)
    decision = SeatDecision.objects.filter(campaign=campaign).first() or SeatDecision(campaign=campaign)
    form = SeatDecisionForm(request.POST or None, instance=decision, campaign=campaign)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deputy_services.record_seat_decision(
                by=request.user,
                campaign=campaign,
                decision=form.instance,
                planned_women=data["planned_women"],
                planned_non_party=data["planned_non_party"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "代表名额决定已保存。")
            return redirect("villages:deputy-round-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{campaign}：代表名额"})


def deputy_committee_member_create(request, pk: int):
    campaign = get_deputy_round_for(request.user, pk, write=True)
    form = CommitteeMemberForm(request.POST or None, instance=CommitteeMember(campaign=campaign))
    return _save_member(request, form, campaign, "添加选举委员会成员")


def deputy_committee_member_edit(request, pk: int, member_pk: int):
    campaign = get_deputy_round_for(request.user, pk, write=True)
    member = get_child_or_404(campaign.committee_members.all(), member_pk)
    form = CommitteeMemberForm(request.POST or None, instance=member)
    return _save_member(request, form, campaign, f"修改成员：{member.name}")


def _save_member(request, form, campaign, title):
    if form.is_valid():
        try:
            services.save_committee_member(by=request.user, member=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "选举委员会成员已保存。")
            return redirect("villages:deputy-round-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{campaign}：{title}"})


def constituency_list(request):
    districts = (
        districts_visible_to(request.user)
        .select_related("township", "campaign", "campaign__county", "campaign__township")
        .with_members()
        .order_by("campaign__county__code", "campaign_id", "number")
    )
    return render(request, "villages/constituency_list.html", {"districts": districts})


def constituency_create(request, pk: int):
    campaign = get_deputy_round_for(request.user, pk, write=True)
    district = Constituency(campaign=campaign, township_id=campaign.township_id)
    form = DistrictForm(request.POST or None, instance=district, user=request.user, campaign=campaign)
    return _save_district(request, form, campaign, "添加选区")


def constituency_edit(request, pk: int):
    district = get_district_for(request.user, pk, write=True)
    if district.campaign is None:
        return redirect("villages:constituency-list")  # kept from before rounds: attach in the admin
    form = DistrictForm(request.POST or None, instance=district, user=request.user, campaign=district.campaign)
    return _save_district(request, form, district.campaign, f"修改选区：{district}")


def _save_district(request, form, campaign, title):
    if form.is_valid():
        data = form.cleaned_data
        try:
            deputy_services.save_district(
                by=request.user,
                district=form.instance,
                villages=list(data["villages"]),
                groups=list(data["groups"]),
                expected_version=data["version"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "选区已保存。")
            return redirect("villages:deputy-round-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{campaign}：{title}"})


def district_unit_create(request, pk: int):
    district = get_district_for(request.user, pk, write=True)
    form = DistrictUnitForm(request.POST or None, instance=DistrictUnit(district=district))
    return _save_unit(request, form, district, "添加居民区或单位")


def district_unit_edit(request, pk: int, unit_pk: int):
    district = get_district_for(request.user, pk, write=True)
    unit = get_child_or_404(district.units.all(), unit_pk)
    form = DistrictUnitForm(request.POST or None, instance=unit)
    return _save_unit(request, form, district, f"修改：{unit.name}")


def _save_unit(request, form, district, title):
    if form.is_valid():
        try:
            deputy_services.save_district_unit(by=request.user, unit=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("villages:deputy-round-detail", pk=district.campaign_id)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{district}：{title}"})
