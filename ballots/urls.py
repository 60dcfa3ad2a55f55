from django.urls import path

from .views import counting, documents, levels, papers, party, results, rounds, stations, tallies

app_name = "ballots"

E = "elections/<int:pk>/"
R = E + "rounds/<int:round_pk>/"

urlpatterns = [
    path(E + "stations/", stations.station_list, name="station-list"),
    path(E + "stations/new/", stations.station_create, name="station-create"),
    path(E + "stations/per-group/", stations.stations_per_group, name="stations-per-group"),
    path(E + "stations/<int:station_pk>/edit/", stations.station_edit, name="station-edit"),
    path(E + "stations/<int:station_pk>/voters/", stations.mobile_box_voters, name="mobile-box-voters"),
    path(E + "stations/<int:station_pk>/approve/", stations.mobile_box_approve, name="mobile-box-approve"),
    path(E + "counting-options/", stations.counting_options, name="counting-options"),
    path(E + "rounds/", rounds.round_list, name="round-list"),
    path(E + "rounds/new/<str:kind>/", rounds.round_open, name="round-open"),
    path(R, rounds.round_detail, name="round-detail"),
    path(R + "void/", rounds.round_void, name="round-void"),
    path(R + "stations/<int:station_pk>/tally/", tallies.tally_entry, name="tally-entry"),
    path(R + "stations/<int:station_pk>/compare/", tallies.tally_compare, name="tally-compare"),
    path(R + "stations/<int:station_pk>/ballots/", counting.ballot_count, name="ballot-count"),
    path(R + "stations/<int:station_pk>/ballots/add/", counting.ballot_add, name="ballot-add"),
    path(R + "stations/<int:station_pk>/ballots/<int:ballot_pk>/withdraw/", counting.ballot_withdraw,
         name="ballot-withdraw"),
    path(R + "stations/<int:station_pk>/ballots/finish/", counting.ballot_count_finish, name="ballot-count-finish"),
    path(R + "stations/<int:station_pk>/board/", counting.counting_board, name="counting-board"),
    path(E + "write-ins/", tallies.write_in_list, name="write-in-list"),
    path(E + "write-ins/rule/", tallies.write_in_rule, name="write-in-rule"),
    path(E + "results/", results.results, name="results"),
    path(E + "results/announce/", results.announce, name="announce"),
    path(E + "results/void/", results.void_decision, name="void-decision"),
    path(R + "ballot.pdf", documents.ballot_pdf, name="ballot-pdf"),
    path(R + "tally-sheet.pdf", documents.tally_sheet_blank, name="tally-sheet-blank"),
    path(R + "stations/<int:station_pk>/tally-sheet.pdf", documents.tally_sheet, name="tally-sheet"),
    path(E + "results/report.pdf", documents.results_report, name="results-report"),
    # --- the papers an office prints (views/papers.py)
    path(E + "voter-cards.pdf", papers.voter_cards, name="voter-cards-pdf"),
    path(E + "notices/election-day.pdf", papers.election_day_notice, name="election-day-notice-pdf"),
    path(E + "notices/results.pdf", papers.results_notice, name="results-notice-pdf"),
    path(E + "results/certificates.pdf", papers.certificates, name="certificates-pdf"),
    path(R + "ballot-quantities.pdf", papers.ballot_quantities, name="ballot-quantities-pdf"),
    # --- a Party election's 党员大会 (views/party.py)
    path(R + "attendance/", party.round_attendance, name="party-attendance"),
    path(E + "results/shortfall/", party.shortfall, name="party-shortfall"),
    path(E + "results/committee-posts/", party.post_vote, name="party-post-vote"),
    path(E + "results/upper-report.pdf", party.upper_report, name="party-upper-report"),
    # --- a 人大 round's results for the level (views/levels.py)
    path("deputies/<int:pk>/results/", levels.level_results_page, name="level-results"),
    path("deputies/<int:pk>/elected.pdf", levels.elected_deputies_pdf, name="elected-deputies-pdf"),
]
