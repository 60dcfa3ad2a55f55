"""Entering a station's tally, double entry (双人录入) and the committee's rulings on written-in names.

A tally is checked with ``ballots.reconciliation`` before anything is written (LAW.md §2.3): an error
blocks saving, a warning needs a written explanation, which is stored and printed on the tally sheet. Two
people saving the same tally: the second is refused (version column) and shown both sets of numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from villages.access import lock_election_for_write
from villages.audit import diff, log_action
from villages.dates import check_dates
from villages.models import Election, User
from villages.versioning import save_versioned
from voters.models import Voter
from voters.registrations import register_of

from .. import sheets
from ..entries import entries_of, entry_slot, options_for, sheet_layout, tally_values
from ..models import PollingStation, PostTally, Round, Tally, VoteCount, WriteIn, WriteInRuling
from ..sheets import SheetLayout, TallyValues

ERROR_MESSAGES = {
    "round_closed": "{round}{status}，不能再录入或修改计票结果。",
    "round_not_open": "本轮结果已公布或本轮已宣布无效，不能再录入或修改计票结果。",
    "station_not_in_round": "{station}不参加{round}。",
    "write_in_in_revote": "重新投票只在并列者之间进行，不能另选他人。",
    "explanation_required": "须书面说明：{message}",
    "conflict": "保存失败：这份计票结果在您录入期间已被他人修改（现为第{version}版）。下表列出已保存的数字和您填写的数字，请核对后重新提交。",
    "double_entry_full": "本站两次录入都已完成，由乡镇选举办工作人员核对。",
    "confirmed_locked": "计票结果已经核对确认，只有乡镇选举办工作人员可以修改。",
    "nothing_to_resolve": "本站没有待核对的两次录入。",
    "choice_missing": "请为每一处不一致选择采用哪一次录入的数字：{labels}",
    "ruling_not_registered": "{name}不是{unit}登记选民，不能认定为另选他人的得票人。",
    "party_present_missing": "请先登记本轮党员大会实到会有选举权的党员人数，再录入计票结果。",
    "party_issued_exceeds_present": "发出选票{issued}张，多于实到会有选举权的党员{present}名，计票结果不能保存，请核对。",
    "party_write_in_refused": "按本选举的规则，选票不能另选他人，只能对正式候选人投赞成票、不赞成票或弃权。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


@transaction.atomic
def record_tally(
    *, by: User, round: Round, station: PollingStation, values: TallyValues, confirm: bool, expected_version: int,
    today: date | None = None,
) -> Tally:
    """Save ``by``'s entry of one station's tally sheet for one round (``expected_version`` 0: a new entry).

    Single entry: the tally is confirmed when ``confirm``. Double entry: a confirmed entry waits for the other
    person's; equal entries confirm the first, different ones wait for office staff (``resolve_double_entry``).
    """
    lock_election_for_write(station.election_id)
    station = PollingStation.objects.select_for_update().select_related("election__campaign").get(pk=station.pk)
    round = Round.objects.get(pk=round.pk)
    _check_open(round, station)
    if today is not None:  # a tally cannot be entered before its voting day (the pages pass today)
        check_dates(by=by, act="tally_recorded", on=today, facts={"election_day": station.election.election_day,
                                                                  "round_held_on": round.held_on},
                    params=station.election.rules, today=today)
    double = options_for(station.election).double_entry
    slot = entry_slot(round=round, station=station, user=by, double_entry=double)
    if slot.blocked:
        raise _error(slot.blocked)
    stored_version = slot.tally.version if slot.tally else 0
    if stored_version != expected_version:
        raise _error("conflict", version=stored_version)
    from .counting import check_hand_entry  # counting builds on this module

    check_hand_entry(round=round, station=station, values=values)
    layout = sheet_layout(round)
    warnings = _check_sheet(values, layout, station=station, round=round)
    before = sheets.flatten(tally_values(slot.tally), layout) if slot.tally else {}
    if slot.tally is not None and slot.tally.status == Tally.Status.CONFIRMED:
        status = Tally.Status.CONFIRMED  # a correction of a counted tally stays counted
    elif confirm:
        status = Tally.Status.SUBMITTED if double else Tally.Status.CONFIRMED
    else:
        status = Tally.Status.DRAFT
    tally = _write(slot.tally, values, layout, warnings, round=round, station=station, status=status,
                   entry_number=slot.entry_number, by=by)
    log_action(by=by, action="ballots.tally.recorded", obj=tally,
               changes=diff(before, sheets.flatten(values, layout)) | {"status": [None, status]})
    if double and status == Tally.Status.SUBMITTED:
        _pair(by=by, round=round, station=station, layout=layout)
        tally.refresh_from_db()
    return tally


@transaction.atomic
def resolve_double_entry(
    *,
    by: User,
    round: Round,
    station: PollingStation,
    choices: Mapping[str, int],
    explanations: Mapping[str, str],
    expected_versions: tuple[int, int],
) -> Tally:
    """Office staff settle two different entries field by field (``choices[key]`` 1 or 2); the result is
    checked like any tally, written over the first entry and confirmed. Every choice is logged."""
    lock_election_for_write(station.election_id)
    station = PollingStation.objects.select_for_update().select_related("election__campaign").get(pk=station.pk)
    round = Round.objects.get(pk=round.pk)
    _check_open(round, station)
    entries = entries_of(round, station)
    if {t.status for t in entries.values()} != {Tally.Status.SUBMITTED} or len(entries) != 2:
        raise _error("nothing_to_resolve")
    first, second = entries[1], entries[2]
    if (first.version, second.version) != tuple(expected_versions):
        raise _error("conflict", version=f"{first.version}/{second.version}")
    layout = sheet_layout(round)
    a, b = tally_values(first), tally_values(second)
    differences = sheets.differences(a, b, layout)
    if missing := [d.label for d in differences if choices.get(d.key) not in (1, 2)]:
        raise _error("choice_missing", labels="、".join(missing))
    merged = sheets.merge(a, b, layout, choices)
    typed = {k: v for k, v in explanations.items() if v.strip()}
    merged = dataclasses.replace(merged, explanations={**merged.explanations, **typed})
    warnings = _check_sheet(merged, layout, station=station, round=round)
    _write(first, merged, layout, warnings, round=round, station=station, status=Tally.Status.CONFIRMED,
           entry_number=1, by=by)
    _set_status(second, Tally.Status.SUPERSEDED)
    log_action(
        by=by,
        action="ballots.tally.double_entry_resolved",
        obj=first,
        changes={
            d.key: {"label": d.label, "entry1": d.first, "entry2": d.second, "chosen": choices[d.key]}
            for d in differences
        },
    )
    return first


@transaction.atomic
def rule_write_in(
    *, by: User, election: Election, name: str, voter: Voter | None, note: str, decided_on: date
) -> WriteInRuling:
    """Record the 村民选举委员会's ruling on a written-in name: the registered voter it means, or (``voter``
    None) that its votes count for nobody (ZJ Art. 27: doubtful ballots go to the committee)."""
    election = lock_election_for_write(election)
    name = sheets.normalize_name(name)
    if voter is not None and not register_of(election).registered().filter(pk=voter.pk).exists():
        raise _error("ruling_not_registered", name=voter.name, unit=election.unit_here)
    existing = WriteInRuling.objects.filter(election=election, name=name).first()
    before = {"voter": existing.voter_id, "note": existing.note} if existing else {}
    ruling, _ = WriteInRuling.objects.update_or_create(
        election=election,
        name=name,
        defaults={"voter": voter, "note": note.strip(), "decided_on": decided_on, "recorded_by": by},
    )
    log_action(by=by, action="ballots.write_in.ruled", obj=ruling,
               changes=diff(before, {"voter": voter.pk if voter else None, "note": ruling.note}) | {"name": [None, name]})
    return ruling


# ---------------------------------------------------------------- helpers


def _check_open(round: Round, station: PollingStation) -> None:
    if not round.is_open:
        raise _error("round_closed", round=round.label, status=round.get_status_display())
    if not round.stations.filter(pk=station.pk).exists():
        raise _error("station_not_in_round", station=station.name, round=round.label)


def _voter_count(station: PollingStation) -> int | None:
    return station.box_voters.count() if station.is_mobile else station.assigned_voters


def _check_sheet(values: TallyValues, layout: SheetLayout, *, station: PollingStation, round: Round) -> list:
    """Why the sheet cannot be saved: first every blocking problem at once (reconciliation errors, the mobile
    box); once the numbers add up, each warning without an explanation (on its explanation field). Returns
    the explained warnings."""
    voter_count = _voter_count(station)
    problems = [
        ValidationError(message, code=code)
        for code, message in station.mobile_box_problems(station.election.rules, voter_count=voter_count or 0)
    ]
    if round.kind == Round.Kind.REVOTE and any(p.write_ins for p in values.posts.values()):
        problems.append(_error("write_in_in_revote"))
    problems += _party_problems(values, station=station, round=round)
    errors, warnings = sheets.check(values, layout, params=station.election.rules, assigned_voters=voter_count)
    problems += [ValidationError(d.message, code=d.code) for d in errors]
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    missing = {
        f"explain__{sheets.warning_key(d)}": [_error("explanation_required", message=d.message)]
        for d in sheets.unexplained(warnings, values.explanations)
    }
    if missing:
        raise ValidationError(missing)
    return warnings


def _party_problems(values: TallyValues, *, station: PollingStation, round: Round) -> list[ValidationError]:
    """A 党员大会's tally (LAW.md §4.2): entered after 实到会 is recorded, never more ballots issued than members
    present, and 另选他人 only where the kind's rules allow it (then only full members are matched)."""
    from ..counts import is_party_election

    if not is_party_election(station.election):
        return []
    if round.present is None:
        return [_error("party_present_missing")]
    problems = []
    if values.issued > round.present:
        problems.append(_error("party_issued_exceeds_present", issued=values.issued, present=round.present))
    if not station.election.rules.write_in_allowed and any(p.write_ins for p in values.posts.values()):
        problems.append(_error("party_write_in_refused"))
    return problems


