"""Signing in and permissions: Django's model backend, with a user's permissions in one query."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    """ModelBackend whose permission set costs one query instead of two.

    Every page asks what the reader's role allows; Django reads the user's own permissions
    and those of their groups (roles) in two queries. Saima grants permissions through roles,
    and a published leaderboard served from the cache spends most of its time on such
    queries, so both are read at once. The answer is the same set, cached on the user object
    for the request as Django does.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = Permission.objects.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                ).distinct()
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                )
            }
        return user_obj._perm_cache
