"""Matrix entries for nomination and the candidate list."""

from tests.permissions.matrix import READ, Entry, _election

ENTRIES: dict[str, Entry] = {
    "candidates:candidate-list": Entry(_election, READ),
}
