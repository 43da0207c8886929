"""Permissions come from the user's roles and own grants, as Django's backend gives them, in
one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.backends import RoleBackend
from accounts.roles import Role, ensure_roles

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_a_role_with_an_own_grant_has_the_same_permissions_as_djangos_backend(role):
    user = get_user_model().objects.create_user("someone")
    user.groups.add(ensure_roles()[role])
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="auth", codename="delete_group")
    )
    assert RoleBackend().get_all_permissions(_fresh(user)) == ModelBackend().get_all_permissions(
        _fresh(user)
    )
    assert "auth.delete_group" in RoleBackend().get_all_permissions(_fresh(user))


def test_the_permissions_cost_one_query_per_request(django_assert_num_queries):
    user = get_user_model().objects.create_user("reader")
    user.groups.add(ensure_roles()[Role.VIEWER])
    user = _fresh(user)
    with django_assert_num_queries(1):
        assert user.has_perm("rankings.view_standing")
        assert not user.has_perm("rankings.add_publication")


def test_inactive_users_and_object_permissions_have_none():
    user = get_user_model().objects.create_user("gone", is_active=False)
    user.groups.add(ensure_roles()[Role.ADMINISTRATOR])
    assert RoleBackend().get_all_permissions(_fresh(user)) == set()
    active = get_user_model().objects.create_user("here")
    active.groups.add(ensure_roles()[Role.ADMINISTRATOR])
    assert RoleBackend().get_all_permissions(_fresh(active), obj=object()) == set()


def test_a_superuser_has_every_permission():
    user = get_user_model().objects.create_superuser("root", password="x")
    assert RoleBackend().get_all_permissions(_fresh(user)) == ModelBackend().get_all_permissions(
        _fresh(user)
    )
