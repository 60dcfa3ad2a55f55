"""Matrix entries for the reports app."""

from reports.models import Roster, RosterMember
from tests.permissions.matrix import ANY_USER, READ, SETUP_CREATE, Entry, _none

ENTRIES: dict[str, Entry] = {
    "reports:roster-list": Entry(_none, ANY_USER),
    "reports:roster-import": Entry(_none, SETUP_CREATE),
    "reports:roster-detail": Entry(lambda w, s: {"pk": w[s]["roster"].pk}, READ),
}


def extend_world(w, users):
    for scope in ("own", "sibling", "foreign"):
        roster = Roster.objects.create(
            village=w[scope]["village"], kind=Roster.Kind.PARTY_BRANCH, term_number=11, imported_by=users["clerk"]
        )
        RosterMember.objects.create(
            roster=roster, name="书记", id_number="11010519491231002X", sex="F", birth_date="1949-12-31", post="secretary"
        )
        w[scope]["roster"] = roster
