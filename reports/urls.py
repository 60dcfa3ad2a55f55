from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rosters/", views.roster_list, name="roster-list"),
    path("rosters/import/", views.roster_import, name="roster-import"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster-detail"),
]
