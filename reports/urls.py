from django.urls import path

from . import views

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
