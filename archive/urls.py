from django.urls import path

from .views import certification as views
from .views import records

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
    # --- The election archive (views/records.py)
    path("elections/<int:pk>/archive/", records.document_list, name="document-list"),
    path("elections/<int:pk>/archive/generate/", records.document_generate, name="document-generate"),
    path("elections/<int:pk>/archive/upload/", records.document_upload, name="document-upload"),
    path("elections/<int:pk>/archive/<int:document_pk>/", records.document_download, name="document-download"),
    path("elections/<int:pk>/archive/<int:document_pk>/destroy/", records.document_destroy, name="document-destroy"),
    path("villages/<int:pk>/archive/", records.village_index, name="village-index"),
    path("townships/<int:pk>/archive/", records.township_index, name="township-index"),
    path("archive/retention/", records.retention_list, name="retention-list"),
    path("archive/retention/<str:kind>/", records.retention_edit, name="retention-edit"),
]
