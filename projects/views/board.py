"""The weekly scheduling board (周调度) and its exports."""

urlpatterns: list = []
