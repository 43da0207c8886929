from django.urls import path

from meetings.views import notices, rectification

app_name = "meetings"

urlpatterns: list = [
    path("notice/<slug:race>/<str:period>/", notices.race_notice, name="race-notice"),
    path(
        "notice/<slug:race>/<str:period>/docx/",
        notices.race_notice_docx,
        name="race-notice-docx",
    ),
    path("rectification/", rectification.followup, name="followup"),
    path("rectification/<int:pk>/", rectification.item_detail, name="rectification"),
    path(
        "rectification/<int:pk>/<str:action>/",
        rectification.item_act,
        name="rectification-act",
    ),
]
