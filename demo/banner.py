"""Whether the illustrative demo data is loaded, read once rather than on every page.

Once demo figures are in the database they stay there, so a "yes" is kept for the life of
the process. A "no" is checked again at most once a minute, so demo data loaded into a
running deployment is labelled within a minute, never shown for long without its banner.
"""

from __future__ import annotations

import time

from districts.models import Indicator

RECHECK_SECONDS = 60.0

_loaded = False
_checked_at: float | None = None


def demo_data_loaded() -> bool:
    global _loaded, _checked_at
    now = time.monotonic()
    if not _loaded and (_checked_at is None or now - _checked_at >= RECHECK_SECONDS):
        from demo.city import DEMO_SOURCE

        _loaded = Indicator.objects.filter(source=DEMO_SOURCE).exists()
        _checked_at = now
    return _loaded


def demo_flag_forget() -> None:
    """Read the flag again on the next page (after loading the demo, and between tests)."""
    global _loaded, _checked_at
    _loaded, _checked_at = False, None
