"""Matrix entries for the Party member register of a 村党组织换届选举 and its setup (issue 12): everyone who sees the village reads
it (READ); office staff and the village's liaison officer record and withdraw the members not counted as 应到会
(DATA_WRITE / DATA_POST), like the register's other data; supervisors only read."""

from datetime import date

from tests.builders import make_party_campaign, make_voter
from tests.permissions.matrix import DATA_POST, DATA_WRITE, READ, SETUP_WRITE, Entry
from villages.models import User
from voters.models import AttendanceExcusal


def _party(w, s):
    return {"pk": w[s]["party_election"].pk}


def _excusal(w, s):
    return {"pk": w[s]["party_election"].pk, "excusal_pk": w[s]["excusal"].pk}


ENTRIES: dict[str, Entry] = {
    "voters:party-register": Entry(_party, READ),
    "voters:excusal-create": Entry(_party, DATA_WRITE),
    "voters:excusal-withdraw": Entry(_excusal, DATA_POST, method="post"),
    # The township Party committee's approval of the plan and the posts: setup, like the seats (office staff).
    "villages:election-plan-approval": Entry(_party, SETUP_WRITE),
}


def extend_world(w, users):
    """A branch round in the own and the foreign township, each village's election with one member excused."""
    campaigns = {}
    for n, scope in enumerate(("own", "sibling", "foreign")):
        township = w[scope]["village"].township
        if township.pk not in campaigns:
            by = users["clerk"] if scope != "foreign" else User.objects.get(username="foreign_clerk")
            campaigns[township.pk] = make_party_campaign(township=township, by=by)
        election = campaigns[township.pk].elections.get(village=w[scope]["village"])
        member = make_voter(election=election, name="党员甲", category="PARTY_FULL", serial=300 + n)
        w[scope]["party_election"] = election
        w[scope]["excusal"] = AttendanceExcusal.objects.create(
            election=election, member=member, category="away", facts="外出务工一年", upper_consent_on=date(2026, 10, 8),
            upper_consent_ref="镇党委批复", meeting_on=date(2026, 10, 15), votes_for=20, recorded_by=users["admin"])
