"""Matrix entries for a township Party congress's delegates' election (issue 12): a township's round, read by its
office and supervisors (and the county's and the administrator); set up by its office. Liaison officers work
their villages, not the township's congress: they see no round (404)."""

from datetime import date

from tests.builders import preset
from tests.permissions.matrix import ANY_USER, SETUP_CREATE, Entry
from villages import party_congress
from villages.models import User

CONGRESS_READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (404, 404, 404),
    "supervisor": (200, 200, 404),
}
CONGRESS_WRITE = {
    "admin": (200, 200, 200),
    "clerk": (200, 200, 404),
    "liaison": (404, 404, 404),
    "supervisor": (403, 403, 404),
}
CONGRESS_POST = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (404, 404, 404),
    "supervisor": (403, 403, 404),
}


def _congress(w, s):
    return {"pk": w[s]["congress"].pk}


ENTRIES: dict[str, Entry] = {
    "villages:congress-list": Entry(lambda w, s: {}, ANY_USER),
    "villages:congress-create": Entry(lambda w, s: {}, SETUP_CREATE),
    "villages:congress-detail": Entry(_congress, CONGRESS_READ),
    "villages:congress-unit-create": Entry(_congress, CONGRESS_WRITE),
    "villages:congress-allocate": Entry(_congress, CONGRESS_POST, method="post"),
    "candidates:congress-composition": Entry(_congress, CONGRESS_READ),
    "candidates:congress-composition-pdf": Entry(_congress, CONGRESS_READ),
    "candidates:congress-credentials": Entry(_congress, CONGRESS_READ),
    "candidates:congress-vote": Entry(_congress, CONGRESS_READ),
    "candidates:congress-vote-pdf": Entry(_congress, CONGRESS_READ),
}


def extend_world(w, users):
    """A congress round in the own and the foreign township."""
    rounds = {}
    for scope in ("own", "sibling", "foreign"):
        township = w[scope]["village"].township
        if township.pk not in rounds:
            by = users["clerk"] if scope != "foreign" else User.objects.get(username="foreign_clerk")
            rounds[township.pk] = party_congress.open_congress_round(
                by=by, township=township, term_number=10, preset=preset("REFERENCE_003_CONGRESS"),
                election_day=date(2026, 11, 28))
        w[scope]["congress"] = rounds[township.pk]
