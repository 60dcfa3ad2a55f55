"""A township Party congress's delegates' election (乡镇党代表大会代表选举): the round, its 选举单位 and the delegates
allocated to them. The clerk sets them up; the supervisor reads the same pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import party_congress
from ..access import can_write, check_write
from ..congress_forms import CongressRoundForm, DelegateTotalForm, ElectoralUnitForm
from ..formtools import attach_errors
from ..kinds import party_rules


def congress_list(request):
    rounds = (party_congress.congress_rounds_visible_to(request.user).select_related("township")
              .order_by("township__code", "-term_number"))
    return render(request, "villages/congress_list.html",
                  {"rounds": rounds, "can_open": can_write(request.user, setup=True)})


def congress_create(request):
    check_write(request.user, setup=True)
    form = CongressRoundForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            campaign = party_congress.open_congress_round(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已开启{campaign.congress_name}代表选举。")
            return redirect("villages:congress-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": "开启乡镇党代表大会代表选举"})


def congress_detail(request, pk: int):
    campaign = party_congress.get_congress_round_for(request.user, pk)
    can_run = can_write(request.user, setup=True) and not campaign.closed_on
    total_form = None
    if can_run:
        total_form = DelegateTotalForm(initial={"total": campaign.delegate_total})
        total_form.helper.form_action = reverse("villages:congress-allocate", args=[campaign.pk])  # not this page
    context = {
        "campaign": campaign,
        "page": party_congress.allocation_page(campaign),
        "can_run": can_run,
        "total_form": total_form,
        "warning": party_rules.WARNING,
    }
    return render(request, "villages/congress_detail.html", context)


def congress_unit_create(request, pk: int):
    campaign = party_congress.get_congress_round_for(request.user, pk, write=True)
    form = ElectoralUnitForm(request.POST or None, campaign=campaign)
    if form.is_valid():
        try:
            election = party_congress.add_unit(by=request.user, campaign=campaign, name=form.cleaned_data["name"],
                                               organisations=list(form.cleaned_data["organisations"]))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已设立选举单位“{election.unit_name}”。")
            return redirect("villages:congress-detail", pk=campaign.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"添加选举单位（{campaign}）"})


@require_POST
def congress_allocate(request, pk: int):
    """The delegate total, then its allocation to the units (the total stays if the allocation cannot be made)."""
    campaign = party_congress.get_congress_round_for(request.user, pk, write=True)
    form = DelegateTotalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写代表名额（正整数）。")
        return redirect("villages:congress-detail", pk=campaign.pk)
    try:
        finding = party_congress.set_delegate_total(by=request.user, campaign=campaign, total=form.cleaned_data["total"])
        (messages.warning if finding.severity == party_rules.WARNING else messages.info)(request, finding.message + "。")
        allocation = party_congress.apply_allocation(by=request.user, campaign=campaign)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, allocation.message + "。")
    return redirect("villages:congress-detail", pk=campaign.pk)
