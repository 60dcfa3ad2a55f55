"""Writes for the setup stage: places, users, rounds, elections and their committees.

Each service takes the actor as ``by``, runs in one transaction, writes one audit entry and raises
``ValidationError(message, code=…)`` for a business failure (STYLE.md §8–§10).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from . import stages
from .access import latest_election_of, lock_election_for_write
from .audit import diff, log_action, snapshot
from .dates import check_dates, election_facts
from .models import (
    Campaign,
    CommitteeMember,
    County,
    Election,
    PartyOrganisation,
    RulePreset,
    Township,
    User,
    Village,
    VillageAssignment,
    VillagerGroup,
)
from .kinds import KINDS, UNIT_PARTY_ORGANISATION, UNIT_VILLAGE
from .versioning import save_versioned

ERROR_MESSAGES = {
    "seats_out_of_range": "村委会成员职数合计{total}人，不在本选举规则允许的{low}至{high}人之间（村民委员会组织法第六条）。",
    "vice_chair_too_many": "副主任职数不能超过{high}名。",
    "woman_seat_needs_member": "设妇女委员专职时，委员职数至少为1。",
    "postpone_needs_reason": "顺延选举日必须填写原因。",
    "postpone_same_day": "新的选举日与原选举日相同。",
    "campaign_exists": "本乡镇第{term}届该类选举已经存在。",
    "campaign_in_progress": "本乡镇{title}尚未结束（{open}个村尚未归档）。一个乡镇同一类选举同时只能进行一届；确需开启新的一届，请先结束上一届并说明原因。",
    "campaign_close_needs_reason": "结束换届选举必须填写原因。",
    "campaign_already_closed": "该届换届选举已于{day}结束。",
    "campaign_no_villages": "本乡镇还没有行政村，请先录入行政村。",
    "campaign_kind_not_opened_here": "{kind}的选举单位尚未开通，暂不能在这里开启。",
    "stage_not_next": "不能从“{current}”直接进入“{target}”。",
    "stage_not_served": "{kind}的“{target}”阶段尚未开通。",
    "stage_checklist": "进入“{target}”前，以下事项尚未完成：{missing}",
    "stage_date_required": "请填写{label}。",
    "stage_date_future": "{label}不能晚于今天。",
    "committee_chair_exists": "{body}已有主任，请先调整现任主任的职务。",
    "not_party_election": "这不是村党组织的换届选举。",
    "party_register_empty": "党员名册中还没有正式党员，请先导入党员名册，再按正式党员人数确定职数。",
    "party_no_branch": "{finding}，不能按村党组织选举确定职数，请报上级党组织处理。",
    "party_secretary_one": "书记职数为1名。",
    "party_deputy_too_many": "副书记职数不能超过{high}名（{rule}）。",
    "party_secretary_only": "{finding}：应设书记1名{deputy}，不设其他委员，现为书记{chair}名、副书记{vice}名、委员{member}名。",
    "party_committee_size": "{finding}：书记、副书记和委员合计应为{span}，现为{total}名。",
    "approval_ref_missing": "请填写乡镇党委批复的文号。",
    "approval_future": "批复日期不能晚于今天。",
    "approval_after_election": "批复日期不能晚于选举日（{day}）。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


# ---------------------------------------------------------------- places


@transaction.atomic
def save_county(*, by: User, county: County) -> County:
    """Add a county (系统管理员)."""
    county.full_clean()
    county.save()
    log_action(by=by, action="villages.county.created", obj=county, changes=diff({}, snapshot(county)))
    return county


@transaction.atomic
def save_township(*, by: User, township: Township, expected_version: int | None = None) -> Township:
    """Create or update a township (系统管理员)."""
    township.full_clean()
    if township.pk is None:
        township.save()
        log_action(by=by, action="villages.township.created", obj=township, changes=diff({}, snapshot(township)))
        return township
    before = snapshot(Township.objects.get(pk=township.pk))
    save_versioned(township, fields=["county_id", "name", "code"], expected_version=expected_version)
    log_action(by=by, action="villages.township.updated", obj=township, changes=diff(before, snapshot(township)))
    return township


@transaction.atomic
def save_village(*, by: User, village: Village, expected_version: int | None = None) -> Village:
    """Create or update a village's particulars; a stale form gets a conflict error."""
    village.full_clean()
    if village.pk is None:
        village.save()
        log_action(by=by, action="villages.village.created", obj=village, changes=diff({}, snapshot(village)))
        return village
    before = snapshot(Village.objects.get(pk=village.pk))
    fields = ["name", "code", "population", "households", "natural_villages", "is_multiethnic"]
    save_versioned(village, fields=fields, expected_version=expected_version)
    log_action(by=by, action="villages.village.updated", obj=village, changes=diff(before, snapshot(village)))
    return village


