from django.urls import path

from .views import audit, dashboard, elections, places, users

app_name = "villages"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("county/", dashboard.county_dashboard, name="county-dashboard"),
    path("history/<str:model>/<int:pk>/", dashboard.object_history, name="object-history"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/export/", audit.audit_export, name="audit-export"),
    path("counties/new/", places.county_create, name="county-create"),
    path("townships/", places.township_list, name="township-list"),
    path("townships/new/", places.township_create, name="township-create"),
    path("townships/<int:pk>/edit/", places.township_edit, name="township-edit"),
    path("villages/", places.village_list, name="village-list"),
    path("villages/new/", places.village_create, name="village-create"),
    path("villages/<int:pk>/", places.village_detail, name="village-detail"),
    path("villages/<int:pk>/edit/", places.village_edit, name="village-edit"),
    path("villages/<int:pk>/groups/new/", places.group_create, name="group-create"),
    path("villages/<int:pk>/groups/<int:group_pk>/edit/", places.group_edit, name="group-edit"),
    path("constituencies/", places.constituency_list, name="constituency-list"),
    path("constituencies/new/", places.constituency_create, name="constituency-create"),
    path("constituencies/<int:pk>/edit/", places.constituency_edit, name="constituency-edit"),
    path("campaigns/", elections.campaign_list, name="campaign-list"),
    path("campaigns/new/", elections.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", elections.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/close/", elections.campaign_close, name="campaign-close"),
    path("elections/<int:pk>/", elections.election_detail, name="election-detail"),
    path("elections/<int:pk>/setup/", elections.election_setup, name="election-setup"),
    path("elections/<int:pk>/postpone/", elections.election_postpone, name="election-postpone"),
    path("elections/<int:pk>/advance/", elections.election_advance, name="election-advance"),
    path("elections/<int:pk>/committee/new/", elections.committee_member_create, name="committee-member-create"),
    path(
        "elections/<int:pk>/committee/<int:member_pk>/edit/",
        elections.committee_member_edit,
        name="committee-member-edit",
    ),
    path("presets/", elections.preset_list, name="preset-list"),
    path("presets/<int:pk>/", elections.preset_detail, name="preset-detail"),
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/edit/", users.user_edit, name="user-edit"),
]
