"""The dashboard needs each counting village's result twice (legal calendar: is a runoff due; status
column: where the count stands); both come from one computation of the counts per page, and nothing is
kept between pages."""

from django.urls import reverse

from ballots import queries
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally
from villages import extensions


def _counting_calls(monkeypatch) -> list:
    calls = []
    real = queries.load_counts

    def counted(elections):
        calls.append(sorted(e.pk for e in elections))
        return real(elections)

    monkeypatch.setattr(queries, "load_counts", counted)
    return calls


def test_dashboard_counts_once_per_page(client, clerk, counting, monkeypatch):
    calls = _counting_calls(monkeypatch)
    client.force_login(clerk)
    page = client.get(reverse("villages:dashboard")).content.decode()
    assert calls == [[counting.election.pk]]
    assert "计票" in page


def test_nothing_is_kept_between_pages(client, clerk, counting, monkeypatch):
    calls = _counting_calls(monkeypatch)
    before = extensions.election_statuses([counting.election])[counting.election.pk][0].label
    enter_tally(by=clerk, round=counting.round, station=counting.central, values=central_sheet(counting))
    enter_tally(by=clerk, round=counting.round, station=counting.group, values=group_sheet(counting))
    after = extensions.election_statuses([counting.election])[counting.election.pk][0].label
    assert len(calls) == 2 and before != after
