from django.urls import path

from . import branch_process_views, congress_report_views, two_committee_views, views

app_name = "reports"

urlpatterns = [
    path("rosters/", views.roster_list, name="roster-list"),
    path("rosters/import/", views.roster_import, name="roster-import"),
    path("rosters/template/", views.roster_template, name="roster-template"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster-detail"),
]

urlpatterns += [
    path("report/", views.report_home, name="report-home"),
    path("report/<slug:kind>/<slug:code>/", views.report, name="report"),
    path("report/<slug:kind>/<slug:code>/export/<slug:fmt>/", views.report_export, name="report-export"),
    path("exports/<int:pk>/", views.export_detail, name="export-detail"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export-progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export-download"),
]

urlpatterns += [
    path("deputies/", views.deputy_report_home, name="deputy-report-home"),
    path("deputies/<slug:kind>/<slug:code>/", views.deputy_report, name="deputy-report"),
    path("deputies/<slug:kind>/<slug:code>/export/<slug:fmt>/", views.deputy_report_export,
         name="deputy-report-export"),
]

# The 两委 (village Party organisation and village committee) view and report (reports.two_committee_views).
urlpatterns += [
    path("two-committees/", two_committee_views.two_committee_home, name="two-committees-home"),
    path("two-committees/village/<slug:code>/", two_committee_views.two_committee_village,
         name="two-committees-village"),
    path("two-committees/<slug:kind>/<slug:code>/", two_committee_views.two_committee_report, name="two-committees"),
    path("two-committees/<slug:kind>/<slug:code>/export/<slug:fmt>/", two_committee_views.two_committee_export,
         name="two-committees-export"),
]

# The branch elections' process report (reports.branch_process_views).
urlpatterns += [
    path("party-branches/", branch_process_views.branch_process_home, name="branch-process-home"),
    path("party-branches/<slug:kind>/<slug:code>/", branch_process_views.branch_process_report, name="branch-process"),
    path("party-branches/<slug:kind>/<slug:code>/export/<slug:fmt>/", branch_process_views.branch_process_export,
         name="branch-process-export"),
]

# The township Party congresses' delegate composition report (reports.congress_report_views).
urlpatterns += [
    path("party-congresses/", congress_report_views.congress_report_home, name="congress-report-home"),
    path("party-congresses/<slug:kind>/<slug:code>/", congress_report_views.congress_report, name="congress-report"),
    path("party-congresses/<slug:kind>/<slug:code>/export/<slug:fmt>/", congress_report_views.congress_report_export,
         name="congress-report-export"),
]
