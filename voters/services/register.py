"""Writes to the voter register: registering and editing voters, publishing the list (张榜公布) and
changing it afterwards through numbered amendment batches (增减名单).

Two facts are kept apart on a ``Voter``:
- ``status`` is the eligibility verdict (``voters.eligibility.assess`` on the election day): a refused
  person is kept, with the reason, so that the register shows who was checked (DOMAIN.md "Who is
  registered");
- ``listed_from``/``listed_until`` is the span during which the person is on the published list.
  The publication lists every registered voter from its date; after that the list changes only by an
  amendment batch, so ``Voter.objects.listed_on(day)`` reproduces the list as of any day. A person
  entered after publication stays off the list until an amendment adds them (补登) or an upheld
  appeal does.

Known limit: a person removed and later re-added keeps only the latest span; the earlier one stays
in the amendment items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import diff, log_action, log_each
from villages.audit import snapshot as _snapshot
from villages.legal_calendar import days_before
from villages.models import Election, User
from villages.services import advance_stage
from villages.versioning import save_versioned

from .. import eligibility, registrations
from ..models import AmendmentBatch, AmendmentItem, Publication, Status, Voter

ERROR_MESSAGES = {
    # The wording depends on who asks (``voters.registrations.message_for``); never the other voter's name.
    "duplicate_id": "{message}",
    "group_other_village": "所选村民小组不属于{village}。",
    "stage_closed": "选举已进入“{stage}”阶段，选民名单不能再修改。",
    "carry_not_district": "只有人大代表选举的选区沿用上届选民登记。",
    "carry_after_publication": "选民名单已经公布，不能再沿用上届登记；请通过名单变更办理增减。",
    "carry_nothing": "上届人大代表选举中没有本选区各村民小组的登记选民可以沿用。",
    "already_published": "{unit}选民名单已于{day}公布，不能重复公布。",
    "no_registered_voters": "还没有登记选民，不能公布选民名单。",
    "holder_lists_unpublished": "本选区的选民在乡级选区登记，{districts}尚未公布选民名单，请先公布。",
    "before_holder_lists": "本选区的选民在乡级选区登记，{districts}的选民名单于{day}公布，本选区的公布日期不能早于该日。",
    "amendment_required": "选民名单已公布，修改名单上的选民须填写变更原因，作为一批名单变更（增减名单）记录。",
    "amendment_reason_blank": "请填写变更原因。",
    "effective_before_publication": "变更生效日期不能早于选民名单公布日期（{day}）。",
    "effective_in_future": "变更生效日期不能晚于今天。",
    "not_published": "选民名单尚未公布：公布前直接修改登记信息即可，不需要名单变更。",
    "already_listed": "{name}已在选民名单上。",
    "not_listed": "{name}不在选民名单上。",
    "not_eligible": "{name}不符合登记条件，不能列入名单：{reasons}",
    "reason_code_unknown": "四增四减原因“{reason}”不在本选举规则的原因列表中。",
    "reason_code_direction": "列入名单应选择“增”的原因，移出名单应选择“减”的原因。",
    "batch_already_published": "第{number}批变更已于{day}公布。",
    "batch_published_early": "公布日期不能早于变更生效日期（{day}）。",
    "published_in_future": "公布日期不能晚于今天。",
    "not_same_village": "只能记录本村上一届选民名单上的人员。",
}

# The fields a person's registration is made of; changing one of them on a listed voter is a 更正.
REGISTRATION_FIELDS = [
    "group_id",
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "id_number",
    "education",
    "education_edition",
    "political_status",
    "address",
    "lives_in_village",
    "phone",
    "category",
    "away",
    "remarks",
    "statement_date",
    "residence_since",
    "application_date",
    "approval_meeting",
    "approval_date",
    "status_proof_on",
    "has_political_rights",
    "capacity_ok",
]
# Contact details and the away flag change often and are no part of the published list.
UNLISTED_FIELDS = {"phone", "away", "remarks", "address"}
VERDICT_FIELDS = ["status", "not_registered_reason"]
HISTORY_FIELDS = REGISTRATION_FIELDS + VERDICT_FIELDS + ["listed_from", "listed_until", "change_reason"]
LAST_EDITABLE_STAGE = stages.VOTING


def snapshot(voter: Voter, fields: list[str] | None = None) -> dict:
    """The audit snapshot of a voter: its registration, verdict and listing, no timestamps."""
    return _snapshot(voter, fields or HISTORY_FIELDS)


def _error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(ERROR_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


@dataclass(frozen=True, kw_only=True)
class Amendment:
    """Why and from when a change to the published list applies (one batch of 增减名单)."""

    effective_on: date
    reason: str
    reason_code: str = ""  # a 四增四减 code (ADD_… / REM_…), optional for corrections
    note: str = ""


# ---------------------------------------------------------------- registering and editing


@transaction.atomic
def register_voter(*, by: User, voter: Voter, today: date, amendment: Amendment | None = None) -> Voter:
    """Enter one person in an election's register, registered or refused with the reason.

    The checks: the villager group is the village's; the ID number is in no other register of the
    round, nor registered in another current round of the county (OL §13 ¶3, ``voters.registrations``;
    within the round also a constraint), reported without the other voter's name; then
    ``eligibility.assess`` on the election day decides ``status``. After publication the person is
    listed only with an ``amendment`` (补登), and only if registered.
    """
    election = lock_election(voter.election_id)
    _check_editable(election)
    _check_registration(voter, election, by=by)
    voter.campaign_id = election.campaign_id
    _apply_verdict(voter, election)
    voter.save()
    log_action(by=by, action="voters.voter.created", obj=voter, changes=diff({}, snapshot(voter)))
    publication = _publication(election)
    if publication and amendment:
        add_to_list(by=by, election=election, voter=voter, amendment=amendment, publication=publication, today=today)
    return voter


@transaction.atomic
def update_voter(
    *, by: User, voter: Voter, expected_version: int, today: date, amendment: Amendment | None = None, appeal=None
) -> Voter:
    """Save an edited registration and re-run the eligibility check.

    Before publication this is a plain edit. After it, a change to a listed voter needs an
    ``amendment``: a change of the published particulars becomes a 更正 item, and a person who no
    longer qualifies is removed (减). ``appeal`` links the batch to the upheld appeal it carries out.
    """
    election = lock_election(voter.election_id)
    _check_editable(election)
    stored = Voter.objects.get(pk=voter.pk)
    before = snapshot(stored)
    _check_registration(voter, election, by=by)
    _apply_verdict(voter, election)
    changed = diff(before, snapshot(voter))
    publication = _publication(election)
    voter.updated_at = timezone.now()
    fields = REGISTRATION_FIELDS + VERDICT_FIELDS + ["updated_at"]
    if publication and stored.is_listed and set(changed) - UNLISTED_FIELDS:
        if amendment is None:
            raise _error("amendment_required")
        batch = _new_batch(by=by, election=election, amendment=amendment, publication=publication, today=today)
        change = AmendmentItem.Change.CORRECT if voter.status == Status.REGISTERED else AmendmentItem.Change.REMOVE
        if change == AmendmentItem.Change.REMOVE:
            voter.listed_until = amendment.effective_on
            fields.append("listed_until")
        _add_item(batch, voter, change, amendment, before=before, after=snapshot(voter))
        if appeal is not None:
            _link_appeal(appeal, batch)
    save_versioned(voter, fields=fields, expected_version=expected_version)
    log_action(by=by, action="voters.voter.updated", obj=voter, changes=diff(before, snapshot(voter)))
    return voter


@transaction.atomic
def list_voter(*, by: User, voter: Voter, amendment: Amendment, today: date) -> AmendmentBatch:
    """补登: put a registered person on the published list from ``amendment.effective_on``."""
    election = lock_election(voter.election_id)
    _check_editable(election)
    publication = _publication(election)
    if publication is None:
        raise _error("not_published")
    voter = Voter.objects.select_for_update().get(pk=voter.pk)
    return add_to_list(by=by, election=election, voter=voter, amendment=amendment, publication=publication, today=today)


@transaction.atomic
def unlist_voter(*, by: User, voter: Voter, amendment: Amendment, today: date) -> AmendmentBatch:
    """减: take a person off the published list (death, moving away, loss of rights, …).

    The person stays in the register as not registered, with the reason, so the change can be read
    back; ``listed_until`` keeps the day, so counts before it still include them.
    """
    election = lock_election(voter.election_id)
    _check_editable(election)
    publication = _publication(election)
    if publication is None:
        raise _error("not_published")
    voter = Voter.objects.select_for_update().get(pk=voter.pk)
    if not voter.is_listed:
        raise _error("not_listed", name=voter.name)
    check_reason_code(amendment.reason_code, election, prefix="REM_")
    batch = _new_batch(by=by, election=election, amendment=amendment, publication=publication, today=today)
    before = snapshot(voter)
    voter.status = Status.NOT_REGISTERED
    voter.not_registered_reason = amendment.reason[:200]
    voter.listed_until = amendment.effective_on
    save_versioned(voter, fields=["status", "not_registered_reason", "listed_until"], expected_version=None)
    _add_item(batch, voter, AmendmentItem.Change.REMOVE, amendment, before=before, after=snapshot(voter))
    log_action(by=by, action="voters.voter.unlisted", obj=voter, changes=diff(before, snapshot(voter)))
    return batch


@transaction.atomic
def record_change_reason(*, by: User, voter: Voter, election: Election, reason_code: str) -> Voter:
    """Record why a person joined (this term's record) or left (last term's record) the register.

    ``election`` is this term's election; a last-term record must be of the same village. The lock is
    this term's: last term's election is normally certified, and the reason is part of this term's
    四增四减 account.
    """
    election = lock_election(election.pk)
    if election.is_district:  # a 选区's register carries over by the villager groups it takes in
        same_unit = election.unit_groups().filter(pk=voter.group_id).exists()
    else:
        same_unit = voter.election.village_id == election.village_id
    if not same_unit:
        raise _error("not_same_village")
    prefix = "ADD_" if voter.election_id == election.pk else "REM_"
    if reason_code:
        check_reason_code(reason_code, election, prefix=prefix)
    before = snapshot(voter, ["change_reason"])
    voter.change_reason = reason_code
    save_versioned(voter, fields=["change_reason"], expected_version=None)
    after = snapshot(voter, ["change_reason"])
    log_action(by=by, action="voters.voter.change_reason_recorded", obj=voter, changes=diff(before, after))
    return voter


# ---------------------------------------------------------------- publication and batches


@transaction.atomic
def carry_forward_register(*, by: User, election: Election, today: date) -> dict[str, int]:
    """Start a 人大 district's register from last term's (Election Law Art. 27 ¶1: 经登记确认的选民资格
    长期有效): every person on the final list of the county's previous 人大 round whose villager group
    registers in this district is registered again, each re-assessed on this election day; the office then
    records the additions (newly 18, rights restored, moved in) and removals (died, deprived, moved out)
    with their reasons (四增四减). People already registered in a current round of the county are skipped
    (one registration per person). Returns the counts carried and skipped."""
    election = lock_election(election.pk)
    _check_editable(election)
    if not election.is_district:
        raise _error("carry_not_district")
    if _publication(election) is not None:
        raise _error("carry_after_publication")
    campaign = election.campaign
    groups = [pk for pk, *_rest in registrations.register_groups(election)]
    source = list(
        Voter.objects.filter(
            campaign__election_type=campaign.election_type, campaign__county_id=campaign.county_id,
            campaign__term_number=campaign.term_number - 1, status=Status.REGISTERED,
            listed_from__isnull=False, listed_until__isnull=True, group_id__in=groups,
        ).order_by("id")
    )
    if not source:
        raise _error("carry_nothing")
    registrations.lock_county(election)
    numbers = {v.id_number: v.pk for v in source}
    this_term = Voter.objects.filter(campaign__election_type=campaign.election_type, campaign__county_id=campaign.county_id,
                                     campaign__term_number=campaign.term_number, id_number__in=numbers)
    taken = set(this_term.values_list("id_number", flat=True))  # already registered, or refused, this term
    carried = []
    for old in source:
        if old.id_number in taken:
            continue
        voter = Voter(election=election, campaign=campaign,
                      **{f: getattr(old, f) for f in REGISTRATION_FIELDS})
        _apply_verdict(voter, election)
        carried.append(voter)
        taken.add(old.id_number)
    Voter.objects.bulk_create(carried, batch_size=2000)
    saved = Voter.objects.filter(election=election, id_number__in=[v.id_number for v in carried])
    township_id, village_id = election.audit_scope()
    log_each(by=by, action="voters.voter.carried_forward", model=Voter, township_id=township_id, village_id=village_id,
             entries=((v.pk, str(v), diff({}, snapshot(v))) for v in saved.iterator(chunk_size=2000)))
    counts = {"carried": len(carried), "skipped": len(source) - len(carried)}
    log_action(by=by, action="voters.register.carried_forward", obj=election,
               changes={"from_term": campaign.term_number - 1, **{k: [None, n] for k, n in counts.items()}})
    return counts


@transaction.atomic
def publish_voter_list(
    *, by: User, election: Election, published_on: date, today: date, date_reason: str = ""
) -> Publication:
    """张榜公布 (OL §14 ¶1): fix the list on ``published_on`` and move the election to that stage.

    Every registered voter is listed from that day. The stage move runs the stage checklist in the
    same transaction, so a refused move leaves no publication behind. A date later than
    ``election_day − voter_list_publish_days_before`` is accepted and shows as late on the calendar.
    """
    election = lock_election(election.pk)
    existing = _publication(election)
    if existing is not None:
        raise _error("already_published", unit=election.unit_here, day=cn_day(existing.published_on))
    registered = Voter.objects.filter(election=election, status=Status.REGISTERED)
    listed = list(registered.values_list("pk", "name", "id_number", "listed_from", "listed_until"))
    # One register for both levels: a county-level 选区's voters registered in the township districts held
    # with it are listed by those districts' publications, which must come first.
    shared = registrations.register_of(election).exclude(election=election).filter(status=Status.REGISTERED)
    holders = Election.objects.filter(pk__in=shared.values("election_id")).with_places().order_by("district__number")
    if unpublished := [str(h.district) for h in holders if h.voter_list_published_on is None]:
        raise _error("holder_lists_unpublished", districts="、".join(unpublished))
    # Its list is theirs: it cannot be posted before they were (their voters are listed from that day).
    if later := [h for h in holders if h.voter_list_published_on > published_on]:
        day = max(h.voter_list_published_on for h in later)
        raise _error("before_holder_lists", field="published_on", day=cn_day(day),
                     districts="、".join(str(h.district) for h in later))
    count = len(listed) + (shared.count() if holders else 0)
    if count == 0:
        raise _error("no_registered_voters")
    registered.update(listed_from=published_on, listed_until=None)
    township_id, village_id = election.audit_scope()
    after = {"listed_from": published_on, "listed_until": None}
    log_each(by=by, action="voters.voter.listed", model=Voter, township_id=township_id, village_id=village_id,
             entries=((pk, str(Voter(name=name, id_number=number)), diff({"listed_from": old, "listed_until": until}, after))
                      for pk, name, number, old, until in listed))
    publication = Publication.objects.create(
        election=election, published_on=published_on, registered_count=count, published_by=by
    )
    first = (registrations.register_of(election).filter(status=Status.REGISTERED).order_by("created_at")
             .values_list("created_at", flat=True).first())
    advance_stage(by=by, election=election, target=stages.LIST_PUBLISHED, on=published_on, today=today,
                  date_reason=date_reason, facts={"first_registered_on": timezone.localdate(first)})
    late = published_on > publication_deadline(election)
    log_action(
        by=by,
        action="voters.list.published",
        obj=election,
        changes={"published_on": [None, published_on.isoformat()], "registered": [None, count], "late": [None, late]},
    )
    return publication


def publication_deadline(election: Election) -> date:
    """选举日的二十日前 (OL §14 ¶1): the last day to publish, from the preset."""
    return days_before(election.election_day, election.rules.voter_list_publish_days_before)


@transaction.atomic
def publish_amendment(*, by: User, batch: AmendmentBatch, published_on: date, today: date) -> AmendmentBatch:
    """Record the day a batch of changes (增减名单) was posted."""
    lock_election(batch.election_id)
    batch = AmendmentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.published_on:
        raise _error("batch_already_published", number=batch.number, day=cn_day(batch.published_on))
    if published_on > today:
        raise _error("published_in_future", field="published_on")
    if published_on < batch.effective_on:
        raise _error("batch_published_early", field="published_on", day=cn_day(batch.effective_on))
    batch.published_on = published_on
    batch.save(update_fields=["published_on"])
    log_action(
        by=by,
        action="voters.amendment.published",
        obj=batch.election,
        changes={"batch": [None, batch.number], "published_on": [None, published_on.isoformat()]},
    )
    return batch


def record_amendment(
    *, by: User, election: Election, voter: Voter, change: str, amendment: Amendment, today: date, before=None, after=None
) -> AmendmentBatch:
    """One batch with one item; for services (appeal decisions) that already hold the locks."""
    publication = _publication(election)
    if publication is None:
        raise _error("not_published")
    batch = _new_batch(by=by, election=election, amendment=amendment, publication=publication, today=today)
    _add_item(batch, voter, change, amendment, before=before or {}, after=after or {})
    return batch


# ---------------------------------------------------------------- helpers


def lock_election(pk: int) -> Election:
    """The election under its row lock, refused when certified (``villages.access``)."""
    return lock_election_for_write(pk)


def _publication(election: Election) -> Publication | None:
    return Publication.objects.filter(election=election).first()


def _check_editable(election: Election) -> None:
    if stages.stage_index(election.stage) > stages.stage_index(LAST_EDITABLE_STAGE):
        raise _error("stage_closed", stage=election.stage_label)


def _check_registration(voter: Voter, election: Election, *, by: User) -> None:
    """The group is the village's, and the person holds no other registration of the round or of the
    county's other current rounds (``voters.registrations``; the county is locked first)."""
    if not election.unit_groups().filter(pk=voter.group_id).exists():
        raise _error("group_other_village", field="group", village=election.unit_name)
    registrations.check_registers_here(election, voter.group)
    registrations.lock_county(election)
    other = registrations.other_registration(election, voter.id_number, exclude_pk=voter.pk)
    if other is not None:
        raise _error("duplicate_id", field="id_number",
                     message=registrations.message_for(by, other, election=election))