def _write(
    tally: Tally | None, values: TallyValues, layout: SheetLayout, warnings, *, round: Round, station: PollingStation,
    status: str, entry_number: int, by: User,
) -> Tally:
    """Write the numbers (replacing the post sections) and the explanations of the warnings found."""
    explanations = {
        sheets.warning_key(d): {"code": d.code, "message": d.message, "text": values.explanations[sheets.warning_key(d)].strip()}
        for d in warnings
    }
    numbers = {"issued": values.issued, "returned": values.returned, "valid": values.valid, "invalid": values.invalid,
               "several_posts_ballots": values.several_posts_ballots}
    if tally is None:
        tally = Tally.objects.create(round=round, station=station, entry_number=entry_number, entered_by=by,
                                     status=status, explanations=explanations, **numbers)
    else:
        for name, value in {**numbers, "status": status, "explanations": explanations}.items():
            setattr(tally, name, value)
        save_versioned(tally, fields=[*numbers, "status", "explanations"], expected_version=None)
        tally.posts.all().delete()
    matches = _match_write_ins(values, station.election)
    for sheet_post in layout.posts:
        post_values = values.posts.get(sheet_post.post, sheets.PostValues())
        post_tally = PostTally.objects.create(tally=tally, post=sheet_post.post, abstentions=post_values.abstentions,
                                              invalid_for_post=post_values.invalid_for_post)
        VoteCount.objects.bulk_create(
            VoteCount(post_tally=post_tally, voter_id=voter_id, votes=post_values.candidate_votes.get(voter_id, 0))
            for voter_id, _ in sheet_post.candidates
        )
        WriteIn.objects.bulk_create(
            WriteIn(post_tally=post_tally, name=name, votes=votes, voter_id=matches[name][0], match=matches[name][1])
            for name, votes in post_values.write_ins.items()
            if votes
        )
    return tally


