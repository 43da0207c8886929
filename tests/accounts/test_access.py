"""Who may do what: the access rules every view and service asks."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from accounts.access import is_bureau, may_comment, may_preview, may_publish, may_read
from accounts.roles import Role
from tests.builders import user_with_role

pytestmark = pytest.mark.django_db

# role: (reads, is the bureau / previews / publishes, comments)
EXPECTED = {
    Role.ADMINISTRATOR: (True, True, True),
    Role.REVIEWER: (True, True, False),
    Role.CLERK: (True, False, False),
    Role.OFFICIAL: (True, False, True),
    Role.VIEWER: (True, False, False),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_what_its_row_says(role):
    user = user_with_role(role)
    reads, bureau, comments = EXPECTED[role]

    assert may_read(user) is reads
    assert is_bureau(user) is bureau
    assert may_preview(user) is bureau
    assert may_publish(user) is bureau
    assert may_comment(user) is comments


def test_a_user_without_a_role_and_an_anonymous_visitor_may_do_nothing():
    nobody = get_user_model().objects.create_user("nobody", password="x-123456789")
    for user in (nobody, AnonymousUser()):
        assert not may_read(user)
        assert not is_bureau(user)
        assert not may_comment(user)
