"""The meetings app's models, one module per part: the meeting with its agenda, speeches and
deployment tasks (meeting.py), and rectification (整改) follow-up (rectification.py)."""

from .meeting import *  # noqa: F401,F403
from .rectification import *  # noqa: F401,F403