def _match_write_ins(values: TallyValues, election: Election) -> dict[str, tuple[int | None, str]]:
    """Each written-in name → (voter id, match): one registered voter of that name, or why not."""
    names = {name for p in values.posts.values() for name in p.write_ins}
    if not names:
        return {}
    registered = register_of(election).registered()
    if election.voter_list_published_on:
        registered = registered.listed_on(election.election_day)
    found: dict[str, list[int]] = {}
    for pk, name in registered.filter(name__in=names).values_list("pk", "name"):
        found.setdefault(name, []).append(pk)
    others = set(register_of(election).filter(name__in=names).values_list("name", flat=True))
    result = {}
    for name in names:
        ids = found.get(name, [])
        if len(ids) == 1:
            result[name] = (ids[0], WriteIn.Match.MATCHED)
        elif ids:
            result[name] = (None, WriteIn.Match.AMBIGUOUS)
        else:
            result[name] = (None, WriteIn.Match.INELIGIBLE if name in others else WriteIn.Match.UNMATCHED)
    return result


def _pair(*, by: User, round: Round, station: PollingStation, layout: SheetLayout) -> None:
    """Both entries submitted: equal numbers confirm the first entry; otherwise they wait for office staff."""
    entries = entries_of(round, station)
    if len(entries) != 2 or any(t.status != Tally.Status.SUBMITTED for t in entries.values()):
        return
    differences = sheets.differences(tally_values(entries[1]), tally_values(entries[2]), layout)
    if differences:
        log_action(by=by, action="ballots.tally.double_entry_differs", obj=entries[1],
                   changes={d.key: [d.first, d.second] for d in differences})
        return
    _set_status(entries[1], Tally.Status.CONFIRMED)
    _set_status(entries[2], Tally.Status.SUPERSEDED)
    log_action(by=by, action="ballots.tally.double_entry_matched", obj=entries[1], changes={"status": ["submitted", "confirmed"]})


def _set_status(tally: Tally, status: str) -> None:
    tally.status = status
    save_versioned(tally, fields=["status"], expected_version=None)

