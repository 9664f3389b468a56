from __future__ import annotations

from django.urls import path

from pwa.views import (
    content,
    handout,
    journal,
    offline,
    player,
    return_to_run,
    selfcheck,
    updates,
)

app_name = "pwa"

urlpatterns = [
    path("", content.home, name="home"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.web_manifest, name="web_manifest"),
    path("offline/", offline.offline_page, name="offline"),
    path("self-check/", selfcheck.selfcheck, name="selfcheck"),
    path("self-check/save/", selfcheck.selfcheck_save, name="selfcheck_save"),
    path("conditions/", content.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", content.condition_detail, name="condition"),
    path("exercises/", content.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", content.exercise_detail, name="exercise"),
    path("routines/", content.routine_list, name="routines"),
    path("routines/<slug:slug>/", content.routine_detail, name="routine"),
    path("routines/<slug:slug>/play/", player.player, name="player"),
    path("routines/<slug:slug>/print/", handout.routine_handout, name="routine_handout"),
    path("history/", player.history, name="history"),
    path("me/routine-updates/", updates.routine_updates_partial, name="routine_updates"),
    path("checkin/", journal.checkin, name="checkin"),
    path("checkin/<str:day>/", journal.checkin_result, name="checkin_result"),
    path("progress/", journal.progress, name="progress"),
    path("return-to-running/", return_to_run.plan, name="return_to_running"),
    path("return-to-running/you/", return_to_run.you, name="return_to_running_you"),
    path("return-to-running/step/", return_to_run.step, name="return_to_running_step"),
]
