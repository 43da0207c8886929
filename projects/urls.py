"""URLs of the projects app under /projects/: each view module lists its own patterns."""

from projects.views import board, projects

app_name = "projects"

urlpatterns: list = [
    *projects.urlpatterns,
    *board.urlpatterns,
]
