"""Meeting pages: the list, planning and editing, the meeting with its agenda, the minutes."""

from __future__ import annotations

urlpatterns: list = []
