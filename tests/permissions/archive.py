"""Matrix entries for certification, unlock requests, the handover and complaints.

``extend_world`` gives each scope a certified-looking election's pending unlock request (asked by the admin,
so that the clerk and the supervisor may approve it) and a complaint about the scope's village.
"""

from django.utils import timezone

from archive.models import Complaint, UnlockRequest
from tests.permissions.matrix import (
    ANY_USER,
    NOT_LIAISON,
    SETUP_CREATE,
    SETUP_POST,
    SETUP_WRITE,
    Entry,
    _election,
    _none,
)

# Approving an unlock is the one change a supervisor (督导) may make; liaison officers may not.
UNLOCK_APPROVE = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (403, 404, 404),
    "supervisor": (302, 302, 404),
}

ENTRIES: dict[str, Entry] = {
    "archive:certify": Entry(_election, SETUP_WRITE),
    "archive:unlock-request": Entry(_election, SETUP_WRITE),
    "archive:unlock-list": Entry(_none, NOT_LIAISON),
    "archive:unlock-approve": Entry(lambda w, s: {"request_pk": w[s]["unlock"].pk}, UNLOCK_APPROVE, method="post"),
    "archive:handover": Entry(_election, SETUP_WRITE),
    "archive:handover-complete": Entry(_election, SETUP_POST, method="post"),
    "archive:complaint-list": Entry(_none, ANY_USER),
    "archive:complaint-create": Entry(_none, SETUP_CREATE),
    "archive:complaint-edit": Entry(lambda w, s: {"pk": w[s]["complaint"].pk}, SETUP_WRITE),
}


def extend_world(w, users):
    for scope in ("own", "sibling", "foreign"):
        election, village = w[scope]["election"], w[scope]["village"]
        w[scope]["unlock"] = UnlockRequest.objects.create(election=election, reason="计票录入有误",
                                                          requested_by=users["admin"])
        w[scope]["complaint"] = Complaint.objects.create(
            township=village.township, village=village, received_on=timezone.localdate(), channel="letter",
            subject="反映选民登记遗漏", category="eligibility",
        )
