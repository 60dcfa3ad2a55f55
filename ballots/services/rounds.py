"""Opening rounds (正式选举, 重新投票, 另行选举) and declaring a round void when its ballots do not add up.

A re-vote and a runoff are opened only where the computed results call for them, with the seats and the
candidates the results give (LAW.md §1.7, §2.4): nobody chooses who is in a tie or how many seats are open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Max, When

from candidates.models import Candidate, CandidateListPublication, NominationMode
from candidates.slate import DEPUTY, FEMALE, MEMBER, WOMAN_MEMBER, post_label
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.dates import check_dates, election_facts
from villages.models import Election, User
from villages.versioning import save_versioned
from voters.models import Voter

from .. import progression
from ..counts import election_counts, is_party_election
from ..models import PollingStation, Round, RoundCandidate
from ..queries import election_seats, runoff_pool

# A Party formal list's slates as the 党员大会's 委员 ballot prints them: 书记, 副书记 (公推直选), then 委员.
PARTY_SLATE_ORDER = ("chair", "vice_chair", MEMBER)

ERROR_MESSAGES = {
    "first_round_exists": "本次选举已开启正式选举；如该轮无效，请先宣布该轮无效。",
    "no_candidates": "本次选举还没有正式候选人，不能印制选票。海选（无候选人直接选举）须先公布选举方式。",
    "no_stations": "请至少选择一个投票站。",
    "station_other_election": "所选投票站不属于本次选举。",
    "runoff_not_needed": "根据已确认的计票结果，目前不需要另行选举。",
    "revote_not_needed": "根据已确认的计票结果，{post_label}不需要重新投票。",
    "runoff_candidate_not_in_pool": "{names}不在上一轮该职务未当选且得票的人员之中，不能作为该职务的另行选举候选人。",
    "runoff_too_few_candidates": "另行选举{post_label}{seats}名，候选人只有{count}名，不能少于应选名额。",
    "runoff_candidate_twice": "{names}被列为多个职务的另行选举候选人，每人只能参选一个职务。",
    "runoff_woman_line": "{names}不是女性，不能作为妇女委员候选人。",
    "round_not_open": "{round}已{status}，不能再宣布无效。",
    "round_has_children": "{round}之后已开启重新投票或另行选举，请先处理后续轮次。",
    "void_reason_required": "请写明本轮无效的原因。",
    "void_figures_required": "请填写发出选票和收回选票的张数。",
    "void_returned_not_above_issued": "收回选票{returned}张，不多于发出选票{issued}张，不能以此宣布本轮无效。",
    "void_turnout_not_counted": "本轮尚有投票站的计票结果未确认，不能按参加投票人数认定本轮无效。",
    "void_turnout_was_enough": "参加投票{returned}人，超过登记选民{registered}人的半数，不能以此宣布本轮无效。",
    "void_quorum_not_party": "只有党员大会的轮次才能以到会人数不足五分之四宣布无效。",
    "void_quorum_was_met": "有选举权的到会党员{present}名，超过应到会{expected}名的五分之四，不能以此宣布本轮无效。",
    "void_quorum_no_attendance": "本轮尚未登记实到会人数，不能按到会人数认定本轮无效。",
    "party_one_meeting": "党组织选举在党员大会一处会场投票，请只选择中心会场，不设分投票站和流动票箱。",
    "party_no_expected": "党员名册中应到会人数为零，不能召开党员大会进行选举。",
    "party_shortfall_first": "党员大会选举的缺额不从得票未过半数的人中递补，须先登记缺额处理决定（另行选举或减少名额）。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


@transaction.atomic
def open_round(
    *,
    by: User,
    election: Election,
    kind: str,
    held_on: date,
    stations: Sequence[PollingStation],
    post: str | None = None,
    candidates: Mapping[str, Sequence[int]] | None = None,
    today: date | None = None,
    date_reason: str = "",
    shortfall_decided: bool = False,
) -> Round:
    """Open the first ballot, a re-vote for ``post`` or a runoff (``candidates``: voter ids per post, from the
    pool of persons not elected who received votes; default: the engine's choice)."""
    election = lock_election_for_write(election)
    if not stations:
        raise _error("no_stations")
    if any(s.election_id != election.pk for s in stations):
        raise _error("station_other_election")
    parent = None
    if kind == Round.Kind.FIRST:
        seats, chosen = _first_round(election)
    else:
        data = election_counts(election)
        if kind == Round.Kind.REVOTE:
            step = next((s for s in data.progress.steps if s.action == progression.OPEN_REVOTE and s.post == post), None)
            if step is None:
                raise _error("revote_not_needed", post_label=post_label(post or ""))
            seats, chosen = {step.post: step.seats}, {step.post: [int(k) for k in step.persons]}
        else:
            step = data.progress.step(progression.OPEN_RUNOFF)
            if step is None:
                raise _error("runoff_not_needed")
            if data.is_party and not shortfall_decided:  # ``ballots.services.party.decide_shortfall`` opens it
                raise _error("party_shortfall_first")
            seats = dict(data.progress.unfilled)
            chosen = _runoff_candidates(data, step, seats, candidates)
        parent = next(r for r in data.rounds if r.pk == step.round_id)
    if today is not None:  # the pages pass it; data loading and older callers skip the date rules
        first = kind == Round.Kind.FIRST
        facts = election_facts(election) if first else {"election_day": election.election_day,
                                                        "round_held_on": parent.held_on}
        check_dates(by=by, act="first_round_held" if first else "runoff_held", on=held_on, facts=facts,
                    params=election.rules, today=today, reason=date_reason, election=election)
    expected = _party_expected(election, stations)
    number = (election.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    round = Round.objects.create(
        election=election, kind=kind, number=number, parent=parent, held_on=held_on, seats=seats, opened_by=by,
        expected_attendance=expected,
    )
    round.stations.set(stations)
    RoundCandidate.objects.bulk_create(
        RoundCandidate(round=round, post=code, voter_id=voter_id, order=order)
        for code, voter_ids in chosen.items()
        for order, voter_id in enumerate(voter_ids, start=1)
    )
    names = dict(Voter.objects.filter(pk__in=[v for ids in chosen.values() for v in ids]).values_list("pk", "name"))
    log_action(
        by=by,
        action="ballots.round.opened",
        obj=round,
        changes={
            "kind": [None, kind],
            "number": [None, number],
            "seats": [None, seats],
            "candidates": [None, {code: [names[v] for v in ids] for code, ids in chosen.items()}],
            "stations": [None, [s.name for s in stations]],
        } | ({"expected_attendance": [None, expected]} if expected is not None else {}),
    )
    return round


def _party_expected(election: Election, stations: Sequence[PollingStation]) -> int | None:
    """A Party election votes at one 党员大会 (LAW.md §4.2): one central meeting; its 应到会 is read from the member
    register (members with voting rights minus the excused), never typed. None for other kinds."""
    from voters.services.party import register_figures

    from ..counts import is_party_election

    if not is_party_election(election):
        return None
    if len(stations) != 1 or stations[0].kind != PollingStation.Kind.CENTRAL:
        raise _error("party_one_meeting")
    expected = register_figures(election).attendance.expected
    if expected == 0:
        raise _error("party_no_expected")
    return expected


def _first_round(election: Election) -> tuple[dict[str, int], dict[str, list[int]]]:
    if election.rounds.filter(kind=Round.Kind.FIRST).exclude(status=Round.Status.VOID).exists():
        raise _error("first_round_exists")
    seats = election_seats(election)
    chosen: dict[str, list[int]] = {}
    if is_party_election(election):
        # Every formal candidate stands at the 党员大会: for the committee (委员) — under 公推直选 the 书记 and 副书记
        # candidates first, in the approved order, then the other 委员's in the list's (stroke) order
        # (``candidates.party_services.publish_party_list`` keeps one person on one slate) — or, at a congress
        # unit's meeting, for its delegates (代表), in the list's order.
        post = DEPUTY if election.party_unit_id else MEMBER
        post_order = Case(*(When(post=code, then=rank) for rank, code in enumerate(PARTY_SLATE_ORDER)), default=9)
        for voter_id in (Candidate.objects.filter(election=election).on_list().annotate(slate=post_order)
                         .order_by("slate", "list_order", "pk").values_list("voter_id", flat=True)):
            chosen.setdefault(post, []).append(voter_id)
        return seats, chosen if chosen else _no_candidates()
    for candidate in Candidate.objects.filter(election=election, post__in=seats).on_list().order_by("post", "list_order"):
        chosen.setdefault(candidate.post, []).append(candidate.voter_id)
    publication = CandidateListPublication.objects.filter(election=election).first()
    no_list = publication is not None and publication.mode == NominationMode.NO_CANDIDATE
    if not chosen and not no_list:
        raise _error("no_candidates")
    return seats, {} if no_list else chosen


def _no_candidates():
    raise _error("no_candidates")


def _runoff_candidates(data, step, seats, candidates) -> dict[str, list[int]]:
    """Validate the chosen runoff candidates (OL §15 ¶2: those not elected with the most votes)."""
    if candidates is None:
        return {line.post: [int(k) for k in line.candidates] for line in step.lines if line.post in seats}
    pool = {p.key: p for p in runoff_pool(data)}
    pools = {code: {p.key for p in runoff_pool(data, code)} for code in seats}
    chosen = {code: [str(v) for v in voter_ids] for code, voter_ids in candidates.items() if code in seats}
    errors, everyone = [], [k for keys in chosen.values() for k in keys]
    names = {k: data.persons[k].name if k in data.persons else k for k in everyone}
    if outside := [k for code, keys in chosen.items() for k in keys if k not in pools[code]]:
        errors.append(_error("runoff_candidate_not_in_pool", names="、".join(names[k] for k in outside)))
    if twice := sorted({k for k in everyone if everyone.count(k) > 1}):
        errors.append(_error("runoff_candidate_twice", names="、".join(names[k] for k in twice)))
    if men := [k for k in chosen.get(WOMAN_MEMBER, []) if k in pool and pool[k].sex != FEMALE]:
        errors.append(_error("runoff_woman_line", names="、".join(names[k] for k in men)))
    for code, n in seats.items():
        if len(chosen.get(code, [])) < n:
            errors.append(_error("runoff_too_few_candidates", post_label=post_label(code), seats=n,
                                 count=len(chosen.get(code, []))))
    if errors:
        raise ValidationError(errors)
    return {code: [int(k) for k in keys] for code, keys in chosen.items()}


VOID_REASONS = {
    Round.VoidGround.TURNOUT: "参加投票{returned}人，未超过登记选民{registered}人的半数，本轮选举无效",
    Round.VoidGround.RETURNED_EXCEEDS_ISSUED: "收回选票{returned}张，多于发出选票{issued}张，本轮选举无效",
    Round.VoidGround.QUORUM: "有选举权的到会党员{present}名，未超过应到会{expected}名的五分之四，本轮选举无效",
}


@transaction.atomic
def void_round(
    *, by: User, round: Round, reason: str, ground: str = Round.VoidGround.OTHER, issued: int | None = None,
    returned: int | None = None,
) -> Round:
    """Declare an open round void; it is repeated (LAW.md §2.3). The figures behind the ground are stored
    with it: for too low a turnout (OL §15) the confirmed count and the registered voters, checked; for
    more ballots returned than issued the two numbers as found (no tally can hold them), checked."""
    lock_election_for_write(round.election_id)
    round = Round.objects.select_for_update(of=("self",)).select_related("election__village").get(pk=round.pk)
    if not round.is_open:
        raise _error("round_not_open", round=round.label, status=round.get_status_display())
    if round.children.exclude(status=Round.Status.VOID).exists():
        raise _error("round_has_children", round=round.label)
    figures = _void_figures(round, ground, issued=issued, returned=returned)
    reason = reason.strip() or (VOID_REASONS[ground].format(**figures) if ground in VOID_REASONS else "")
    if not reason:
        raise _error("void_reason_required")
    round.status, round.void_reason, round.void_ground, round.void_figures = Round.Status.VOID, reason, ground, figures
    save_versioned(round, fields=["status", "void_reason", "void_ground", "void_figures"], expected_version=None)
    log_action(by=by, action="ballots.round.voided", obj=round,
               changes={"status": ["open", "void"], "reason": [None, reason], "ground": [None, ground],
                        "figures": [None, figures]})
    return round


def _void_figures(round: Round, ground: str, *, issued: int | None, returned: int | None) -> dict[str, int]:
    if ground == Round.VoidGround.RETURNED_EXCEEDS_ISSUED:
        if issued is None or returned is None:
            raise _error("void_figures_required")
        if returned <= issued:
            raise _error("void_returned_not_above_issued", issued=issued, returned=returned)
        return {"issued": issued, "returned": returned}
    if ground == Round.VoidGround.QUORUM:
        from villages.kinds import party_rules

        if not is_party_election(round.election):
            raise _error("void_quorum_not_party")
        if round.present is None:
            raise _error("void_quorum_no_attendance")
        found = party_rules.quorum(present=round.present, expected=round.expected_attendance, params=round.election.rules)
        if found.severity != party_rules.ERROR:
            raise _error("void_quorum_was_met", present=round.present, expected=round.expected_attendance)
        return {"expected": round.expected_attendance, "present": round.present}
    if ground == Round.VoidGround.TURNOUT:
        data = election_counts(round.election)
        if not data.is_counted(round.pk):
            raise _error("void_turnout_not_counted")
        totals = data.totals(round.pk)
        if 2 * totals["returned"] > data.registered:
            raise _error("void_turnout_was_enough", returned=totals["returned"], registered=data.registered)
        return {"registered": data.registered, "issued": totals["issued"], "returned": totals["returned"]}
    return {k: v for k, v in {"issued": issued, "returned": returned}.items() if v is not None}
