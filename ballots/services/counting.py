"""Per-ballot counting (唱票计票): start a station's count, add each ballot as it is read out, withdraw an
entry made in error, and finish the count, which writes the station's tally from the counted ballots.

Every ballot is judged by ``ballots.ballot_rules`` under the round's preset when it is entered. Two counters
on one station never lose a ballot: ``add_ballot`` numbers it under a row lock on the station's count. The
audit log gets the start and the finish of a count and every withdrawal, not one entry per ballot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from candidates.slate import FEMALE, post_label
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.models import User
from voters.models import Voter
from voters.registrations import register_of

from .. import sheets
from ..ballot_rules import BallotMarks, BallotVerdict, PostMarks, judge_ballot, running_count, tally_from_ballots
from ..entries import entries_of, sheet_layout, tally_values
from ..models import BallotCount, CountedBallot, PollingStation, Round, Tally
from ..sheets import TallyValues
from .tallies import _check_open, _check_sheet, _write

ERROR_MESSAGES = {
    "count_finished": "{station}的唱票计票已经结束，不能再录入选票。",
    "count_not_started": "{station}尚未开始唱票计票。",
    "ballot_count_in_progress": "{station}正在唱票计票，计票结果由唱票记录生成，不能另行录入。",
    "already_withdrawn": "第{number}张选票的录入已经撤销。",
    "unknown_post": "本轮没有“{post}”这一职务。",
    "write_in_in_revote": "重新投票只在并列者之间进行，不能另选他人。",
    "not_a_candidate": "所选的人不是本轮{post_label}的候选人，请用“另选他人”填写姓名。",
    "issued_below_returned": "发出选票{issued}张，少于已唱票的{returned}张；收回选票多于发出选票的，本次选举无效。",
    "tally_differs": "已录入的计票结果与唱票记录不符：{labels}。请核对后修改录入的计票结果，或撤销录错的选票。",
    "tally_differs_from_ballots": "本站已经唱票计票，录入的数字与唱票记录不符：{labels}。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


@transaction.atomic
def start_ballot_count(*, by: User, round: Round, station: PollingStation) -> BallotCount:
    """Begin counting ``station``'s ballots one by one for ``round`` (again: the count already begun)."""
    lock_election_for_write(station.election_id)
    station = PollingStation.objects.select_for_update().select_related("election__campaign").get(pk=station.pk)
    round = Round.objects.get(pk=round.pk)
    _check_open(round, station)
    count, created = BallotCount.objects.get_or_create(round=round, station=station, defaults={"started_by": by})
    if created:
        log_action(by=by, action="ballots.ballot_count.started", obj=count,
                   changes={"round": round.label, "station": station.name})
    return count


@transaction.atomic
def add_ballot(*, by: User, count: BallotCount, marks: BallotMarks, client_key: str = "") -> CountedBallot:
    """Record one ballot as read out, judged under the round's preset; it takes the next number. A ballot
    sent again with the same ``client_key`` (a retry after a lost answer) is not recorded twice."""
    ballots, errors = add_ballots(by=by, count=count, ballots=[(client_key, marks)])
    if errors:
        raise errors[0][1]
    return ballots[0]


@transaction.atomic
def add_ballots(
    *, by: User, count: BallotCount, ballots: Sequence[tuple[str, BallotMarks]]
) -> tuple[list[CountedBallot], list[tuple[str, ValidationError]]]:
    """Record several ballots in the order read out (the counting page sends what piled up while the last
    answer was on its way). Numbers are taken under a row lock on the count, so two counters on one station
    never lose a ballot. A ballot whose marks break a rule of entry (a printed candidate of another post, a
    write-in in a re-vote) is not recorded: it comes back with its error; the others are recorded."""
    lock_election_for_write(count.round.election_id)
    count = BallotCount.objects.select_for_update().select_related("round__election__campaign", "station").get(pk=count.pk)
    round, station = count.round, count.station
    _check_open(round, station)
    if not count.is_counting:
        raise _error("count_finished", station=station.name)
    keys = [key for key, _ in ballots if key]
    seen = {b.client_key: b for b in CountedBallot.objects.filter(count=count, client_key__in=keys)} if keys else {}
    seats = {p: round.seats[p] for p in round.post_codes}
    params = round.election.rules
    number = count.next_number
    recorded, errors = [], []
    for key, marks in ballots:
        if key and key in seen:
            recorded.append(seen[key])
            continue
        try:
            marks = resolve_marks(marks, round=round)
        except ValidationError as exc:
            errors.append((key, exc))
            continue
        names, men = _people(round, marks)
        verdict = judge_ballot(marks, seats=seats, params=params, names=names, men=men)
        ballot = CountedBallot.objects.create(
            count=count, number=number, client_key=key, marks=marks.to_json(), valid=verdict.valid,
            verdict=verdict.to_json(), entered_by=by,
            problems=[{"code": p.code, "message": p.message, "post": p.post} for p in verdict.problems],
        )
        if key:
            seen[key] = ballot
        recorded.append(ballot)
        number += 1
    BallotCount.objects.filter(pk=count.pk).update(next_number=number)
    return recorded, errors


