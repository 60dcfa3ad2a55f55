"""Every print and export leaves an audit entry naming who took which file (issue 6, "every export and
print"): each document URL is opened by the supervisor and the log is read back."""

import pytest
from django.urls import reverse

from tests.archive.test_filing import records  # noqa: F401  (fixture)
from villages.models import AuditEntry


def _kwargs(election, name):
    round = election.rounds.get(number=1)
    station = round.stations.order_by("pk").first()
    return {
        "ballots:ballot-pdf": {"pk": election.pk, "round_pk": round.pk},
        "ballots:tally-sheet-blank": {"pk": election.pk, "round_pk": round.pk},
        "ballots:tally-sheet": {"pk": election.pk, "round_pk": round.pk, "station_pk": station.pk},
    }.get(name, {"pk": election.pk})


@pytest.mark.parametrize(
    "name,action,filename",
    [
        ("voters:published-list-pdf", "voters.published_list.printed", "选民名单（A4纵向）.pdf"),
        ("voters:published-list-xlsx", "voters.published_list.exported", "选民名单.xlsx"),
        ("voters:amendments-pdf", "voters.amendments.printed", "选民增减名单（全部）.pdf"),
        ("voters:proxy-list-pdf", "voters.proxy_list.printed", "委托投票名单.pdf"),
        ("voters:appeals-pdf", "voters.appeals.printed", "选民资格申诉及处理决定.pdf"),
        ("candidates:candidate-list-pdf", "candidates.candidate_list.printed", "正式候选人名单.pdf"),
        ("ballots:ballot-pdf", "ballots.ballot.printed", "第1轮 正式选举选票.pdf"),
        ("ballots:tally-sheet-blank", "ballots.tally_sheet.printed", "计票结果报告单.pdf"),
        ("ballots:tally-sheet", "ballots.tally_sheet.printed", "中心会场计票结果报告单.pdf"),
        ("ballots:results-report", "ballots.results_report.printed", "选举结果报告单.pdf"),
    ],
)
def test_every_print_and_export_is_logged(client, records, supervisor, name, action, filename):  # noqa: F811
    client.force_login(supervisor)
    response = client.get(reverse(name, kwargs=_kwargs(records, name)))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=action)
    assert entry.actor == supervisor and entry.village_id == records.village_id
    assert entry.changes["filename"] == [None, f"{records.village.name}{filename}"]
    assert entry.changes["bytes"] == [None, len(response.content)]
