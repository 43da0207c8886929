"""HTTP validators and the page cache of a published leaderboard.

A published leaderboard changes only when its publication's state does (a new revision, a
comment, a renamed district: see PublishedLeaderboardState), so the page names what it shows
by that state, the reader's language and what the reader's role adds to it. The same name
serves as the ETag (a browser asking again gets a 304) and as the key of the rendered table
in Django's cache (another reader asking gets it without a standing being read). Previews
are computed afresh and never cached.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from rankings.selectors.leaderboard_pages import PublishedLeaderboardState

# The query parameters of a published leaderboard. A request with any other is answered
# but its table is not kept: a cache entry per made-up parameter would only push out the
# entries readers use.
TABLE_PARAMETERS = frozenset({"revision", "show", "sort", "page", "q", "district__kind"})
# A kept table is never stale for what the state covers; the timeout bounds how long one
# outlives an edit the state does not see (a group renamed, a bulk update of names).
TABLE_TIMEOUT = 60 * 60


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def reader_view(*, is_bureau: bool) -> str:
    """What a role changes on a published leaderboard: the bureau sees the preview link and
    the "inputs changed" notice; every other role sees the same page."""
    return "bureau" if is_bureau else "reader"


def leaderboard_table_key(
    state: PublishedLeaderboardState, *, view: str, query: QueryDict
) -> str | None:
    """The cache key of the rendered table for this state, language, role and query; None
    when the query holds a parameter the page does not read (not worth keeping)."""
    if not set(query) <= TABLE_PARAMETERS:
        return None
    canonical = urlencode(sorted((name, sorted(query.getlist(name))) for name in query), True)
    return f"leaderboard-table:v1:{state.version}:{get_language()}:{view}:{_digest(canonical)}"


def leaderboard_page_key(*, table_key: str | None, etag: str | None) -> str | None:
    """The cache key of the whole page for one reader: the table's key and the page's ETag
    (which names the reader, their CSRF secret, language and role); None when either is."""
    if table_key is None or etag is None:
        return None
    return f"leaderboard-page:v1:{etag}:{table_key}"


def _messages_pending(request: HttpRequest) -> bool:
    # len() reads the stored messages without marking them shown.
    return len(get_messages(request)) > 0


def leaderboard_etag(
    request: HttpRequest, state: PublishedLeaderboardState, *, view: str, inputs_changed: bool
) -> str | None:
    """The page's ETag; None while a message waits to be shown (a 304 would hide it).

    Besides what the table shows, the page shows who is signed in and carries their CSRF
    token, so a browser where another user signed in, or the same user signed in again,
    gets the page afresh.
    """
    if _messages_pending(request):
        return None
    user = request.user
    get_token(request)  # a first visit's page carries a new CSRF secret: name that one
    csrf = request.META.get("CSRF_COOKIE") or ""
    return _digest(
        state.version,
        get_language(),
        view,
        inputs_changed,
        user.pk,
        user.is_staff,
        hashlib.sha256(csrf.encode()).hexdigest(),
    )


def leaderboard_last_modified(
    request: HttpRequest, state: PublishedLeaderboardState, *, inputs_changed: bool
) -> datetime | None:
    """The latest change the page shows; None while a message waits to be shown.

    A sign-in renews the page (the header names the user). The "inputs changed" notice comes
    from figures corrected after publishing, which no time here records, so while it shows
    the page counts as changed now.
    """
    if _messages_pending(request):
        return None
    if inputs_changed:
        return timezone.now()
    last_login = request.user.last_login
    return max(state.last_changed, last_login) if last_login else state.last_changed
