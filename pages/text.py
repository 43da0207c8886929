"""Text typed by users into records that officials read: what every service strips from it."""

from __future__ import annotations

import re

# Right-to-left overrides and invisible characters can make a text read differently from what
# it says (or hide words); none has a place in a remark, a speech, a task or a title.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible_text(text: str | None) -> str:
    """The text without invisible or direction-changing characters, trimmed."""
    return INVISIBLE.sub("", text or "").strip()
