from django.urls import path

from .views import congress, deputies, nominations, party, publication

app_name = "candidates"

urlpatterns = [
    path("congress/<int:pk>/composition/", congress.congress_composition, name="congress-composition"),
    path("congress/<int:pk>/credentials/", congress.congress_credentials, name="congress-credentials"),
    path("congress/<int:pk>/composition.pdf", congress.congress_composition_pdf, name="congress-composition-pdf"),
    path("congress/<int:pk>/vote/", congress.congress_vote, name="congress-vote"),
    path("congress/<int:pk>/vote.pdf", congress.congress_vote_pdf, name="congress-vote-pdf"),
    path("elections/<int:pk>/candidates/", nominations.candidate_list, name="candidate-list"),
    path("elections/<int:pk>/candidates/new/", nominations.candidate_create, name="candidate-create"),
    path(
        "elections/<int:pk>/candidates/<int:candidate_pk>/nominations/",
        nominations.candidate_nominations,
        name="candidate-nominations",
    ),
    path("elections/<int:pk>/candidates/<int:candidate_pk>/votes/", nominations.candidate_votes, name="candidate-votes"),
    path(
        "elections/<int:pk>/candidates/<int:candidate_pk>/withdraw/",
        nominations.candidate_withdraw,
        name="candidate-withdraw",
    ),
    path("elections/<int:pk>/candidates/publish/", publication.candidate_list_publish, name="candidate-list-publish"),
    path("elections/<int:pk>/candidates/list.pdf", publication.candidate_list_pdf, name="candidate-list-pdf"),
    # 人大 选区 only (candidates.views.deputies)
    path("elections/<int:pk>/candidates/initial-list/", deputies.initial_list, name="deputy-initial-list"),
    path("elections/<int:pk>/candidates/primary/", deputies.primary, name="deputy-primary"),
    # 村党组织换届选举 only (candidates.views.party): the method, each stage, the township's review, the papers
    path("elections/<int:pk>/candidates/party/method/", party.method, name="party-method"),
    path("elections/<int:pk>/candidates/party/stages/<slug:stage>/", party.stage, name="party-stage"),
    path("elections/<int:pk>/candidates/party/stages/<slug:stage>/paper.pdf", party.paper_pdf, name="party-paper-pdf"),
    path("elections/<int:pk>/candidates/party/review/", party.review, name="party-review"),
]
