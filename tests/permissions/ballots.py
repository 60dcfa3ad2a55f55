"""Matrix entries for polling stations, tallies, results and announcement."""

from tests.permissions.matrix import READ, Entry, _election

ENTRIES: dict[str, Entry] = {
    "ballots:station-list": Entry(_election, READ),
}
