"""Per-ballot counting (唱票计票): the counters' keyboard page, adding and withdrawing a ballot, finishing the
count into the station's tally, and the public counting board for the projector.

Counters are those who enter tallies (office staff, the village's liaison officer). The board is read-only
for everyone who sees the village, supervisors too; like every page it needs a sign-in (the projector
laptop signs in, e.g. as a supervisor). It shows no counter's name and no ID number.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from villages.access import get_child_or_404, get_election_for
from villages.formtools import attach_errors
from voters.registrations import register_of

from ..counting_keys import BALLOT_ILLEGIBLE_KEY, keyed_posts
from ..entries import sheet_layout
from ..forms.counting import FinishForm, ballots_from_json, marks_from_post
from ..models import BallotCount, CountedBallot
from ..services import counting as services

MESSAGES = {
    "started": "{station}开始唱票计票。",
    "withdrawn": "第{number}张选票的录入已撤销。",
    "finished": "{station}唱票计票结束，计票结果已按唱票记录生成并确认。",
}


def _place(request, pk, round_pk, station_pk, *, write):
    election = get_election_for(request.user, pk, write=write)
    round = get_child_or_404(election.rounds.all(), round_pk)
    station = get_child_or_404(round.stations.all(), station_pk)
    count = BallotCount.objects.filter(round=round, station=station).first()
    return election, round, station, count


def _total(count) -> int:
    return CountedBallot.objects.filter(count=count).counted().count() if count else 0


def ballot_count(request, pk: int, round_pk: int, station_pk: int):
    election, round, station, count = _place(request, pk, round_pk, station_pk, write=True)
    if request.method == "POST":
        try:
            services.start_ballot_count(by=request.user, round=round, station=station)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, MESSAGES["started"].format(station=station.name))
        return redirect("ballots:ballot-count", pk=pk, round_pk=round_pk, station_pk=station_pk)
    context = {"election": election, "round": round, "station": station, "count": count,
               "posts": keyed_posts(sheet_layout(round)), "ballot_key": BALLOT_ILLEGIBLE_KEY,
               "write_ins": round.kind != round.Kind.REVOTE, "total": _total(count),
               "voter_names": register_of(election).registered().values_list("name", flat=True).distinct(),
               "recent": services.recent_ballots(count) if count else []}
    return render(request, "ballots/ballot_count.html", context)


@require_POST
def ballot_add(request, pk: int, round_pk: int, station_pk: int):
    """One ballot from the plain form, or (the page's script) every ballot typed since the last answer, as
    JSON with a key each, so that a ballot sent again after a lost answer is recorded once."""
    election, round, station, count = _place(request, pk, round_pk, station_pk, write=True)
    scripted = request.content_type == "application/json"
    layout = sheet_layout(round)
    ballots = ballots_from_json(request.body, layout) if scripted else [("", marks_from_post(request.POST, layout))]
    errors = []
    try:
        if count is None:
            raise ValidationError(services.ERROR_MESSAGES["count_not_started"].format(station=station.name))
        _recorded, failed = services.add_ballots(by=request.user, count=count, ballots=ballots)
        errors = [exc.messages[0] for _key, exc in failed]
    except ValidationError as exc:
        errors = exc.messages
    if not scripted:
        for error in errors:
            messages.error(request, error)
        return redirect("ballots:ballot-count", pk=pk, round_pk=round_pk, station_pk=station_pk)
    context = {"election": election, "round": round, "station": station, "count": count, "errors": errors,
               "total": _total(count), "recent": services.recent_ballots(count) if count else []}
    return render(request, "ballots/_ballot_recent.html", context)


@require_POST
def ballot_withdraw(request, pk: int, round_pk: int, station_pk: int, ballot_pk: int):
    election, round, station, count = _place(request, pk, round_pk, station_pk, write=True)
    ballot = get_child_or_404(CountedBallot.objects.filter(count=count), ballot_pk)
    try:
        services.withdraw_ballot(by=request.user, ballot=ballot, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, MESSAGES["withdrawn"].format(number=ballot.number))
    return redirect("ballots:ballot-count", pk=pk, round_pk=round_pk, station_pk=station_pk)


def ballot_count_finish(request, pk: int, round_pk: int, station_pk: int):
    election, round, station, count = _place(request, pk, round_pk, station_pk, write=True)
    form = FinishForm(request.POST or None)
    if count is not None and count.is_counting and form.is_valid():
        try:
            services.finish_ballot_count(by=request.user, count=count, issued=form.cleaned_data["issued"],
                                         explanations=form.explanations(sheet_layout(round)))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, MESSAGES["finished"].format(station=station.name))
            return redirect("ballots:round-detail", pk=pk, round_pk=round_pk)
    numbers = services.board_numbers(count) if count else None
    context = {"election": election, "round": round, "station": station, "count": count, "form": form,
               "numbers": numbers}
    return render(request, "ballots/ballot_count_finish.html", context)


def counting_board(request, pk: int, round_pk: int, station_pk: int):
    election, round, station, count = _place(request, pk, round_pk, station_pk, write=False)
    ballots, valid, invalid, by_post = services.board_numbers(count) if count else (0, 0, 0, {})
    layout = sheet_layout(round)
    if not count:
        by_post = {p.post: [(name, 0) for _, name in p.candidates] for p in layout.posts}
    context = {"election": election, "round": round, "station": station, "count": count, "ballots": ballots,
               "valid": valid, "invalid": invalid, "posts": [(p.post, p.seats, by_post[p.post]) for p in layout.posts]}
    template = "ballots/_board.html" if request.htmx else "ballots/counting_board.html"
    return render(request, template, context)
