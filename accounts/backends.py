"""Signing in and permissions: Django's model backend, with a user's permissions in one query,
and with a shared cache, the signed-in user and their permissions kept between requests."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from accounts.identity import identity_cache_enabled, user_with_permissions_cached


class RoleBackend(ModelBackend):
    """ModelBackend whose permission set costs one query instead of two.

    Every page asks what the reader's role allows; Django reads the user's own permissions
    and those of their groups (roles) in two queries. Saima grants permissions through roles,
    and a published leaderboard served from the cache spends most of its time on such
    queries, so both are read at once. The answer is the same set, cached on the user object
    for the request as Django does.

    With a shared cache (``SAIMA_SHARED_CACHE``) the signed-in user and that set are read from
    it, under versions that every change to the user, their roles or the roles' permissions
    renews (accounts/identity.py): no query at all for a user seen before.
    """

    def get_user(self, user_id):
        if not identity_cache_enabled():
            return super().get_user(user_id)

        def load():
            user = super(RoleBackend, self).get_user(user_id)
            return user, (None if user is None else frozenset(self._permissions_read(user)))

        user, permissions = user_with_permissions_cached(user_id, load)
        if user is not None and permissions is not None:
            user._perm_cache = set(permissions)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._permissions_read(user_obj)
        return user_obj._perm_cache

    def _permissions_read(self, user_obj) -> set[str]:
        if not user_obj.is_active:
            return set()
        if user_obj.is_superuser:
            permissions = Permission.objects.all()
        else:
            permissions = Permission.objects.filter(
                Q(user=user_obj) | Q(group__user=user_obj)
            ).distinct()
        return {
            f"{app_label}.{codename}"
            for app_label, codename in permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