@transaction.atomic
def save_villager_group(*, by: User, group: VillagerGroup) -> VillagerGroup:
    """Add or change a 村民小组. The groups are part of the voter list, so they are locked while the
    village's latest election is certified (unlocking, or the next round, opens them again)."""
    _check_groups_unlocked(group)
    group.full_clean()
    created = group.pk is None
    before = {} if created else snapshot(VillagerGroup.objects.get(pk=group.pk))
    group.save()
    action = "villages.group.created" if created else "villages.group.updated"
    log_action(by=by, action=action, obj=group, changes=diff(before, snapshot(group)))
    return group


def _check_groups_unlocked(group: VillagerGroup) -> None:
    # An earlier round's register also names these groups; its certified text is kept in the archive's
    # PDFs (archive.filing), so only the round under way locks them.
    latest = latest_election_of(group.village_id)
    if latest is not None:
        lock_election_for_write(latest)  # serialises with certification, which takes the same row lock


# ---------------------------------------------------------------- users


@transaction.atomic
def save_user(*, by: User, user: User, villages: list[Village], password: str | None = None) -> User:
    """Create or update a user with role, scope and (for liaison officers) villages."""
    created = user.pk is None
    before = {} if created else snapshot(User.objects.get(pk=user.pk), _USER_FIELDS)
    if password:
        user.set_password(password)
    user.full_clean(exclude=["password"] if not password and not created else None)
    user.save()
    VillageAssignment.objects.filter(user=user).exclude(village__in=villages).delete()
    for village in villages:
        VillageAssignment.objects.get_or_create(user=user, village=village)
    after = snapshot(user, _USER_FIELDS) | {"villages": sorted(v.name for v in villages)}
    before.setdefault("villages", None)
    action = "villages.user.created" if created else "villages.user.updated"
    log_action(by=by, action=action, obj=user, changes=diff(before, after) | ({"password": ["", "***"]} if password else {}))
    return user


@transaction.atomic
def change_own_password(*, by: User, form) -> User:
    """A user changes their own password (``form``: Django's PasswordChangeForm, already checked the
    old password and the password rules). Logged like an administrator's reset, without the password."""
    user = form.save()
    log_action(by=by, action="auth.password_changed", obj=user, changes={"password": ["***", "***"]})
    return user


_USER_FIELDS = ["username", "display_name", "role", "township_id", "county_id", "phone", "is_active"]


# ---------------------------------------------------------------- presets and rounds


@transaction.atomic
def save_preset(*, by: User, preset: RulePreset) -> RulePreset:
    """Add or change a custom rule preset (系统管理员, through the admin). A round copies its preset's
    parameters when it opens, so a change never reaches an election already under way."""
    preset.full_clean()
    created = preset.pk is None
    before = {} if created else snapshot(RulePreset.objects.get(pk=preset.pk))
    preset.save()
    action = "villages.preset.created" if created else "villages.preset.updated"
    log_action(by=by, action=action, obj=preset, changes=diff(before, snapshot(preset)))
    return preset


