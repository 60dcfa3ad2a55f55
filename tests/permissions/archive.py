"""Matrix entries for certification, unlock requests, the handover and complaints.

``extend_world`` gives each scope a certified-looking election's pending unlock request (asked by the admin,
so that the clerk and the supervisor may approve it) and a complaint about the scope's village.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from archive.models import ArchiveDocument, Complaint, UnlockRequest
from tests.permissions.matrix import (
    ADMIN_ONLY,
    ANY_USER,
    DATA_WRITE,
    NOT_LIAISON,
    READ,
    SETUP_CREATE,
    SETUP_POST,
    SETUP_WRITE,
    Entry,
    _election,
    _none,
    _village,
)

# Approving an unlock is the one change a supervisor (督导) may make; liaison officers may not.
UNLOCK_APPROVE = {
    "admin": (302, 302, 302),
    "clerk": (302, 302, 404),
    "liaison": (403, 404, 404),
    "supervisor": (302, 302, 404),
}

# Destroying an archived record (after its period) is for the system administrator alone.
DESTROY = {
    "admin": (200, 200, 200),
    "clerk": (403, 403, 404),
    "liaison": (403, 404, 404),
    "supervisor": (403, 403, 404),
}


def _document(w, s):
    return {"pk": w[s]["election"].pk, "document_pk": w[s]["document"].pk}


ENTRIES: dict[str, Entry] = {
    "archive:certify": Entry(_election, SETUP_WRITE),
    "archive:unlock-request": Entry(_election, SETUP_WRITE),
    # 县选举办工作人员 read like a county supervisor; they approve the unlock of a 人大 district's result (their
    # list), never a village's (403: they see the request, they may not change it).
    "archive:unlock-list": Entry(_none, {**NOT_LIAISON, "county_office": (200,) * 3}),
    "archive:unlock-approve": Entry(
        lambda w, s: {"request_pk": w[s]["unlock"].pk}, {**UNLOCK_APPROVE, "county_office": (403, 403, 404)}, method="post"
    ),
    "archive:handover": Entry(_election, SETUP_WRITE),
    "archive:handover-complete": Entry(_election, SETUP_POST, method="post"),
    "archive:complaint-list": Entry(_none, ANY_USER),
    "archive:complaint-create": Entry(_none, SETUP_CREATE),
    "archive:complaint-edit": Entry(lambda w, s: {"pk": w[s]["complaint"].pk}, SETUP_WRITE),
    "archive:document-list": Entry(_election, READ),
    "archive:document-generate": Entry(_election, SETUP_POST, method="post"),
    "archive:document-upload": Entry(_election, DATA_WRITE),
    "archive:document-download": Entry(_document, READ),
    "archive:document-destroy": Entry(_document, DESTROY),
    "archive:village-index": Entry(_village, READ),
    # The township index lists what the user may see: a liaison officer's own villages only.
    "archive:township-index": Entry(lambda w, s: {"pk": w[s]["village"].township_id}, {**READ, "liaison": (200, 200, 404)}),
    "archive:retention-list": Entry(_none, ANY_USER),
    "archive:retention-edit": Entry(lambda w, s: {"kind": "ballots"}, ADMIN_ONLY),
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
        w[scope]["document"] = ArchiveDocument.objects.create(
            election=election, kind="working_papers", title="工作底稿", source="scanned",
            file=ContentFile(b"%PDF-1.4 test", name="working.pdf"), filename="working.pdf",
            content_type="application/pdf", size=13, sha256="0" * 64, retention="10y",
            filed_on=timezone.localdate(), retain_until=timezone.localdate(), filed_by=users["admin"],
        )
