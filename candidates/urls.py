from django.urls import path

from .views import nominations

app_name = "candidates"

urlpatterns = [
    path("elections/<int:pk>/candidates/", nominations.candidate_list, name="candidate-list"),
]
