"""The Party member register (党员名册) of a Party election: the members with their status and its reason, 应到会
with its arithmetic, and the members not counted as 应到会 (issue 12; LAW.md §4.2). The members are imported by
the register's one import (``views/imports.py``); this page reads them through the access chokepoint like any
register, with ID numbers masked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from villages.access import can_see_full_id, can_write_election, get_child_or_404, get_election_for
from villages.formtools import attach_errors
from villages.kinds import party_members

from .. import codes
from ..forms import ExcusalForm, WithdrawExcusalForm
from ..imports import is_party_register
from ..models import AttendanceExcusal, Status, Voter
from ..services import party


def _party_election(request, pk: int, **kwargs):
    election = get_election_for(request.user, pk, **kwargs)
    if not is_party_register(election.rules):
        raise Http404("这不是党组织的选举")
    return election


def member_register(request, pk: int):
    election = _party_election(request, pk)
    members = list(Voter.objects.filter(election=election).order_by("name", "id"))
    excusals = list(AttendanceExcusal.objects.filter(election=election).select_related("member")
                    .order_by("withdrawn_at", "id"))
    active = {e.member_id: e for e in excusals if e.is_active}
    rows = [(m, party_members.STATUS_LABELS[m.status], active.get(m.pk)) for m in members]
    context = {
        "election": election,
        "organisation": party.organisation_of(election),
        "figures": party.register_figures(election),
        "rows": rows,
        "excusals": excusals,
        "standings": party_members.STANDINGS,
        "ethnic_groups": codes.ETHNIC_GROUPS,
        "restrictions": dict(party_members.RESTRICTIONS),
        "full_ids": can_see_full_id(request.user, election),
        "can_write": can_write_election(request.user, election),
        "withdraw_form": WithdrawExcusalForm(),
    }
    return render(request, "voters/party_register.html", context)


def excusal_create(request, pk: int):
    election = _party_election(request, pk, write=True)
    excused = AttendanceExcusal.objects.filter(election=election, withdrawn_at__isnull=True).values("member_id")
    members = Voter.objects.filter(election=election, status=Status.REGISTERED).exclude(pk__in=excused).order_by("name", "id")
    allowed = set(election.rules.excused_categories)
    categories = [(code, label) for code, label in AttendanceExcusal.Category.choices if code in allowed]
    form = ExcusalForm(request.POST or None, members=members, categories=categories)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = get_child_or_404(Voter.objects.filter(election=election), data.pop("member"))
            party.record_excusal(by=request.user, election=election, member=member, today=timezone.localdate(), **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"已记录：{member.name}不列入应到会人数。")
            return redirect("voters:party-register", pk=election.pk)
    return render(request, "voters/excusal_form.html", {"form": form, "election": election})


@require_POST
def excusal_withdraw(request, pk: int, excusal_pk: int):
    election = _party_election(request, pk, write=True)
    excusal = get_child_or_404(AttendanceExcusal.objects.filter(election=election), excusal_pk)
    form = WithdrawExcusalForm(request.POST)
    try:
        party.withdraw_excusal(by=request.user, excusal=excusal,
                               reason=form.data.get("reason", "") if form.is_bound else "")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销：{excusal.member.name}重新计入应到会人数。")
    return redirect("voters:party-register", pk=election.pk)