def _apply_verdict(voter: Voter, election: Election) -> eligibility.Assessment:
    assessment = eligibility.assess(voter.facts(), election_day=election.election_day, params=election.rules)
    if assessment.eligible:
        voter.status, voter.not_registered_reason = Status.REGISTERED, ""
    else:
        voter.status = Status.NOT_REGISTERED
        voter.not_registered_reason = "；".join(f.message for f in assessment.failures)[:200]
    return assessment


def add_to_list(*, by, election, voter, amendment, publication, today) -> AmendmentBatch:
    if voter.is_listed:
        raise _error("already_listed", name=voter.name)
    assessment = _apply_verdict(voter, election)
    if not assessment.eligible:
        raise _error("not_eligible", name=voter.name, reasons="；".join(f.message for f in assessment.failures))
    check_reason_code(amendment.reason_code, election, prefix="ADD_")
    batch = _new_batch(by=by, election=election, amendment=amendment, publication=publication, today=today)
    before = snapshot(voter, ["listed_from", "listed_until"])
    voter.listed_from, voter.listed_until = amendment.effective_on, None
    if amendment.reason_code:
        voter.change_reason = amendment.reason_code
    save_versioned(
        voter, fields=["status", "not_registered_reason", "listed_from", "listed_until", "change_reason"], expected_version=None
    )
    _add_item(batch, voter, AmendmentItem.Change.ADD, amendment, before={}, after=snapshot(voter))
    log_action(by=by, action="voters.voter.listed", obj=voter, changes=diff(before, snapshot(voter, ["listed_from", "listed_until"])))
    return batch


