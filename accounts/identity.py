"""The signed-in user and their permissions, kept in a shared cache between requests.

Every page reads who is signed in and what their roles allow: two queries that cost a
kept leaderboard much of its time. With a cache that every process shares (Redis,
``SAIMA_SHARED_CACHE``) both are read from one cache entry per user instead. A per-process
cache never keeps them: a role revoked through one worker would not reach the others.

The entry is versioned (pages/versioned_cache.py) by the user's own version, renewed
whenever the user's row, roles or own grants change, and by the roles' version, renewed
whenever any role's permissions, or any role or permission, change: a change takes effect
on the very next request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from pages.versioned_cache import versioned_get_or_load, versions_renew

# An entry outlives no change the signals below see; the timeout clears users who stopped
# coming back, and bounds a change made behind the ORM's back (raw SQL, QuerySet.update).
IDENTITY_TIMEOUT = 10 * 60
ROLES_VERSION_KEY = "identity-version:roles"


def _user_version_key(user_id) -> str:
    return f"identity-version:user:{user_id}"


def identity_cache_enabled() -> bool:
    return getattr(settings, "SAIMA_SHARED_CACHE", False)


def user_with_permissions_cached(user_id, load: Callable[[], tuple]) -> tuple:
    """``load()`` -> (user or None, permission set): as kept for this user under the current
    versions, or read afresh (and kept) when anything changed since. A user not found (or
    not allowed to sign in) is not kept."""
    return versioned_get_or_load(
        f"identity:v1:{user_id}",
        version_keys=[_user_version_key(user_id), ROLES_VERSION_KEY],
        load=load,
        timeout=IDENTITY_TIMEOUT,
        keep=lambda found: found[0] is not None,
    )


def user_identity_changed(user_ids) -> None:
    """The next request of each of these users reads them afresh."""
    if identity_cache_enabled():
        versions_renew(_user_version_key(user_id) for user_id in user_ids)


def roles_changed() -> None:
    """The next request of every user reads their permissions afresh."""
    if identity_cache_enabled():
        versions_renew([ROLES_VERSION_KEY])


# --- receivers (connected in AccountsConfig.ready) ------------------------------------------


def on_user_saved_or_deleted(sender, instance, **kwargs) -> None:
    # Any field may matter: the password (the session's hash), is_active, is_staff,
    # is_superuser, the name shown on every page, last_login (the page's Last-Modified).
    user_identity_changed([instance.pk])


def on_user_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A user's roles (groups) or own grants changed, from either side of the relation."""
    if not action.startswith("post_"):
        return
    if not reverse:  # user.groups.add(...), user.user_permissions.remove(...)
        user_identity_changed([instance.pk])
    elif pk_set is not None:  # role.user_set.add(users...)
        user_identity_changed(pk_set)
    else:  # role.user_set.clear(): which users it had is no longer known
        roles_changed()


def on_roles_changed(sender, **kwargs) -> None:
    roles_changed()


def connect_receivers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user_model = get_user_model()
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(
            on_user_saved_or_deleted, sender=user_model, dispatch_uid=f"identity.user.{name}"
        )
        for model in (Group, Permission):
            signal.connect(
                on_roles_changed, sender=model, dispatch_uid=f"identity.{model.__name__}.{name}"
            )
    for name, through in (
        ("groups", user_model.groups.through),
        ("grants", user_model.user_permissions.through),
    ):
        m2m_changed.connect(on_user_links_changed, sender=through, dispatch_uid=f"identity.{name}")
    m2m_changed.connect(
        on_roles_changed, sender=Group.permissions.through, dispatch_uid="identity.role_grants"
    )
    # Migrations (and flush) grant roles through frozen models, which send no signal heard
    # here; both end with post_migrate.
    post_migrate.connect(on_roles_changed, dispatch_uid="identity.migrate")
