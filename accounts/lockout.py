"""Sign-in lockout (django-axes): whose address a sign-in came from, and the page it gets.

Settings: LOCKOUT_FAILURES, LOCKOUT_MINUTES and TRUSTED_PROXY_COUNT (config/settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in came from, as the outermost trusted proxy saw it.

    Without proxies (TRUSTED_PROXY_COUNT=0) it is REMOTE_ADDR. Behind a proxy, REMOTE_ADDR
    is the proxy's own address, the same for everyone: locking it out would lock out every
    user. Each proxy appends the address it received from to X-Forwarded-For, so behind N
    proxies the N-th entry from the right is the client; entries further left were written
    by the client and could be anything.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies <= 0 or not forwarded:
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a locked-out sign-in gets (429 Too Many Requests), in the reader's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"lockout_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
