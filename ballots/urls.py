from django.urls import path

from .views import stations

app_name = "ballots"

urlpatterns = [
    path("elections/<int:pk>/stations/", stations.station_list, name="station-list"),
]