def check_reason_code(code: str, election: Election, *, prefix: str) -> None:
    if not code:
        return
    if code not in election.rules.register_change_reasons:
        raise _error("reason_code_unknown", field="reason_code", reason=code)
    if not code.startswith(prefix):
        raise _error("reason_code_direction", field="reason_code")


def _new_batch(*, by, election, amendment: Amendment, publication: Publication, today: date) -> AmendmentBatch:
    """The next numbered batch; the caller holds the election's row lock, so numbers never collide."""
    if not amendment.reason.strip():
        raise _error("amendment_reason_blank", field="reason")
    if amendment.effective_on < publication.published_on:
        raise _error("effective_before_publication", field="effective_on", day=cn_day(publication.published_on))
    if amendment.effective_on > today:
        raise _error("effective_in_future", field="effective_on")
    last = AmendmentBatch.objects.filter(election=election).order_by("-number").values_list("number", flat=True).first()
    batch = AmendmentBatch.objects.create(
        election=election,
        number=(last or 0) + 1,
        effective_on=amendment.effective_on,
        reason=amendment.reason.strip()[:200],
        created_by=by,
    )
    log_action(
        by=by,
        action="voters.amendment.created",
        obj=election,
        changes={"batch": [None, batch.number], "reason": [None, batch.reason], "effective_on": [None, batch.effective_on.isoformat()]},
    )
    return batch


def _add_item(batch, voter, change, amendment: Amendment, *, before, after) -> AmendmentItem:
    changed = diff(before, after) if before and after else {}
    return AmendmentItem.objects.create(
        batch=batch,
        voter=voter,
        change=change,
        reason_code=amendment.reason_code,
        note=amendment.note[:200],
        before={k: v[0] for k, v in changed.items()} if changed else before,
        after={k: v[1] for k, v in changed.items()} if changed else after,
    )


def _link_appeal(appeal, batch) -> None:
    appeal.batch = batch
    save_versioned(appeal, fields=["batch"], expected_version=None)


def cn_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
