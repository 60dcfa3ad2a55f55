"""Proxy voting (委托投票, OL §15 ¶4): the written entrustments and the published list.

Registering and revoking an entrustment: office staff and the village's liaison officer. Approving
it and publishing the list of principals and holders: acts of the 村民选举委员会, recorded by office
staff (election-setup rights).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors
from villages.presets import PROXY_RELATIONS

from .. import proxy_rules
from ..forms import ApproveProxyForm, DateForm, ProxyForm
from ..models import Proxy
from ..services import proxies


def proxy_list(request, pk: int):
    election = get_election_for(request.user, pk)
    rows = Proxy.objects.filter(election=election).select_related("principal__group", "holder__group").order_by("holder__name", "id")
    context = {
        "election": election,
        "proxies": rows,
        "request_deadline": proxy_rules.request_deadline(election.election_day, election.rules),
        "publish_deadline": proxy_rules.publish_deadline(election.election_day, election.rules),
        "cap": election.rules.proxy_max_per_holder,
        "relations": PROXY_RELATIONS,
        "today": timezone.localdate(),
        "can_write": can_write_election(request.user, election),
        "can_setup": can_write_election(request.user, election, setup=True),
    }
    return render(request, "voters/proxy_list.html", context)


def proxy_create(request, pk: int):
    election = get_election_for(request.user, pk, write=True)
    today = timezone.localdate()
    form = ProxyForm(request.POST or None, election=election, today=today)
    if form.is_valid():
        try:
            proxies.register_proxy(by=request.user, election=election, today=today, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "委托投票已登记，待村民选举委员会审核。")
            return redirect("voters:proxy-list", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：登记委托投票"})


@require_POST
def proxy_approve(request, pk: int, proxy_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    proxy = get_child_or_404(Proxy.objects.filter(election=election), proxy_pk)
    form = ApproveProxyForm(request.POST)
    approved_on = form.cleaned_data["approved_on"] if form.is_valid() else timezone.localdate()
    try:
        proxies.approve_proxy(by=request.user, proxy=proxy, approved_on=approved_on, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已审核同意该委托。")
    return redirect("voters:proxy-list", pk=election.pk)


@require_POST
def proxy_revoke(request, pk: int, proxy_pk: int):
    election = get_election_for(request.user, pk, write=True)
    proxy = get_child_or_404(Proxy.objects.filter(election=election), proxy_pk)
    try:
        proxies.revoke_proxy(by=request.user, proxy=proxy)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "委托已撤销。")
    return redirect("voters:proxy-list", pk=election.pk)


def proxy_publish(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    form = DateForm(request.POST or None, initial={"published_on": timezone.localdate()}, submit="登记公布")
    if form.is_valid():
        try:
            count = proxies.publish_proxy_list(
                by=request.user, election=election, published_on=form.cleaned_data["published_on"], today=timezone.localdate()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"委托投票名单已登记公布（本次新公布{count}件）。")
            return redirect("voters:proxy-list", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：公布委托人和受委托人名单"})
