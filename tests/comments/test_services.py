"""Who may comment, respond, edit and remove, and what the audit trail keeps."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.access import may_comment, may_edit_comment, may_remove_comment, may_respond
from accounts.roles import Role
from comments.models import Comment, CommentEvent
from comments.services import (
    comment_edit,
    comment_post,
    comment_remove,
    comment_respond,
)
from districts.periods import Period
from tests.builders import build_published_race, user_with_role
from tests.factories import DistrictFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return build_published_race()


@pytest.fixture
def users(published):
    return {
        role: user_with_role(role, districts=[published.districts[0]] if role is Role.CLERK else ())
        for role in Role
    }


def post(published, author, **kwargs):
    kwargs.setdefault("body", "Growth is **slow**.")
    return comment_post(
        author=author, race=published.race, period=published.latest_period, **kwargs
    )


def test_an_official_posts_a_comment_recorded_in_the_audit_trail(published, users):
    comment = post(published, users[Role.OFFICIAL], district=published.districts[1])

    assert comment.author_role == "official"
    assert comment.body_html == "<p>Growth is <strong>slow</strong>.</p>"
    event = comment.events.get()
    assert (event.action, event.actor, event.body) == (
        "created",
        users[Role.OFFICIAL],
        "Growth is **slow**.",
    )


def test_an_administrator_may_post_too(published, users):
    assert post(published, users[Role.ADMINISTRATOR]).author_role == "administrator"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK, Role.REVIEWER])
def test_viewers_clerks_and_reviewers_cannot_post(published, users, role):
    assert not may_comment(users[role])
    with pytest.raises(PermissionDenied):
        post(published, users[role])
    assert not Comment.objects.exists()


def test_comments_are_taken_only_on_a_published_race_and_period(published, users):
    with pytest.raises(ValidationError):
        comment_post(
            author=users[Role.OFFICIAL],
            race=published.race,
            period=Period.parse("2030Q1"),
            body="Too early.",
        )


def test_the_district_must_run_in_the_race(published, users):
    stranger = DistrictFactory()  # in a group of its own

    with pytest.raises(ValidationError) as error:
        post(published, users[Role.OFFICIAL], district=stranger)

    assert "district" in error.value.message_dict


def test_the_indicator_must_be_one_the_race_ranks_on(published, users):
    with pytest.raises(ValidationError) as error:
        post(published, users[Role.OFFICIAL], indicator=IndicatorFactory())

    assert "indicator" in error.value.message_dict
    assert post(published, users[Role.OFFICIAL], indicator=published.indicators[0]).pk


def test_a_comment_cannot_be_empty(published, users):
    with pytest.raises(ValidationError) as error:
        post(published, users[Role.OFFICIAL], body="   ")

    assert "body" in error.value.message_dict


def test_a_clerk_responds_only_to_comments_about_their_own_district(published, users):
    official, clerk = users[Role.OFFICIAL], users[Role.CLERK]
    about_own = post(published, official, district=published.districts[0])
    about_other = post(published, official, district=published.districts[1])
    about_race = post(published, official)

    response = comment_respond(author=clerk, comment=about_own, body="We will act.")

    assert (response.parent, response.district, response.author_role) == (
        about_own,
        published.districts[0],
        "clerk",
    )
    for comment in (about_other, about_race):
        assert not may_respond(clerk, comment)
        with pytest.raises(PermissionDenied):
            comment_respond(author=clerk, comment=comment, body="Not ours.")


def test_nobody_responds_to_a_response(published, users):
    comment = post(published, users[Role.OFFICIAL], district=published.districts[0])
    response = comment_respond(author=users[Role.CLERK], comment=comment, body="Noted.")

    assert not may_respond(users[Role.CLERK], response)
    assert not may_respond(users[Role.ADMINISTRATOR], response)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER, Role.REVIEWER])
def test_other_roles_cannot_respond(published, users, role):
    comment = post(published, users[Role.OFFICIAL], district=published.districts[0])

    with pytest.raises(PermissionDenied):
        comment_respond(author=users[role], comment=comment, body="Hello.")


def test_an_administrator_may_respond_for_a_unit(published, users):
    comment = post(published, users[Role.OFFICIAL], district=published.districts[0])

    assert comment_respond(author=users[Role.ADMINISTRATOR], comment=comment, body="Ok.").pk


def test_the_author_edits_within_fifteen_minutes(published, users):
    official = users[Role.OFFICIAL]
    comment = post(published, official)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=14))
    comment.refresh_from_db()

    comment_edit(editor=official, comment=comment, body="Growth is *slow*.")

    comment.refresh_from_db()
    assert comment.body_html == "<p>Growth is <em>slow</em>.</p>"
    assert comment.edited_at is not None
    assert list(comment.events.values_list("action", "body")) == [
        ("created", "Growth is **slow**."),
        ("edited", "Growth is *slow*."),
    ]


def test_editing_is_refused_after_fifteen_minutes(published, users):
    official = users[Role.OFFICIAL]
    comment = post(published, official)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()

    assert not may_edit_comment(official, comment)
    with pytest.raises(PermissionDenied):
        comment_edit(editor=official, comment=comment, body="Too late.")


def test_only_the_author_edits(published, users):
    comment = post(published, users[Role.OFFICIAL])

    with pytest.raises(PermissionDenied):
        comment_edit(editor=users[Role.ADMINISTRATOR], comment=comment, body="Not mine.")


def test_an_administrator_removes_a_comment_and_the_audit_keeps_its_text(published, users):
    admin = users[Role.ADMINISTRATOR]
    comment = post(published, users[Role.OFFICIAL])

    comment_remove(actor=admin, comment=comment, reason="Off topic")

    comment.refresh_from_db()
    assert comment.is_removed and comment.removed_by == admin
    removal = CommentEvent.objects.get(comment=comment, action="removed")
    assert (removal.actor, removal.body, removal.reason) == (
        admin,
        "Growth is **slow**.",
        "Off topic",
    )
    assert not may_remove_comment(admin, comment)
    assert not may_edit_comment(users[Role.OFFICIAL], comment)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CLERK, Role.REVIEWER, Role.VIEWER])
def test_only_administrators_remove(published, users, role):
    comment = post(published, users[Role.OFFICIAL])

    with pytest.raises(PermissionDenied):
        comment_remove(actor=users[role], comment=comment, reason="No")
    comment.refresh_from_db()
    assert not comment.is_removed
