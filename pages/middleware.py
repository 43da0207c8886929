"""Response headers every page of Saima needs."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_cache_control


class PrivateCachingMiddleware:
    """Signed-in pages are for their reader only; downloaded files are not kept at all.

    A shared proxy must never hand one official's page to another (``private``), and an
    exported spreadsheet must not linger in a browser or proxy cache (``no-store``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            response["Cache-Control"] = "no-store"
        # Without a session cookie nobody is signed in; asking request.user would read the
        # session and add "Vary: Cookie" to every anonymous response.
        elif (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True)
        return response
