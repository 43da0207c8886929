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

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from districts.periods import Period
from pages.versioned_cache import (
    versioned_get_or_load,
    versions_read_with_every_request,
    versions_renew,
)
from rankings.selectors.leaderboard_pages import (
    PublishedLeaderboardState,
    published_leaderboard_state,
)

# The query parameters of a published leaderboard. A request with any other is answered
# but its table is not kept: a cache entry per made-up parameter would only push out the
# entries readers use.
TABLE_PARAMETERS = frozenset({"revision", "show", "sort", "page", "q", "district__kind"})
# A kept table is never stale for what the state covers; the timeout bounds how long one
# outlives an edit the state does not see (a group renamed, a bulk update of names).
TABLE_TIMEOUT = 60 * 60


# With a shared cache the state itself is kept, under a version that every save or deletion
# of what it reads renews (see state_changed): no query at all for a kept page. The timeout
# bounds how long a change made behind the ORM's back (raw SQL, a restored archive) goes
# unseen.
STATE_TIMEOUT = 10
STATE_VERSION_KEY = "leaderboard-state-version"


def published_leaderboard_state_kept(
    *, race_code: str, period: Period, revision: int | None = None
) -> PublishedLeaderboardState | None:
    """published_leaderboard_state, kept in a shared cache while nothing it reads changes."""
    if not getattr(settings, "SAIMA_SHARED_CACHE", False):
        return published_leaderboard_state(race_code=race_code, period=period, revision=revision)
    return versioned_get_or_load(
        f"leaderboard-state:v1:{_digest(race_code, period.code, revision)}",
        version_keys=[STATE_VERSION_KEY],
        load=lambda: published_leaderboard_state(
            race_code=race_code, period=period, revision=revision
        ),
        timeout=STATE_TIMEOUT,
    )


def state_changed(**kwargs) -> None:
    """Receiver: a publication, comment, stored explanation, race, district, indicator or
    group was saved or deleted (or explanations stored in bulk): every kept state is read
    afresh at its next request."""
    if getattr(settings, "SAIMA_SHARED_CACHE", False):
        versions_renew([STATE_VERSION_KEY])


def connect_state_receivers() -> None:
    from django.db.models.signals import post_delete, post_save

    from comments.models import Comment
    from districts.models import District, Group, Indicator
    from rankings.models import Publication, Race, StandingExplanation

    # Fetched with the signed-in user's versions: a leaderboard this process has read since
    # then is served without another round trip to the cache.
    versions_read_with_every_request(STATE_VERSION_KEY)

    for model in (Publication, Comment, StandingExplanation, Race, District, Indicator, Group):
        signals = [("saved", post_save), ("deleted", post_delete)]
        if model is StandingExplanation:
            # A receiver of deletions would make Django load every explanation it deletes
            # (thousands, with their JSON) instead of deleting them in one statement; they
            # are deleted by store_explanations, which renews the version itself, or with
            # their publication, whose deletion renews it.
            signals = signals[:1]
        for name, signal in signals:
            signal.connect(
                state_changed,
                sender=model,
                dispatch_uid=f"leaderboard-state.{model._meta.label}.{name}",
            )


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
    return f"leaderboard-page:v2:{etag}:{table_key}"


# A kept page never changes under its key (the key names everything the page shows), so
# besides the shared cache each process may keep the pages it served last, which spares
# fetching some 300 kB from Redis for a reader asking again.
_pages_here = LocMemCache("leaderboard-pages-here", {"OPTIONS": {"MAX_ENTRIES": 64}})


def leaderboard_page_get(page_key: str) -> bytes | None:
    """The page kept under this key, from this process or the shared cache."""
    if not getattr(settings, "SAIMA_SHARED_CACHE", False):
        return cache.get(page_key)
    page = _pages_here.get(page_key)
    if page is None and (page := cache.get(page_key)) is not None:
        _pages_here.set(page_key, page, timeout=TABLE_TIMEOUT)
    return page


def leaderboard_page_set(page_key: str, page: bytes) -> None:
    cache.set(page_key, page, timeout=TABLE_TIMEOUT)
    if getattr(settings, "SAIMA_SHARED_CACHE", False):
        _pages_here.set(page_key, page, timeout=TABLE_TIMEOUT)


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
