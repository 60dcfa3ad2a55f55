"""Matrix entries for a Party election's 党员大会 pages on the ballot stage (issue 12 step 5): whoever sees the
village reads the report to the township Party committee (READ); office staff record 实到会, the shortfall decision
and the 书记/副书记 vote (SETUP_WRITE), as they open and void rounds; liaison officers and supervisors do not.
Builds on ``party_register``'s world (each scope's ``party_election``)."""

from datetime import date

from ballots.models import PollingStation, Round
from tests.permissions.matrix import READ, SETUP_WRITE, Entry


def _party(w, s):
    return {"pk": w[s]["party_election"].pk}


def _party_round(w, s):
    return {"pk": w[s]["party_election"].pk, "round_pk": w[s]["party_round"].pk}


ENTRIES: dict[str, Entry] = {
    "ballots:party-attendance": Entry(_party_round, SETUP_WRITE),
    "ballots:party-shortfall": Entry(_party, SETUP_WRITE),
    "ballots:party-post-vote": Entry(_party, SETUP_WRITE),
    "ballots:party-upper-report": Entry(_party, READ),
}


def extend_world(w, users):
    """Each scope's Party election gets its 党员大会 place and a first round open (written directly)."""
    for scope in ("own", "sibling", "foreign"):
        election = w[scope]["party_election"]
        place = PollingStation.objects.create(election=election, name="党员大会会场", kind="central", order=1)
        round = Round.objects.create(election=election, kind="first", number=1, held_on=date(2026, 11, 20),
                                     seats={"member": 3}, opened_by=users["admin"], expected_attendance=1)
        round.stations.add(place)
        w[scope]["party_round"] = round
