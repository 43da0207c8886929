"""Key project pages: the list, a project, a unit's weekly report, problems."""

urlpatterns: list = []
