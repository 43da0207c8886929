"""What every request and response of Saima goes through: refusing NUL bytes, cache headers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
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


class NulByteRefusalMiddleware:
    """A request carrying a NUL byte is a bad request (400), answered before any view runs.

    No page of Saima takes a NUL: it is never text a person typed. Django's form fields
    refuse it, but path segments, query parameters read by views and selectors, admin
    filters and searches, cookies and headers reach the database as they are, and
    PostgreSQL cannot hold a NUL in text (psycopg raises "A string literal cannot contain
    NUL (0x00) characters"): without this every such request would be a server error.
    Reading request.POST here fixes the upload handlers before the view; no view of Saima
    changes them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            raise BadRequest("The request holds a NUL byte.")
        return self.get_response(request)


def _carries_nul(request) -> bool:
    texts = [request.path, *_query_texts(request.GET)]
    texts += [value for key, value in request.COOKIES.items() for value in (key, value)]
    texts += [value for key, value in request.META.items() if key.startswith("HTTP_")]
    if request.method == "POST":
        texts += _query_texts(request.POST)
        texts += [upload.name or "" for _, uploads in request.FILES.lists() for upload in uploads]
    return any(isinstance(text, str) and "\x00" in text for text in texts)


def _query_texts(query) -> list[str]:
    return [text for key, values in query.lists() for text in (key, *values)]
