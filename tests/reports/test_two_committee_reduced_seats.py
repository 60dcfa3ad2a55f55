"""The 两委 report reads a Party election's results as decided: seats reduced after a 党员大会's shortfall (减少名额,
with the upper level's consent) are the branch's seats, so the committee elected in full is 选举到位."""

from reports.figures import Share
from reports.scopes import get_scope
from reports.two_committee_queries import build_two_committee_report
from tests.ballots.test_party_results import DAY, branch, vote  # noqa: F401 (fixtures)
from ballots.services import party as party_services
from ballots.services.announcement import announce_results
from villages.models import Election


def test_seats_reduced_at_the_meeting_are_the_branch_seats(branch, clerk, township):  # noqa: F811
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])  # four above half of 41, one seat short
    party_services.decide_shortfall(by=clerk, election=branch.election, choice="reduce", decided_on=DAY, today=DAY,
                                    upper_consent="青山镇党委〔2026〕12号", meeting_for=30, meeting_present=41)
    announce_results(by=clerk, election=Election.objects.get(pk=branch.election.pk), on=DAY, today=DAY)
    scope = get_scope("township", township.code)
    report = build_two_committee_report(scope)
    rows = {row.name: (row.branch_seats, row.branch_elected) for row in report.village_rows}
    assert rows["东山村"] == (4, 4)
    assert (report.branch.seats, report.branch.filled) == (4, Share(4, 4))
