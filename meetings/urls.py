from django.urls import path

from meetings.views import notices

app_name = "meetings"

urlpatterns: list = [
    path("notice/<slug:race>/<str:period>/", notices.race_notice, name="race-notice"),
    path(
        "notice/<slug:race>/<str:period>/docx/",
        notices.race_notice_docx,
        name="race-notice-docx",
    ),
]
