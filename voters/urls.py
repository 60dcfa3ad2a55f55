from django.urls import path

from .views import imports, register

app_name = "voters"

urlpatterns = [
    # --- register, publication, amendments, appeals, proxies (views/register.py and friends)
    path("elections/<int:pk>/voters/", register.voter_list, name="voter-list"),
    # --- Excel import (views/imports.py)
    path("elections/<int:pk>/voters/import/", imports.import_upload, name="import-upload"),
]
