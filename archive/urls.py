from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("elections/<int:pk>/certify/", views.certify, name="certify"),
    path("elections/<int:pk>/unlock/", views.unlock_request, name="unlock-request"),
    path("unlock-requests/", views.unlock_list, name="unlock-list"),
    path("unlock-requests/<int:request_pk>/approve/", views.unlock_approve, name="unlock-approve"),
    path("elections/<int:pk>/handover/", views.handover, name="handover"),
    path("elections/<int:pk>/handover/complete/", views.handover_complete, name="handover-complete"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/new/", views.complaint_create, name="complaint-create"),
    path("complaints/<int:pk>/edit/", views.complaint_edit, name="complaint-edit"),
]
