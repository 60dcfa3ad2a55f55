"""Matrix entries for the voter register, publication, amendments, appeals and proxies.

Who may do what (documented in each views module):
- reading every page and download (lists, PDFs, xlsx): everyone who sees the village (READ);
- entering and editing voters, post-publication changes (补登 / 减, each an audited amendment
  batch), filing an appeal, registering or revoking a proxy, recording a 四增四减 reason, posting
  a batch: office staff and the village's liaison officer (DATA_WRITE / DATA_POST);
- publishing the list, deciding an appeal and publishing the decision, approving proxies and
  publishing the proxy list: acts of the 村民选举委员会, recorded by office staff only
  (SETUP_WRITE / SETUP_POST), like the stage moves they cause.
"""

from datetime import date

from django.core.files.base import ContentFile

from tests.builders import make_voter
from tests.permissions.matrix import ANY_USER, DATA_POST, DATA_WRITE, READ, SETUP_POST, SETUP_WRITE, Entry, _election, _none
from voters.models import AmendmentBatch, Appeal, ListPrint, Proxy


def _voter(w, s):
    return {"pk": w[s]["election"].pk, "voter_pk": w[s]["voter"].pk}


def _appeal(w, s):
    return {"pk": w[s]["election"].pk, "appeal_pk": w[s]["appeal"].pk}


def _proxy(w, s):
    return {"pk": w[s]["election"].pk, "proxy_pk": w[s]["proxy"].pk}


def _print(w, s):
    return {"pk": w[s]["election"].pk, "print_pk": w[s]["print"].pk}


def _batch(w, s):
    return {"pk": w[s]["election"].pk, "batch_pk": w[s]["batch"].pk}


ENTRIES: dict[str, Entry] = {
    # Searches only the villages the user may see (tests/voters/test_person_search.py).
    "voters:person-search": Entry(_none, ANY_USER),
    "voters:voter-list": Entry(_election, READ),
    "voters:voter-create": Entry(_election, DATA_WRITE),
    "voters:voter-detail": Entry(_voter, READ),
    "voters:voter-edit": Entry(_voter, DATA_WRITE),
    "voters:voter-add-to-list": Entry(_voter, DATA_WRITE),
    "voters:voter-remove-from-list": Entry(_voter, DATA_WRITE),
    "voters:publish": Entry(_election, SETUP_WRITE),
    "voters:published-list-pdf": Entry(_election, READ),
    "voters:published-list-xlsx": Entry(_election, READ),
    "voters:amendment-list": Entry(_election, READ),
    "voters:amendments-pdf": Entry(_election, READ),
    "voters:amendment-publish": Entry(_batch, DATA_WRITE),
    "voters:register-changes": Entry(_election, READ),
    "voters:register-change-reason": Entry(_election, DATA_POST, method="post"),
    "voters:appeal-list": Entry(_election, READ),
    "voters:appeal-create": Entry(_election, DATA_WRITE),
    "voters:appeal-decide": Entry(_appeal, SETUP_WRITE),
    "voters:appeal-publish": Entry(_appeal, SETUP_WRITE),
    "voters:proxy-list": Entry(_election, READ),
    "voters:proxy-create": Entry(_election, DATA_WRITE),
    "voters:proxy-approve": Entry(_proxy, SETUP_POST, method="post"),
    "voters:proxy-revoke": Entry(_proxy, DATA_POST, method="post"),
    "voters:proxy-publish": Entry(_election, SETUP_WRITE),
    "voters:proxy-list-pdf": Entry(_election, READ),
    "voters:proxy-certificates-pdf": Entry(_election, READ),
    "voters:appeals-pdf": Entry(_election, READ),
    "voters:list-print": Entry(_print, READ),
    "voters:list-print-progress": Entry(_print, READ),
    "voters:list-print-download": Entry(_print, READ),
}


def extend_world(w, users):
    """A voter, an away principal with a proxy, an appeal and an amendment batch in each scope."""
    for n, scope in enumerate(("own", "sibling", "foreign"), start=1):
        election = w[scope]["election"]
        voter = make_voter(election=election, name="赵建国", serial=10 + n, listed_from=date(2026, 12, 20))
        principal = make_voter(election=election, name="赵小芳", sex="F", serial=20 + n, away=True)
        w[scope]["voter"] = voter
        w[scope]["proxy"] = Proxy.objects.create(
            election=election, principal=principal, holder=voter, relation="sibling", authorized_on=date(2027, 1, 1)
        )
        w[scope]["appeal"] = Appeal.objects.create(
            election=election, filer_name="钱一", kind=Appeal.Kind.WRONGLY_LISTED, voter=voter, reason="已迁出",
            received_on=date(2026, 12, 21),
        )  # fmt: skip
        w[scope]["batch"] = AmendmentBatch.objects.create(
            election=election, number=1, effective_on=date(2026, 12, 22), reason="死亡", created_by=users["clerk"]
        )
        w[scope]["print"] = ListPrint.objects.create(
            election=election, paper="a4", as_of=date(2026, 12, 20), state=ListPrint.State.DONE, filename="名单.pdf",
            file=ContentFile(b"%PDF-1.4", name="list.pdf"), requested_by=users["clerk"],
        )
