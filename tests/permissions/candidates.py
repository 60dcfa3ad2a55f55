"""Matrix entries for nomination and the candidate list.

Who may do what (DOMAIN.md "Who uses it"):
- reading the list, a nominee's nominators and the printed list: everyone who sees the village (READ);
- entering nominations and nominators, correcting nomination votes and recording a written
  withdrawal: office staff and the village's liaison officer (DATA_WRITE / DATA_POST);
- publishing the formal list, an act of the 村民选举委员会 that moves the election to voting:
  office staff only (SETUP_WRITE), like the other stage moves.
"""

from datetime import date

from candidates.models import Candidate
from tests.builders import make_voter
from tests.permissions.matrix import DATA_POST, DATA_WRITE, READ, SCOPES, SETUP_WRITE, Entry, _election


def _candidate(w, s):
    return {"pk": w[s]["election"].pk, "candidate_pk": w[s]["candidate"].pk}


ENTRIES: dict[str, Entry] = {
    "candidates:candidate-list": Entry(_election, READ),
    "candidates:candidate-create": Entry(_election, DATA_WRITE),
    "candidates:candidate-nominations": Entry(_candidate, READ),
    "candidates:candidate-votes": Entry(_candidate, DATA_POST, method="post"),
    "candidates:candidate-withdraw": Entry(_candidate, DATA_POST, method="post"),
    "candidates:candidate-list-publish": Entry(_election, SETUP_WRITE),
    "candidates:candidate-list-pdf": Entry(_election, READ),
}


def extend_world(w, users):
    """A registered voter nominated for 主任 in each scope."""
    for n, scope in enumerate(SCOPES, start=1):
        election = w[scope]["election"]
        voter = make_voter(
            election=election, name="孙立新", birth_date=date(1966, 6, 6), serial=n, listed_from=date(2026, 12, 20)
        )
        w[scope]["candidate_voter"] = voter
        w[scope]["candidate"] = Candidate.objects.create(
            election=election, voter=voter, post="chair", nomination_votes=3, nominated_on=date(2026, 12, 28)
        )
