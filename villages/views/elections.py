"""Rounds (换届), each village's election, its committee, its calendar and its stage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import chronology, services, stages
from ..access import (
    VILLAGE_ROUND_KINDS,
    campaigns_visible_to,
    can_write,
    can_write_election,
    elections_visible_to,
    get_campaign_for,
    get_child_or_404,
    get_election_for,
    setup_required,
)
from ..extensions import calendar_extras, calendars, election_statuses
from ..formtools import attach_errors
from ..extensions import party_register
from ..forms import (
    TOWNSHIP_ROUND_KINDS,
    AdvanceStageForm,
    CampaignCloseForm,
    CampaignForm,
    CommitteeMemberForm,
    ElectionSetupForm,
    PartySeatsForm,
    PlanApprovalForm,
    PostponeForm,
    township_round_kind,
)
from ..models import CommitteeMember, ElectionType, PartyOrganisation, RulePreset
from ..overview import election_rows
from ..preset_labels import parameter_rows


def campaign_list(request):
    campaigns = campaigns_visible_to(request.user, VILLAGE_ROUND_KINDS).select_related("township", "preset")
    return render(request, "villages/campaign_list.html", {"campaigns": campaigns})


@setup_required
def campaign_create(request):
    """Open a round: the kind is chosen first (``?kind=``, or the posted form's), then one of its presets."""
    kind = township_round_kind(request.POST.get("election_type") or request.GET.get("kind"))
    form = CampaignForm(request.POST or None, user=request.user, kind=kind)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("election_type")
        try:
            campaign = services.open_campaign(by=request.user, today=timezone.localdate(), **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            unit = "个村党组织" if campaign.election_type == ElectionType.PARTY_BRANCH else "个村"
            messages.success(request, f"已开启{campaign}，共{campaign.elections.count()}{unit}。")
            return redirect("villages:campaign-detail", pk=campaign.pk)
    kinds = [(code, ElectionType(code).label) for code in TOWNSHIP_ROUND_KINDS]
    return render(request, "villages/campaign_form.html",
                  {"form": form, "title": "开启换届选举", "kinds": kinds, "kind": form.kind})


@require_POST
def campaign_close(request, pk: int):
    """结束换届选举 (office staff): close a round that will not be finished, with the reason."""
    campaign = get_campaign_for(request.user, pk, write=True)
    form = CampaignCloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_campaign(by=request.user, campaign=campaign, on=timezone.localdate(),
                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已结束{campaign.title}。")
    else:
        messages.error(request, "结束换届选举必须填写原因。")
    return redirect("villages:campaign-detail", pk=campaign.pk)


def campaign_detail(request, pk: int):
    campaign = get_campaign_for(request.user, pk)
    elections = elections_visible_to(request.user).filter(campaign=campaign).with_places().order_by("village__code")
    rows = election_rows(elections, today=timezone.localdate())
    context = {"campaign": campaign, "rows": rows, "can_setup": can_write(request.user, setup=True),
               "party": campaign.election_type == ElectionType.PARTY_BRANCH}
    return render(request, "villages/campaign_detail.html", context)


def election_detail(request, pk: int):
    election = get_election_for(request.user, pk)
    today = timezone.localdate()
    targets = [
        {
            "code": code,
            "label": election.campaign.kind.stage_label(code),
            "checklist": stages.checklist(election, code, today),
            "date_label": election.campaign.kind.stage_date_label(code),
        }
        for code in stages.next_stages(election.stage, election.campaign.kind)
        if stages.STAGE_APPS[code] in election.campaign.kind.stage_apps
    ]
    targets = [target for target in targets if stages.offered(target["checklist"])]
    kind = election.campaign.kind
    # The next stages whose app does not serve this kind yet (a Party election's 工作移交 and 归档): said, not hidden.
    unserved = [kind.stage_label(code) for code in stages.next_stages(election.stage, kind) if not stages.serves(kind, code)]
    notes: dict[str, list[str]] = {}
    for exception in election.date_exceptions.all():
        code = chronology.CALENDAR_ITEMS.get(exception.act)
        notes.setdefault(code, []).append(f"{exception.on:%Y-%m-%d}：{exception.reason}")
    extras = calendar_extras([election])
    context = {
        "election": election,
        "calendar": [(item, notes.get(item.code, []))
                     for item in calendars([election], today=today, extras=extras)[election.pk]],
        "statuses": election_statuses([election])[election.pk],
        "members": (election.campaign if election.is_district else election).committee_members.all()
        if not election.is_party_branch else [],
        "targets": targets,
        "unserved": unserved,
        "stage_track": _stage_track(election, extras[election.pk]),
        "can_setup": can_write_election(request.user, election, setup=True),
        "party": _party_panel(election) if election.is_party_branch else None,
    }
    return render(request, "villages/election_detail.html", context)


def _stage_track(election, extras: dict) -> list[tuple[str, str]]:
    """``(label, state)`` of each stage on the page's track; a 另行选举 the election went past without one is
    "skipped", not "done" (later stages say whether a runoff was held or needed: ``calendar_extras``)."""
    kind = election.campaign.kind
    runoff = extras.get("runoff_needed", False)
    labels = dict(kind.stage_choices())
    entered = frozenset({stages.RUNOFF}) if runoff else frozenset()
    return [(labels[code], state) for code, state in stages.track(kind, election.stage, entered_optional=entered)]


def _party_panel(election) -> dict:
    """What a Party election's page shows of its organisation and its 党员大会: the organisation, the register's
    full members and 应到会, and the quorum that follows (more than 4/5 of 应到会 by default)."""
    from ..kinds import party_rules

    register = party_register(election)
    rules = election.rules
    quorum = None
    if register and register.expected:
        share, strict = tuple(rules.quorum_share), rules.quorum_strict
        quorum = {"needed": party_rules.least_passing(register.expected, share, strict=strict),
                  "compare": "超过" if strict else "达到", "share": party_rules.fraction_words(share)}
    return {"organisation": PartyOrganisation.objects.filter(village_id=election.village_id).first(),
            "register": register, "quorum": quorum, "reduction": _seats_reduction(election)}


def _seats_reduction(election) -> dict | None:
    """The seats after the office's last decision to reduce them (LAW.md §4.2), with the decision: the 党员大会
    elects every 委员 (书记 and 副书记 among them), so the reduction comes off the other 委员."""
    from ballots.models import ShortfallDecision

    decision = (ShortfallDecision.objects.filter(election=election, choice=ShortfallDecision.Choice.REDUCE)
                .order_by("-decided_on", "-pk").first())
    if decision is None:
        return None
    cut = decision.seats_before - decision.seats_after
    return {"decision": decision, "total": election.total_seats - cut, "members": max(election.seats_member - cut, 0)}


def election_setup(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    if election.is_district:  # a 选区's seats are the district's, set with the district
        return redirect("villages:constituency-edit", pk=election.district_id)
    if election.is_party_congress_unit:  # a 选举单位's delegates are the round's allocation
        return redirect("villages:congress-detail", pk=election.campaign_id)
    if election.is_party_branch:
        return _party_seats(request, election)
    form = ElectionSetupForm(request.POST or None, instance=election)
    if form.is_valid():
        try:
            services.update_election_setup(
                by=request.user, election=form.instance, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "职数和选举委员会推选情况已保存。")
            return redirect("villages:election-detail", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：职数与选举委员会"})


def _party_seats(request, election):
    """The posts of a village Party organisation's committee, with the rule its full members set."""
    approved = election.plan_approved_on
    form = PartySeatsForm(request.POST or None, instance=election)
    if form.is_valid():
        try:
            services.update_party_seats(by=request.user, election=form.instance,
                                        expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "村党组织委员会职数已保存。")
            if approved and form.instance.plan_approved_on is None:
                messages.warning(request, "职数与乡镇党委批复的不同，原批复记录已撤销，请重新报批并记录批复。")
            return redirect("villages:election-detail", pk=election.pk)
    context = {"form": form, "title": f"{election}：村党组织委员会职数", "election": election,
               "register": party_register(election), "rule": services.party_seat_rule(election),
               "organisation": PartyOrganisation.objects.filter(village_id=election.village_id).first()}
    return render(request, "villages/party_seats.html", context)


def election_plan_approval(request, pk: int):
    """乡镇党委批复 of a Party election's plan and its committee's posts (date and document number)."""
    election = get_election_for(request.user, pk, setup=True)
    if not election.is_party_branch:
        raise Http404("这不是村党组织的换届选举")
    initial = {"version": election.version, "plan_approved_on": election.plan_approved_on,
               "plan_approval_ref": election.plan_approval_ref}
    form = PlanApprovalForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_plan_approval(by=request.user, election=election, approved_on=data["plan_approved_on"],
                                          reference=data["plan_approval_ref"], today=timezone.localdate(),
                                          expected_version=data["version"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "乡镇党委的批复已记录。")
            return redirect("villages:election-detail", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：乡镇党委批复"})


def election_postpone(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    form = PostponeForm(request.POST or None, initial={"version": election.version})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.postpone_election(
                by=request.user,
                election=election,
                new_day=data["new_day"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"选举日已顺延至{data['new_day']:%Y年%-m月%-d日}。")
            return redirect("villages:election-detail", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：顺延选举日"})


def committee_member_create(request, pk: int):
    election = get_election_for(request.user, pk, setup=True)
    if election.is_district:  # the 选举委员会 is the round's
        return redirect("villages:deputy-committee-member-create", pk=election.campaign_id)
    form = CommitteeMemberForm(request.POST or None, instance=CommitteeMember(election=election))
    return _save_member(request, form, election, "添加村民选举委员会成员")


def committee_member_edit(request, pk: int, member_pk: int):
    election = get_election_for(request.user, pk, setup=True)
    member = get_child_or_404(election.committee_members.all(), member_pk)
    form = CommitteeMemberForm(request.POST or None, instance=member)
    return _save_member(request, form, election, f"修改成员：{member.name}")


def _save_member(request, form, election, title):
    if form.is_valid():
        try:
            services.save_committee_member(by=request.user, member=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "村民选举委员会成员已保存。")
            return redirect("villages:election-detail", pk=election.pk)
    return render(request, "villages/form_page.html", {"form": form, "title": f"{election}：{title}"})


@require_POST
def election_advance(request, pk: int):
    # Handover and archiving come after certification, so stage moves are not locked by it.
    election = get_election_for(request.user, pk, setup=True, after_certification=True)
    form = AdvanceStageForm(request.POST)
    if form.is_valid():
        try:
            services.advance_stage(
                by=request.user,
                election=election,
                target=form.cleaned_data["target"],
                on=form.cleaned_data["on"],
                today=timezone.localdate(),
                date_reason=form.cleaned_data["date_reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已进入“{election.campaign.kind.stage_label(form.cleaned_data['target'])}”阶段。")
    else:
        messages.error(request, "日期格式不正确，请重新选择。")
    return redirect("villages:election-detail", pk=election.pk)


def preset_list(request):
    presets = RulePreset.objects.all()
    return render(request, "villages/preset_list.html", {"presets": presets})


def preset_detail(request, pk: int):
    preset = get_child_or_404(RulePreset.objects.all(), pk)
    sections = parameter_rows(preset.rules.to_dict())
    return render(request, "villages/preset_detail.html", {"preset": preset, "sections": sections})
