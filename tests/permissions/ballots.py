"""Matrix entries for polling stations, rounds, tallies, results, announcement and the printed documents.

``extend_world`` gives each scope's election three voters with one chair candidate, a central meeting, a
mobile box, the first round and one confirmed tally. They are built when a ballots entry first asks for
them, so the other apps' cases of the matrix do not pay for them.
"""

from ballots.models import BallotCount, CountedBallot
from tests.builders import enter_tally, make_formal_candidate, make_station, make_voters, open_first_round, sheet
from tests.permissions.matrix import DATA_POST, DATA_WRITE, READ, SETUP_POST, SETUP_WRITE, Entry, _election


def _station(w, s):
    return {"pk": w[s]["election"].pk, "station_pk": _built(w, s)["station"].pk}


def _mobile(w, s):
    return {"pk": w[s]["election"].pk, "station_pk": _built(w, s)["mobile_box"].pk}


def _round(w, s):
    return {"pk": w[s]["election"].pk, "round_pk": _built(w, s)["round"].pk}


def _round_station(w, s):
    return _round(w, s) | {"station_pk": w[s]["station"].pk}


def _counted_ballot(w, s):
    return _round_station(w, s) | {"ballot_pk": w[s]["ballot"].pk}


def _election_built(w, s):
    _built(w, s)
    return _election(w, s)


def _first_kind(w, s):
    return {"pk": w[s]["election"].pk, "kind": "first"}


ENTRIES: dict[str, Entry] = {
    "ballots:station-list": Entry(_election_built, READ),
    "ballots:station-create": Entry(_election_built, SETUP_WRITE),
    "ballots:stations-per-group": Entry(_election_built, SETUP_POST, method="post"),
    "ballots:station-edit": Entry(_station, SETUP_WRITE),
    "ballots:mobile-box-voters": Entry(_mobile, SETUP_WRITE),
    "ballots:mobile-box-approve": Entry(_mobile, SETUP_WRITE),
    "ballots:counting-options": Entry(_election_built, SETUP_WRITE),
    "ballots:round-list": Entry(_election_built, READ),
    "ballots:round-open": Entry(_first_kind, SETUP_WRITE),
    "ballots:round-detail": Entry(_round, READ),
    "ballots:round-void": Entry(_round, SETUP_WRITE),
    "ballots:tally-entry": Entry(_round_station, DATA_WRITE),
    "ballots:tally-compare": Entry(_round_station, SETUP_WRITE),
    "ballots:ballot-count": Entry(_round_station, DATA_WRITE),
    "ballots:ballot-add": Entry(_round_station, DATA_POST, method="post"),
    "ballots:ballot-withdraw": Entry(_counted_ballot, DATA_POST, method="post"),
    "ballots:ballot-count-finish": Entry(_round_station, DATA_WRITE),
    "ballots:counting-board": Entry(_round_station, READ),
    "ballots:write-in-list": Entry(_election_built, READ),
    "ballots:write-in-rule": Entry(_election_built, SETUP_WRITE),
    "ballots:results": Entry(_election_built, READ),
    "ballots:announce": Entry(_election_built, SETUP_WRITE),
    "ballots:void-decision": Entry(_election_built, SETUP_WRITE),
    "ballots:ballot-pdf": Entry(_round, READ),
    "ballots:tally-sheet-blank": Entry(_round, READ),
    "ballots:tally-sheet": Entry(_round_station, READ),
    "ballots:results-report": Entry(_election_built, READ),
    # The papers: printed by everyone who sees the village, read-only supervisors included.
    "ballots:voter-cards-pdf": Entry(_election_built, READ),
    "ballots:election-day-notice-pdf": Entry(_election_built, READ),
    "ballots:results-notice-pdf": Entry(_election_built, READ),
    "ballots:certificates-pdf": Entry(_election_built, READ),
    "ballots:ballot-quantities-pdf": Entry(_round, READ),
}


def extend_world(w, users):
    w["ballots_users"] = users


def _built(w, scope):
    if "round" not in w[scope]:
        _build(w, scope, w["ballots_users"])
    return w[scope]


def _build(w, scope, users):
    election = w[scope]["election"]
    voters = make_voters(election=election, count=3, start={"own": 0, "sibling": 10, "foreign": 20}[scope])
    make_formal_candidate(election=election, voter=voters[0], post="chair")
    station = make_station(election=election, name="中心会场", kind="central", assigned_voters=3)
    mobile_box = make_station(election=election, name="流动票箱", kind="mobile")
    round = open_first_round(election=election, by=users["admin"], stations=[station])
    values = sheet(issued=3, returned=3, valid=3, votes={"chair": {voters[0]: 3}}, abstentions={"member": 3})
    enter_tally(by=users["admin"], round=round, station=station, values=values)
    count = BallotCount.objects.create(round=round, station=station, started_by=users["admin"],
                                       next_number=2)
    ballot = CountedBallot.objects.create(count=count, number=1, marks={}, valid=True, verdict={},
                                          entered_by=users["admin"])
    w[scope].update(station=station, mobile_box=mobile_box, round=round, ballot=ballot)
