"""Sessions that expire after SESSION_IDLE_MINUTES without a request.

Django extends a session only when it is saved. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) costs a database write per page, so instead the session is
marked as touched at sign-in and re-saved at most once a minute: an idle session then
expires between one minute before and exactly SESSION_IDLE_MINUTES after the last request.
"""

from __future__ import annotations

import time

from django.conf import settings

TOUCHED_AT_KEY = "saima_touched_at"
REFRESH_AFTER_SECONDS = 60


def session_touch(session) -> None:
    """Record now as the session's last activity; the session is saved with a new expiry."""
    session[TOUCHED_AT_KEY] = int(time.time())


def touch_on_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver for ``user_logged_in``: a fresh session starts as touched."""
    if request is not None and hasattr(request, "session"):
        session_touch(request.session)


class IdleSessionMiddleware:
    """Extends a signed-in session when its last recorded activity is a minute old or more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request that already carries a session cookie can extend one; reading the
        # session of any other request would add "Vary: Cookie" to anonymous pages.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            touched_at = request.session.get(TOUCHED_AT_KEY)
            if not isinstance(touched_at, int) or time.time() - touched_at >= REFRESH_AFTER_SECONDS:
                session_touch(request.session)
        return self.get_response(request)
