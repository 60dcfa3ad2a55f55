"""Matrix entries for the voter register, publication, amendments, appeals and proxies."""

from tests.permissions.matrix import READ, Entry, _election

ENTRIES: dict[str, Entry] = {
    "voters:voter-list": Entry(_election, READ),
}
