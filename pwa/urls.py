from __future__ import annotations

from django.urls import path

from pwa.views import content, player

app_name = "pwa"

urlpatterns = [
    path("", content.home, name="home"),
    path("conditions/", content.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", content.condition_detail, name="condition"),
    path("exercises/", content.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", content.exercise_detail, name="exercise"),
    path("routines/", content.routine_list, name="routines"),
    path("routines/<slug:slug>/", content.routine_detail, name="routine"),
    path("routines/<slug:slug>/play/", player.player, name="player"),
    path("history/", player.history, name="history"),
]
