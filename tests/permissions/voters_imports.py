"""Matrix entries for the Excel import."""

from tests.permissions.matrix import DATA_WRITE, Entry, _election

ENTRIES: dict[str, Entry] = {
    "voters:import-upload": Entry(_election, DATA_WRITE),
}
