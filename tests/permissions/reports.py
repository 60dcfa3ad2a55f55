"""Matrix entries for the reports app: rosters, the report page (by village scope; township and county
scopes are covered role by role in tests/reports/test_views.py), its exports and background jobs."""

from django.core.files.base import ContentFile

from reports.models import ReportExport, Roster, RosterMember
from tests.permissions.matrix import ANY_USER, READ, SETUP_CREATE, Entry, _none

# Office staff and supervisors land on their township's report; a liaison officer with one village on
# it; an administrator chooses.
REPORT_HOME = {"admin": (200,) * 3, "clerk": (302,) * 3, "liaison": (302,) * 3, "supervisor": (302,) * 3}


def _village_scope(w, s):
    return {"kind": "village", "code": w[s]["village"].code}


def _export(w, s):
    return {"pk": w[s]["report_export"].pk}


def _two_committee_scope(w, s):
    """The 两委 report: "own" is liaison_a's township, "sibling" its county, "foreign" another county's township."""
    township = w["own" if s == "sibling" else s]["village"].township
    return {"kind": "county", "code": township.county.code} if s == "sibling" else {"kind": "township",
                                                                                  "code": township.code}


# A township's 两委 report: the township's office and supervisors (never a liaison officer); a county's: an
# administrator, the county's office and county supervisors.
TWO_COMMITTEE_READ = {
    "admin": (200, 200, 200),
    "clerk": (200, 404, 404),
    "liaison": (404, 404, 404),
    "supervisor": (200, 404, 404),
    "county_office": (200, 200, 404),
}

# The congresses' composition report: a liaison officer works villages, not a township's congress — their home is
# the (empty) choice, every scope a 404.
CONGRESS_HOME = REPORT_HOME | {"liaison": (200,) * 3}

ENTRIES: dict[str, Entry] = {
    "reports:roster-list": Entry(_none, ANY_USER),
    "reports:roster-import": Entry(_none, SETUP_CREATE),
    # The blank roster of the user's own township (office staff; an administrator: the first township).
    "reports:roster-template": Entry(_none, SETUP_CREATE),
    "reports:roster-detail": Entry(lambda w, s: {"pk": w[s]["roster"].pk}, READ),
    "reports:report-home": Entry(_none, REPORT_HOME),
    "reports:report": Entry(_village_scope, READ),
    # Supervisors read and export; a village's file is built during the request (200 with the file).
    "reports:report-export": Entry(lambda w, s: _village_scope(w, s) | {"fmt": "xlsx"}, READ, method="post"),
    "reports:export-detail": Entry(_export, READ),
    "reports:export-progress": Entry(_export, READ),
    "reports:export-download": Entry(_export, READ),
    "reports:two-committees-home": Entry(_none, REPORT_HOME),
    "reports:two-committees-village": Entry(lambda w, s: {"code": w[s]["village"].code}, READ),
    "reports:two-committees": Entry(_two_committee_scope, TWO_COMMITTEE_READ),
    "reports:two-committees-export": Entry(lambda w, s: _two_committee_scope(w, s) | {"fmt": "xlsx"}, TWO_COMMITTEE_READ),
    # The branch elections' process report: the 两委 report's access (a liaison officer reads their villages only,
    # tested in tests/reports/test_branch_process.py).
    "reports:branch-process-home": Entry(_none, REPORT_HOME),
    "reports:branch-process": Entry(_two_committee_scope, TWO_COMMITTEE_READ),
    "reports:branch-process-export": Entry(lambda w, s: _two_committee_scope(w, s) | {"fmt": "xlsx"}, TWO_COMMITTEE_READ),
    "reports:congress-report-home": Entry(_none, CONGRESS_HOME),
    "reports:congress-report": Entry(_two_committee_scope, TWO_COMMITTEE_READ),
    "reports:congress-report-export": Entry(lambda w, s: _two_committee_scope(w, s) | {"fmt": "xlsx"}, TWO_COMMITTEE_READ),
}


def extend_world(w, users):
    for scope in ("own", "sibling", "foreign"):
        roster = Roster.objects.create(
            village=w[scope]["village"], kind=Roster.Kind.PARTY_BRANCH, term_number=11, imported_by=users["clerk"]
        )
        RosterMember.objects.create(
            roster=roster, name="书记", id_number="11010519491231002X", sex="F", birth_date="1949-12-31", post="secretary"
        )
        w[scope]["roster"] = roster
        village = w[scope]["village"]
        export = ReportExport(
            kind="village", code=village.code, label=village.name, county=village.township.county,
            township=village.township, village=village, format="xlsx", state=ReportExport.State.DONE, progress=100,
            filename="report.xlsx", requested_by=users["clerk"],
        )
        export.file.save("report.xlsx", ContentFile(b"PK"), save=False)
        export.save()
        w[scope]["report_export"] = export
