"""Matrix entries for the nomination pipeline of a 村党组织换届选举 (issue 12 step 4): everyone who sees the village
reads the board and prints the papers (READ); office staff and the village's liaison officer record a stage's
results (DATA_WRITE); the method and the township Party committee's review are the township office's (SETUP_WRITE);
supervisors only read. The board, the formal list and its PDF are the candidates app's own URLs (candidate-list,
candidate-list-publish, candidate-list-pdf), in ``tests.permissions.candidates``."""

from datetime import date

from candidates import party_pipeline as pipeline
from candidates import party_services
from tests.permissions.matrix import DATA_WRITE, READ, SETUP_WRITE, Entry


def _party(w, s):
    return {"pk": w[s]["party_election"].pk}


def _stage(w, s):
    return {"pk": w[s]["party_election"].pk, "stage": pipeline.CONFIDENCE_VOTE}


ENTRIES: dict[str, Entry] = {
    "candidates:party-method": Entry(_party, SETUP_WRITE),
    "candidates:party-stage": Entry(_stage, DATA_WRITE),
    "candidates:party-paper-pdf": Entry(_stage, READ),
    "candidates:party-review": Entry(_party, SETUP_WRITE),
}


def extend_world(w, users):
    """Each Party election (``tests.permissions.party_register``) by 两票制, its confidence vote recorded, so that
    the review has its nominee (党员甲, 9 of 10)."""
    for scope in ("own", "sibling", "foreign"):
        election = w[scope]["party_election"]
        member = election.voters.get(name="党员甲")
        party_services.choose_method(by=users["admin"], election=election, method="two_ballots", formal_candidates=4)
        party_services.record_stage(by=users["admin"], election=election, stage=pipeline.CONFIDENCE_VOTE,
                                    basis=pipeline.HOUSEHOLD_REPRESENTATIVES, electorate=10, basis_note="户代表",
                                    held_on=date(2026, 10, 20), ballots_issued=10, ballots_returned=10,
                                    votes={member.pk: 9})