@transaction.atomic
def withdraw_ballot(*, by: User, ballot: CountedBallot, reason: str = "") -> CountedBallot:
    """Withdraw an entry made in error (录错撤销): kept and marked, left out of the count; logged."""
    lock_election_for_write(ballot.count.round.election_id)
    count = BallotCount.objects.select_for_update().select_related("round__election", "station").get(pk=ballot.count_id)
    _check_open(count.round, count.station)
    if not count.is_counting:
        raise _error("count_finished", station=count.station.name)
    ballot = CountedBallot.objects.get(pk=ballot.pk)
    if ballot.is_withdrawn:
        raise _error("already_withdrawn", number=ballot.number)
    ballot.withdrawn_by, ballot.withdrawn_at = by, timezone.now()
    ballot.save(update_fields=["withdrawn_by", "withdrawn_at"])
    log_action(by=by, action="ballots.counted_ballot.withdrawn", obj=count,
               changes={"number": ballot.number, "marks": ballot.marks, "valid": ballot.valid, "reason": reason})
    return ballot


@transaction.atomic
def finish_ballot_count(
    *, by: User, count: BallotCount, issued: int, explanations: Mapping[str, str] | None = None
) -> Tally:
    """End the count and write the station's tally from the counted ballots, confirmed.

    A tally already entered by hand must agree with the ballots, number for number (LAW.md §2.3);
    otherwise nothing is written and the differences are named."""
    lock_election_for_write(count.round.election_id)
    station = PollingStation.objects.select_for_update().select_related("election__campaign").get(pk=count.station_id)
    count = BallotCount.objects.select_for_update().select_related("round__election").get(pk=count.pk)
    round = count.round
    _check_open(round, station)
    if not count.is_counting:
        raise _error("count_finished", station=station.name)
    layout = sheet_layout(round)
    values = counted_values(count, issued=issued, layout=layout)
    if issued < values.returned:
        raise _error("issued_below_returned", issued=issued, returned=values.returned)
    values = TallyValues(**{**values.__dict__, "explanations": dict(explanations or {})})
    entries = entries_of(round, station)
    if entries:
        existing = next((t for t in entries.values() if t.status == Tally.Status.CONFIRMED), entries.get(1))
        if existing.status == Tally.Status.CONFIRMED:
            differences = _counted_differences(tally_values(existing), values, layout)
            if differences:
                raise _error("tally_differs", labels="、".join(differences))
    warnings = _check_sheet(values, layout, station=station, round=round)
    tally = entries.get(1)
    tally = _write(tally, values, layout, warnings, round=round, station=station, status=Tally.Status.CONFIRMED,
                   entry_number=1, by=by)
    for other in entries.values():
        if other.entry_number != 1 and other.status != Tally.Status.SUPERSEDED:
            Tally.objects.filter(pk=other.pk).update(status=Tally.Status.SUPERSEDED, version=F("version") + 1)
    count.status, count.finished_by, count.finished_at = BallotCount.Status.FINISHED, by, timezone.now()
    count.save(update_fields=["status", "finished_by", "finished_at"])
    log_action(by=by, action="ballots.ballot_count.finished", obj=count,
               changes={"ballots": values.returned, "valid": values.valid, "invalid": values.invalid, "issued": issued,
                        "tally": tally.pk})
    return tally


def check_hand_entry(*, round: Round, station: PollingStation, values: TallyValues) -> None:
    """A tally typed by hand for a station counted ballot by ballot must say what the ballots say."""
    count = BallotCount.objects.filter(round=round, station=station).first()
    if count is None:
        return
    if count.is_counting:
        raise _error("ballot_count_in_progress", station=station.name)
    layout = sheet_layout(round)
    differences = _counted_differences(counted_values(count, issued=values.issued, layout=layout), values, layout)
    if differences:
        raise _error("tally_differs_from_ballots", labels="、".join(differences))


# ---------------------------------------------------------------- reads used by the pages


