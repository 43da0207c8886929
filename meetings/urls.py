"""URLs of the meetings app under /meetings/: each view module lists its own patterns."""

from meetings.views import meetings, notices, rectification, speeches, tasks

app_name = "meetings"

urlpatterns: list = [
    *meetings.urlpatterns,
    *notices.urlpatterns,
    *rectification.urlpatterns,
    *speeches.urlpatterns,
    *tasks.urlpatterns,
]