def ensure_builtin_presets() -> list[RulePreset]:
    """Create or refresh the built-in presets of every kind (idempotent; custom presets are left alone)."""
    presets = []
    for kind, definition in ((kind, d) for kind in KINDS.values() for d in kind.presets):
        preset, _ = RulePreset.objects.update_or_create(
            code=definition.code,
            defaults={
                "name": definition.name,
                "province": definition.province,
                "election_type": kind.code,
                "params": definition.overrides,
                "sources": list(definition.sources),
                "is_builtin": True,
            },
        )
        presets.append(preset)
    return presets


@transaction.atomic
def open_campaign(
    *, by: User, township: Township, term_number: int, preset: RulePreset, default_election_day: date,
    today: date | None = None, date_reason: str = "",
) -> Campaign:
    """Open a round (换届) and create each village's election with the round's day and default seats.

    The preset's parameters are copied into the round so that they stay fixed for its elections. One
    round at a time per township and election type: an earlier one must be finished (every election
    archived) or closed (``close_campaign``). Opened when the voter-list deadline (E−20) has already
    passed, the round needs a written reason (``villages.dates``); ``today`` None skips that check
    (data loading).
    """
    kind = preset.kind
    if kind.unit not in (UNIT_VILLAGE, UNIT_PARTY_ORGANISATION):
        raise _error("campaign_kind_not_opened_here", kind=kind.label)
    if Campaign.objects.of_kind(kind.code).filter(township=township, term_number=term_number).exists():
        raise _error("campaign_exists", term=term_number)
    # An earlier term still under way blocks a later one; an older term may still be entered afterwards
    # (last term's records), as it never becomes the current round.
    running = Campaign.objects.select_for_update().filter(
        township=township, election_type=preset.election_type, closed_on__isnull=True, term_number__lt=term_number)
    for earlier in running:
        unfinished = earlier.elections.exclude(stage=stages.ARCHIVED).count()
        if unfinished:
            raise _error("campaign_in_progress", title=earlier.title, open=unfinished)
    villages = list(Village.objects.filter(township=township))
    if not villages:
        raise _error("campaign_no_villages")
    rules = preset.rules
    campaign = Campaign.objects.create(
        county_id=township.county_id,
        township=township,
        term_number=term_number,
        election_type=kind.code,
        preset=preset,
        rule_params=rules.to_dict(),
        default_election_day=default_election_day,
    )
    if kind.unit == UNIT_PARTY_ORGANISATION:
        # A village Party organisation's election: 书记 1 and 委员 2 until the plan fixes the committee's size
        # (``party_rules.committee_structure``); the organisation itself, once per village.
        _ensure_party_organisations(villages, township)
        member_seats = rules.branch_committee_size_min - 1
    else:
        member_seats = max(rules.committee_size_min - 1, 2)
    Election.objects.bulk_create(
        Election(
            campaign=campaign,
            village=village,
            election_day=default_election_day,
            seats_chair=1,
            seats_vice_chair=0,
            seats_member=member_seats,
            woman_seat_reserved=getattr(rules, "woman_seat_reserved", False),
        )
        for village in villages
    )
    if today is not None:
        check_dates(by=by, act="campaign_opened", on=today, facts={"election_day": default_election_day},
                    params=rules, today=today, reason=date_reason, campaign=campaign)
    log_action(
        by=by,
        action="villages.campaign.opened",
        obj=campaign,
        changes=diff({}, snapshot(campaign, ["term_number", "preset_id", "default_election_day"]) | {"elections": len(villages)}),
    )
    return campaign


def _ensure_party_organisations(villages, township) -> None:
    """Each village's Party organisation, a 党支部 of the township's Party committee unless already recorded."""
    have = set(PartyOrganisation.objects.filter(village__in=villages).values_list("village_id", flat=True))
    PartyOrganisation.objects.bulk_create(
        PartyOrganisation(village=village, name=PartyOrganisation.default_name(village),
                          parent_name=PartyOrganisation.default_parent_name(township))
        for village in villages if village.pk not in have
    )


