from django.urls import path

from .views import appeals, documents, imports, party, proxies, register, search

app_name = "voters"

urlpatterns = [
    path("people/", search.person_search, name="person-search"),
    # --- register, publication, amendments, appeals, proxies (views/register.py and friends)
    path("elections/<int:pk>/voters/", register.voter_list, name="voter-list"),
    path("elections/<int:pk>/voters/new/", register.voter_create, name="voter-create"),
    path("elections/<int:pk>/voters/<int:voter_pk>/", register.voter_detail, name="voter-detail"),
    path("elections/<int:pk>/voters/<int:voter_pk>/edit/", register.voter_edit, name="voter-edit"),
    path("elections/<int:pk>/voters/<int:voter_pk>/add-to-list/", register.voter_add_to_list, name="voter-add-to-list"),
    path(
        "elections/<int:pk>/voters/<int:voter_pk>/remove-from-list/",
        register.voter_remove_from_list,
        name="voter-remove-from-list",
    ),
    path("elections/<int:pk>/voters/publish/", register.publish, name="publish"),
    path("elections/<int:pk>/voters/carry-forward/", register.carry_forward, name="register-carry-forward"),
    path("elections/<int:pk>/voters/list.pdf", documents.published_list_pdf, name="published-list-pdf"),
    path("elections/<int:pk>/voters/prints/<int:print_pk>/", documents.list_print, name="list-print"),
    path("elections/<int:pk>/voters/prints/<int:print_pk>/progress/", documents.list_print_progress, name="list-print-progress"),
    path("elections/<int:pk>/voters/prints/<int:print_pk>/download/", documents.list_print_download,
         name="list-print-download"),
    path("elections/<int:pk>/voters/list.xlsx", documents.published_list_xlsx, name="published-list-xlsx"),
    path("elections/<int:pk>/amendments/", register.amendment_list, name="amendment-list"),
    path("elections/<int:pk>/amendments/changes.pdf", documents.amendments_pdf, name="amendments-pdf"),
    path("elections/<int:pk>/amendments/<int:batch_pk>/publish/", register.amendment_publish, name="amendment-publish"),
    path("elections/<int:pk>/register-changes/", register.register_changes, name="register-changes"),
    path("elections/<int:pk>/register-changes/reason/", register.change_reason, name="register-change-reason"),
    path("elections/<int:pk>/appeals/", appeals.appeal_list, name="appeal-list"),
    path("elections/<int:pk>/appeals/decisions.pdf", documents.appeals_pdf, name="appeals-pdf"),
    path("elections/<int:pk>/appeals/new/", appeals.appeal_create, name="appeal-create"),
    path("elections/<int:pk>/appeals/<int:appeal_pk>/decide/", appeals.appeal_decide, name="appeal-decide"),
    path("elections/<int:pk>/appeals/<int:appeal_pk>/publish/", appeals.appeal_publish, name="appeal-publish"),
    path("elections/<int:pk>/proxies/", proxies.proxy_list, name="proxy-list"),
    path("elections/<int:pk>/proxies/new/", proxies.proxy_create, name="proxy-create"),
    path("elections/<int:pk>/proxies/<int:proxy_pk>/approve/", proxies.proxy_approve, name="proxy-approve"),
    path("elections/<int:pk>/proxies/<int:proxy_pk>/revoke/", proxies.proxy_revoke, name="proxy-revoke"),
    path("elections/<int:pk>/proxies/publish/", proxies.proxy_publish, name="proxy-publish"),
    path("elections/<int:pk>/proxies/list.pdf", documents.proxy_list_pdf, name="proxy-list-pdf"),
    path("elections/<int:pk>/proxies/certificates.pdf", documents.proxy_certificates_pdf, name="proxy-certificates-pdf"),
    # --- the Party member register of a Party election (views/party.py)
    path("elections/<int:pk>/party-members/", party.member_register, name="party-register"),
    path("elections/<int:pk>/party-members/excusals/new/", party.excusal_create, name="excusal-create"),
    path("elections/<int:pk>/party-members/excusals/<int:excusal_pk>/withdraw/", party.excusal_withdraw,
         name="excusal-withdraw"),
    # --- Excel import (views/imports.py)
    path("elections/<int:pk>/voters/import/", imports.import_upload, name="import-upload"),
    path("elections/<int:pk>/voters/import/template.xlsx", imports.import_template, name="import-template"),
    path("elections/<int:pk>/voters/import/<int:job_pk>/", imports.import_detail, name="import-detail"),
    path("elections/<int:pk>/voters/import/<int:job_pk>/progress/", imports.import_progress, name="import-progress"),
    path("elections/<int:pk>/voters/import/<int:job_pk>/confirm/", imports.import_confirm, name="import-confirm"),
    path(
        "elections/<int:pk>/voters/import/<int:job_pk>/annotated.xlsx", imports.import_annotated, name="import-annotated"
    ),
]
