"""Comments that try to break the page: deep nesting, long bracket runs, invisible text."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from comments.models import Comment
from comments.services import comment_post
from tests.builders import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["1. " * 471, "- " * 2400, "[" * 4999])
def test_a_hostile_comment_is_posted_and_the_pages_still_open(client_for, published, body):
    client = client_for(Role.OFFICIAL)
    url = reverse("race-comments", args=[published.race.code, published.latest_period.code])

    response = client.post(url, {"concerning": "race", "body": body})

    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert client.get(url).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_right_to_left_overrides_and_zero_width_characters_are_stripped(published):
    comment = comment_post(
        author=user_with_role(Role.OFFICIAL),
        race=published.race,
        period=published.latest_period,
        body="Growth \u202eevil\u202c is\u200b fine\ufeff",
    )
    assert comment.body == "Growth evil is fine"
    assert "\u202e" not in comment.body_html and "\u200b" not in comment.body_html