@transaction.atomic
def close_campaign(*, by: User, campaign: Campaign, on: date, reason: str) -> Campaign:
    """结束换届选举: close a round that will not be finished (e.g. the township was merged), so that the
    next one can open. The reason is required and logged; the round's records stay as they are."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on:
        raise _error("campaign_already_closed", day=f"{campaign.closed_on:%Y年%m月%d日}")
    if not reason.strip():
        raise _error("campaign_close_needs_reason")
    campaign.closed_on, campaign.closed_reason = on, reason.strip()
    save_versioned(campaign, fields=["closed_on", "closed_reason"], expected_version=None)
    log_action(by=by, action="villages.campaign.closed", obj=campaign,
               changes={"closed_on": [None, on.isoformat()], "closed_reason": [None, reason.strip()]})
    return campaign


def validate_seats(*, chair: int, vice_chair: int, member: int, woman_seat: bool, rules) -> None:
    """Seats per post within the preset (OL §6: 3 to 7 in all; at most the preset's vice-chairs)."""
    total = chair + vice_chair + member
    errors = []
    if not rules.committee_size_min <= total <= rules.committee_size_max:
        errors.append(_error("seats_out_of_range", total=total, low=rules.committee_size_min, high=rules.committee_size_max))
    if vice_chair > rules.vice_chair_max:
        errors.append(_error("vice_chair_too_many", high=rules.vice_chair_max))
    if woman_seat and member < 1:
        errors.append(_error("woman_seat_needs_member"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_election_setup(*, by: User, election: Election, expected_version: int) -> Election:
    """Save seats, the women's seat and how the election committee was chosen (a Party organisation's
    election: its posts, ``update_party_seats``)."""
    if election.is_party_branch:
        return update_party_seats(by=by, election=election, expected_version=expected_version)
    before = snapshot(lock_election_for_write(election))  # first: a certified election refuses before any check
    validate_seats(
        chair=election.seats_chair,
        vice_chair=election.seats_vice_chair,
        member=election.seats_member,
        woman_seat=election.woman_seat_reserved,
        rules=election.rules,
    )
    fields = [
        "seats_chair",
        "seats_vice_chair",
        "seats_member",
        "woman_seat_reserved",
        "committee_chosen_by",
        "committee_chosen_on",
    ]
    save_versioned(election, fields=fields, expected_version=expected_version)
    log_action(by=by, action="villages.election.updated", obj=election, changes=diff(before, snapshot(election)))
    return election


def validate_party_seats(*, chair: int, vice_chair: int, member: int, rules, full_members: int | None,
                         population: int | None = None):
    """The posts of a village Party organisation's committee against its full members (支部工作条例, LAW.md §4.3;
    ``party_rules.committee_size``): from 7 full members a committee within the preset's range (or the size the
    village's population fixes, where the preset has the rule), 书记 1 and at most the preset's 副书记; below 7
    a 书记 only (and a 副书记 where needed). Returns the ``CommitteeSize``; raises with every problem."""
    from .kinds import party_rules

    if not full_members:
        raise _error("party_register_empty")
    size = party_rules.committee_size(full_members=full_members, params=rules, population=population or None)
    finding = size.findings[0].message
    if size.structure == party_rules.NO_BRANCH:
        raise _error("party_no_branch", finding=finding)
    errors = []
    total = chair + vice_chair + member
    if chair != 1:
        errors.append(_error("party_secretary_one"))
    if size.structure == party_rules.SECRETARY_ONLY:
        if member or vice_chair > size.size_max - 1:
            deputy = "，必要时设副书记1名" if size.size_max > 1 else ""
            errors.append(_error("party_secretary_only", finding=finding, deputy=deputy, chair=chair, vice=vice_chair,
                                 member=member))
    else:
        if vice_chair > rules.deputy_secretary_max:
            errors.append(_error("party_deputy_too_many", high=rules.deputy_secretary_max, rule="支部工作条例"))
        if not size.size_min <= total <= size.size_max:
            span = f"{size.size_min}名" if size.size_min == size.size_max else f"{size.size_min}至{size.size_max}名"
            errors.append(_error("party_committee_size", finding=finding, span=span, total=total))
    if errors:
        raise ValidationError(errors)
    return size


def party_seat_problem(election: Election) -> str:
    """'' when a Party election's posts fit its full members, else the reasons (for the setup checklist)."""
    from .extensions import party_register

    facts = party_register(election)
    try:
        validate_party_seats(chair=election.seats_chair, vice_chair=election.seats_vice_chair,
                             member=election.seats_member, rules=election.rules,
                             full_members=facts.full if facts else None, population=election.village.population)
    except ValidationError as exc:
        return "；".join(exc.messages)
    return ""


def party_seat_rule(election: Election) -> str:
    """The rule the full members set for the committee, in one sentence (``party_rules.committee_size``)."""
    from .extensions import party_register
    from .kinds import party_rules

    facts = party_register(election)
    if not facts or not facts.full:
        return ERROR_MESSAGES["party_register_empty"]
    size = party_rules.committee_size(full_members=facts.full, params=election.rules,
                                      population=election.village.population or None)
    return "；".join(f.message for f in size.findings) + "。"


PARTY_SEAT_FIELDS = ["seats_chair", "seats_vice_chair", "seats_member"]


@transaction.atomic
def update_party_seats(*, by: User, election: Election, expected_version: int) -> Election:
    """Save the posts of a village Party organisation's committee (书记, 副书记, 委员), checked against the full
    members of its register. Posts that differ from those the township Party committee approved withdraw the
    approval (it must be sought again), in the same audited change."""
    from .extensions import party_register

    stored = lock_election_for_write(election)
    if not stored.is_party_branch:
        raise _error("not_party_election")
    facts = party_register(stored)
    validate_party_seats(chair=election.seats_chair, vice_chair=election.seats_vice_chair, member=election.seats_member,
                         rules=stored.rules, full_members=facts.full if facts else None,
                         population=stored.village.population)
    before = snapshot(stored)
    fields = list(PARTY_SEAT_FIELDS)
    changed = any(getattr(stored, name) != getattr(election, name) for name in PARTY_SEAT_FIELDS)
    if changed and stored.plan_approved_on:
        election.plan_approved_on, election.plan_approval_ref = None, ""
        fields += ["plan_approved_on", "plan_approval_ref"]
    save_versioned(election, fields=fields, expected_version=expected_version)
    log_action(by=by, action="villages.election.party_seats_updated", obj=election,
               changes=diff(before, snapshot(election)))
    return election


@transaction.atomic
def record_plan_approval(*, by: User, election: Election, approved_on: date, reference: str, today: date,
                         expected_version: int) -> Election:
    """Record the township Party committee's approval (乡镇党委批复) of a Party election's plan and its committee's
    posts: its date and document number (LAW.md §4.2, 2020 条例 Art. 14)."""
    stored = lock_election_for_write(election)
    if not stored.is_party_branch:
        raise _error("not_party_election")
    errors = {}
    reference = reference.strip()
    if not reference:
        errors["plan_approval_ref"] = [_error("approval_ref_missing")]
    if approved_on > today:
        errors["plan_approved_on"] = [_error("approval_future")]
    elif approved_on > stored.election_day:
        errors["plan_approved_on"] = [_error("approval_after_election", day=f"{stored.election_day:%Y年%-m月%-d日}")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(stored)
    stored.plan_approved_on, stored.plan_approval_ref = approved_on, reference
    save_versioned(stored, fields=["plan_approved_on", "plan_approval_ref"], expected_version=expected_version)
    log_action(by=by, action="villages.election.plan_approved", obj=stored, changes=diff(before, snapshot(stored)))
    return stored


@transaction.atomic
def postpone_election(*, by: User, election: Election, new_day: date, reason: str, expected_version: int) -> Election:
    """顺延: move a village's election day, keeping the original day and the reason."""
    if not reason.strip():
        raise _error("postpone_needs_reason")
    if new_day == election.election_day:
        raise _error("postpone_same_day")
    before = snapshot(lock_election_for_write(election))
    election.postponed_from = election.postponed_from or election.election_day
    election.election_day = new_day
    election.postponement_reason = reason.strip()
    save_versioned(
        election, fields=["election_day", "postponed_from", "postponement_reason"], expected_version=expected_version
    )
    log_action(by=by, action="villages.election.postponed", obj=election, changes=diff(before, snapshot(election)))
    return election


@transaction.atomic
def save_committee_member(*, by: User, member: CommitteeMember) -> CommitteeMember:
    """Add or change a member of the 村民选举委员会 (OL §12), or of a 人大 round's 选举委员会
    (Election Law Art. 10; the member's ``campaign`` is set instead of its ``election``)."""
    if member.election_id:  # a village committee election; a 人大 round's committee has no election
        lock_election_for_write(member.election_id)
    member.full_clean(validate_constraints=False)
    body = {"election": member.election_id, "campaign": member.campaign_id}
    if (
        member.position == CommitteeMember.Position.CHAIR
        and member.left_on is None
        and not member.is_alternate
        and CommitteeMember.objects.filter(**body, position="chair", left_on__isnull=True, is_alternate=False)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise _error("committee_chair_exists", body="选举委员会" if member.campaign_id else "村民选举委员会")
    created = member.pk is None
    before = {} if created else snapshot(CommitteeMember.objects.get(pk=member.pk))
    member.save()
    action = "villages.committee_member.created" if created else "villages.committee_member.updated"
    log_action(by=by, action=action, obj=member, changes=diff(before, snapshot(member)))
    return member


STAGE_ACTS = {
    stages.LIST_PUBLISHED: "voter_list_published",
    stages.VOTING: "candidate_list_published",
    stages.HANDOVER: "new_committee_formed",
    stages.ARCHIVED: "handover_completed",
}


@transaction.atomic
def advance_stage(
    *, by: User, election: Election, target: str, on: date | None, today: date, date_reason: str = "",
    facts: dict | None = None,
) -> Election:
    """Move an election to ``target`` once every checklist item for it holds.

    The stage that marks a dated act (publication of the voter list, of the candidate list, the new
    committee, the handover) records that date, which feeds the legal calendar. The date is checked
    against the act's prerequisites and window (``villages.chronology``): an impossible date is refused,
    one outside the window needs ``date_reason``. ``facts`` adds what only a later app knows (e.g. the
    day the first voter was registered).
    """
    # Stage moves go on after certification (工作移交, 归档), so they lock without refusing.
    election = lock_election_for_write(election, after_certification=True)
    kind = election.campaign.kind
    if target not in stages.next_stages(election.stage, kind):
        target_label = kind.stage_label(target) if target in stages.STAGE_LABELS else target
        raise _error("stage_not_next", current=election.stage_label, target=target_label)
    if not stages.serves(kind, target):
        raise _error("stage_not_served", kind=kind.label, target=kind.stage_label(target))
    date_field = stages.STAGE_DATE_FIELDS.get(target)
    if date_field:
        name, label = date_field[0], kind.stage_date_label(target)
        if on is None:
            raise _error("stage_date_required", label=label)
        if on > today:
            raise _error("stage_date_future", label=label)
        if target in STAGE_ACTS:
            check_dates(by=by, act=STAGE_ACTS[target], on=on, facts=election_facts(election, **(facts or {})),
                        params=election.rules, today=today, reason=date_reason, election=election)
        setattr(election, name, on)
    missing = [item.label for item in stages.checklist(election, target, today) if not item.ok and not item.offer_only]
    if missing:
        raise _error("stage_checklist", target=kind.stage_label(target), missing="；".join(missing))
    before = snapshot(Election.objects.get(pk=election.pk))
    election.stage = target
    fields = ["stage"] + ([date_field[0]] if date_field else [])
    save_versioned(election, fields=fields, expected_version=None)
    log_action(by=by, action="villages.election.stage_advanced", obj=election, changes=diff(before, snapshot(election)))
    return election
