"""Comments in the admin: read-only records whose removed text stays in the audit trail."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from comments.models import Comment, CommentEvent
from comments.services import comment_post, comment_remove
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return build_published_race()


@pytest.fixture
def admin_user():
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:comments_{obj._meta.model_name}_change", args=[obj.pk])


def test_comments_and_their_audit_trail_are_read_only_and_keep_removed_text(
    published, admin_client, admin_user
):
    comment = comment_post(
        author=user_with_role(Role.OFFICIAL),
        race=published.race,
        period=published.latest_period,
        body="Removed remark.",
    )
    comment_remove(actor=admin_user, comment=comment, reason="Off topic")
    event = CommentEvent.objects.get(action="removed")

    for record in (comment, event):
        page = admin_client.get(change_url(record))
        assert page.status_code == 200
        assert "Removed remark." in page.content.decode()
        assert 'name="_save"' not in page.content.decode()
        assert admin_client.post(change_url(record), {}).status_code == 403
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("model", [Comment, CommentEvent])
def test_the_comment_admin_lists_open(published, admin_client, model):
    response = admin_client.get(reverse(f"admin:comments_{model._meta.model_name}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.CLERK])
def test_a_removed_comment_is_neither_listed_nor_found_nor_opened_by_the_bureau_or_clerks(
    client, published, admin_user, role
):
    comment = comment_post(
        author=user_with_role(Role.OFFICIAL),
        race=published.race,
        period=published.latest_period,
        body="Removed remark about Lüyuan.",
    )
    comment_remove(actor=admin_user, comment=comment, reason="Off topic")
    client.force_login(user_with_role(role))

    listing = client.get(reverse("admin:comments_comment_changelist"), {"q": "Removed remark"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == []
    assert client.get(change_url(comment)).status_code == 302  # the admin's "no such object"