def counted_values(count: BallotCount, *, issued: int, layout=None) -> TallyValues:
    """The tally the counted ballots make (withdrawn entries left out)."""
    layout = layout or sheet_layout(count.round)
    verdicts = list(verdicts_of(count))
    ids = {p for v in verdicts for pv in v.posts.values() for p in pv.persons if isinstance(p, int)}
    names = dict(Voter.objects.filter(pk__in=ids).values_list("pk", "name"))
    values = tally_from_ballots(verdicts, layout, issued=issued, names=names)
    several = sum(
        any(p["code"] == "same_person_several_posts" for p in problems)
        for problems in CountedBallot.objects.filter(count=count).counted().values_list("problems", flat=True)
    )
    return dataclasses.replace(values, several_posts_ballots=several)


def verdicts_of(count: BallotCount):
    for valid, verdict in CountedBallot.objects.filter(count=count).counted().values_list("valid", "verdict"):
        yield BallotVerdict.from_json(valid, verdict)


def resolve_marks(marks: BallotMarks, *, round: Round) -> BallotMarks:
    """Check each mark against the round's candidates; a written name that is exactly one registered voter of
    the village becomes that voter (so the same person under two posts is seen), else it stays a name."""
    printed: dict[str, set[int]] = {p: set() for p in round.post_codes}
    for post, voter_id in round.candidates.values_list("post", "voter_id"):
        printed.setdefault(post, set()).add(voter_id)
    written = {p for m in marks.posts.values() for p in m.persons if isinstance(p, str)}
    written = {sheets.normalize_name(name) for name in written} - {""}
    if written and round.kind == Round.Kind.REVOTE:
        raise _error("write_in_in_revote")
    found: dict[str, list[int]] = {}
    if written:
        registered = register_of(round.election).registered().filter(name__in=written)
        for pk, name in registered.values_list("pk", "name"):
            found.setdefault(name, []).append(pk)
    posts = {}
    for post, post_marks in marks.posts.items():
        if post not in printed:
            raise _error("unknown_post", post=post)
        persons = []
        for person in post_marks.persons:
            if isinstance(person, int):
                if person not in printed[post]:
                    raise _error("not_a_candidate", post_label=post_label(post))
                persons.append(person)
            elif name := sheets.normalize_name(person):
                ids = found.get(name, [])
                persons.append(ids[0] if len(ids) == 1 else name)
        posts[post] = PostMarks(tuple(persons), post_marks.illegible)
    return BallotMarks(posts=posts, illegible=marks.illegible)


def _people(round: Round, marks: BallotMarks) -> tuple[dict[int, str], set[int]]:
    ids = {p for m in marks.posts.values() for p in m.persons if isinstance(p, int)}
    rows = Voter.objects.filter(pk__in=ids).values_list("pk", "name", "sex")
    return {pk: name for pk, name, _ in rows}, {pk for pk, _, sex in rows if sex != FEMALE}


def _counted_differences(counted: TallyValues, other: TallyValues, layout) -> list[str]:
    """The labels of the numbers on which a tally differs from the counted ballots (发出选票 aside)."""
    counted = TallyValues(**{**counted.__dict__, "issued": other.issued})
    return [d.label for d in sheets.differences(counted, other, layout)]


def recent_ballots(count: BallotCount, *, limit: int = 12) -> list[dict]:
    """The last ballots entered, newest first, each with what it says post by post (for the counters)."""
    ballots = list(CountedBallot.objects.filter(count=count).order_by("-number")[:limit])
    ids = {p for b in ballots for m in b.marks.get("posts", {}).values() for p in m["persons"] if isinstance(p, int)}
    names = dict(Voter.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for ballot in ballots:
        parts = []
        for post, post_marks in ballot.marks.get("posts", {}).items():
            persons = [names.get(p, str(p)) if isinstance(p, int) else p for p in post_marks["persons"]]
            text = "作废" if post_marks.get("illegible") else ("、".join(persons) or "弃权")
            parts.append(f"{post_label(post)}：{text}")
        if ballot.marks.get("illegible"):
            parts = ["整张作废"]
        rows.append({"ballot": ballot, "summary": "；".join(parts),
                     "problems": [p["message"] for p in ballot.problems]})
    return rows


def board_numbers(count: BallotCount) -> tuple[int, int, int, dict[str, list[tuple[str, int]]]]:
    """The running count for the counting board: (ballots, valid, invalid, {post: [(name, votes)]})."""
    layout = sheet_layout(count.round)
    verdicts = list(verdicts_of(count))
    ids = {p for v in verdicts for pv in v.posts.values() for p in pv.persons if isinstance(p, int)}
    names = dict(Voter.objects.filter(pk__in=ids).values_list("pk", "name"))
    return running_count(verdicts, layout, names)
