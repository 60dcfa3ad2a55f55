"""Matrix entries for the villages app."""

from tests.permissions.matrix import (
    ADMIN_ONLY,
    NOT_LIAISON,
    ANY_USER,
    READ,
    SETUP_CREATE,
    SETUP_POST,
    SETUP_WRITE,
    Entry,
    _election,
    _none,
    _village,
)

ENTRIES: dict[str, Entry] = {
    "villages:dashboard": Entry(_none, ANY_USER),
    # Each user sees the townships they may read (a clerk: one; a county supervisor: the county).
    "villages:county-dashboard": Entry(_none, ANY_USER),
    "villages:object-history": Entry(lambda w, s: {"model": "villages.village", "pk": w[s]["village"].pk}, READ),
    "villages:county-create": Entry(_none, ADMIN_ONLY),
    "villages:audit-log": Entry(_none, NOT_LIAISON),
    "villages:audit-export": Entry(_none, NOT_LIAISON),
    "villages:township-list": Entry(_none, ANY_USER),
    "villages:township-create": Entry(_none, ADMIN_ONLY),
    "villages:township-edit": Entry(lambda w, s: {"pk": w[s]["village"].township_id}, ADMIN_ONLY),
    "villages:village-list": Entry(_none, ANY_USER),
    "villages:village-create": Entry(_none, SETUP_CREATE),
    "villages:village-detail": Entry(_village, READ),
    "villages:village-edit": Entry(_village, SETUP_WRITE),
    "villages:group-create": Entry(_village, SETUP_WRITE),
    "villages:group-edit": Entry(lambda w, s: {"pk": w[s]["village"].pk, "group_pk": w[s]["group"].pk}, SETUP_WRITE),
    "villages:campaign-list": Entry(_none, ANY_USER),
    "villages:campaign-create": Entry(_none, SETUP_CREATE),
    "villages:campaign-detail": Entry(
        lambda w, s: {"pk": w[s]["election"].campaign_id},
        # The round is township-wide: a liaison officer sees it (with only their villages in it).
        {**READ, "liaison": (200, 200, 404)},
    ),
    # Closing a round: office staff only; a liaison officer sees the round but may not close it.
    "villages:campaign-close": Entry(lambda w, s: {"pk": w[s]["election"].campaign_id},
                                     {**SETUP_POST, "liaison": (403, 403, 404)}, method="post"),
    "villages:election-detail": Entry(_election, READ),
    "villages:election-setup": Entry(_election, SETUP_WRITE),
    "villages:election-postpone": Entry(_election, SETUP_WRITE),
    "villages:election-advance": Entry(_election, SETUP_POST, method="post"),
    "villages:committee-member-create": Entry(_election, SETUP_WRITE),
    "villages:committee-member-edit": Entry(
        lambda w, s: {"pk": w[s]["election"].pk, "member_pk": w[s]["member"].pk}, SETUP_WRITE
    ),
    "villages:preset-list": Entry(_none, ANY_USER),
    "villages:preset-detail": Entry(lambda w, s: {"pk": w["preset"].pk}, ANY_USER),
    "villages:user-list": Entry(_none, ADMIN_ONLY),
    "villages:user-create": Entry(_none, ADMIN_ONLY),
    "villages:user-edit": Entry(lambda w, s: {"pk": w["liaison"].pk}, ADMIN_ONLY),
}
