"""The comment pages: a race's comments, all comments, and editing, removing and responding."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from comments.models import Comment, CommentEvent
from comments.services import comment_post, comment_respond
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db


def comments_url(published, period=None):
    return reverse(
        "race-comments", args=[published.race.code, (period or published.latest_period).code]
    )


def post_comment(published, author, body="Retail is lagging.", period=None, **subject):
    return comment_post(
        author=author,
        race=published.race,
        period=period or published.latest_period,
        body=body,
        **subject,
    )


def test_an_official_posts_a_comment_and_sees_it(published, client_for):
    client = client_for(Role.OFFICIAL)

    response = client.post(
        comments_url(published),
        {"concerning": "race", "body": "Investment is **behind** plan."},
        follow=True,
    )

    comment = Comment.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    page = response.content.decode()
    assert "Your comment is posted." in page
    assert "Investment is <strong>behind</strong> plan." in page
    assert 'id="about-race"' in page


def test_a_comment_about_a_district_is_listed_under_it_with_a_link(published, client_for):
    district = published.districts[1]
    client = client_for(Role.OFFICIAL)

    client.post(
        comments_url(published),
        {"concerning": f"district:{district.code}", "body": "Why the drop?"},
    )

    comment = Comment.objects.get()
    assert comment.district == district
    page = client.get(comments_url(published)).content.decode()
    link = (
        reverse("district", args=[district.code])
        + f"?race={published.race.code}&amp;period={published.latest_period.code}"
    )
    assert f'<a href="{link}">{district.name_en}</a>' in page


def test_a_comment_about_an_indicator_links_to_the_indicator(published, client_for):
    indicator = published.indicators[0]
    client = client_for(Role.OFFICIAL)

    client.post(
        comments_url(published),
        {"concerning": f"indicator:{indicator.code}", "body": "Check the source."},
    )

    assert Comment.objects.get().indicator == indicator
    page = client.get(comments_url(published)).content.decode()
    link = (
        reverse("indicator", args=[indicator.code])
        + f"?group={published.group.code}&amp;period={published.latest_period.code}"
    )
    assert f'<a href="{link}">{indicator.name_en}</a>' in page


def test_the_concerning_choice_offers_the_race_districts_and_indicators(published, client_for):
    page = client_for(Role.OFFICIAL).get(comments_url(published)).content.decode()

    for district in published.districts:
        assert f'value="district:{district.code}"' in page
    for indicator in published.indicators:
        assert f'value="indicator:{indicator.code}"' in page


def test_a_link_can_preselect_the_district(published, client_for):
    district = published.districts[2]

    page = (
        client_for(Role.OFFICIAL)
        .get(comments_url(published), {"district": district.code})
        .content.decode()
    )

    assert f'value="district:{district.code}" selected' in page


def test_an_empty_comment_shows_the_error_summary_linked_to_the_field(published, client_for):
    response = client_for(Role.OFFICIAL).post(
        comments_url(published), {"concerning": "race", "body": ""}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_body"' in page
    assert not Comment.objects.exists()


def test_a_clerk_responds_to_a_comment_about_their_district_and_sees_it(
    published, users, client_for
):
    comment = post_comment(published, users[Role.OFFICIAL], district=published.districts[0])
    client = client_for(Role.CLERK)
    page = client.get(comments_url(published)).content.decode()
    assert reverse("comment-respond", args=[comment.pk]) in page

    response = client.post(
        reverse("comment-respond", args=[comment.pk]),
        {"body": "We will open two projects in May."},
        follow=True,
    )

    page = response.content.decode()
    assert "Your response is posted." in page
    assert "We will open two projects in May." in page
    assert Comment.objects.get(parent=comment).author == users[Role.CLERK]


def test_a_clerk_is_not_offered_to_respond_about_other_districts(published, users, client_for):
    comment = post_comment(published, users[Role.OFFICIAL], district=published.districts[1])

    page = client_for(Role.CLERK).get(comments_url(published)).content.decode()

    assert reverse("comment-respond", args=[comment.pk]) not in page


def test_the_respond_form_shows_the_comment_answered(published, users, client_for):
    comment = post_comment(
        published, users[Role.OFFICIAL], body="Too *slow*.", district=published.districts[0]
    )

    page = client_for(Role.CLERK).get(reverse("comment-respond", args=[comment.pk]))

    assert "Too <em>slow</em>." in page.content.decode()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER, Role.CLERK])
def test_readers_who_cannot_comment_get_no_form_and_a_403_on_post(published, client_for, role):
    client = client_for(role)

    page = client.get(comments_url(published)).content.decode()
    response = client.post(comments_url(published), {"concerning": "race", "body": "Hi"})

    assert 'name="body"' not in page
    assert "Write a comment" not in page
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_author_edits_a_comment(published, users, client_for):
    comment = post_comment(published, users[Role.OFFICIAL], body="First draft.")
    client = client_for(Role.OFFICIAL)
    assert (
        reverse("comment-edit", args=[comment.pk])
        in client.get(comments_url(published)).content.decode()
    )

    form = client.get(reverse("comment-edit", args=[comment.pk])).content.decode()
    response = client.post(
        reverse("comment-edit", args=[comment.pk]), {"body": "Second draft."}, follow=True
    )

    assert "First draft.</textarea>" in form
    page = response.content.decode()
    assert "Second draft." in page
    assert "First draft." not in page
    assert ">edited<" in page


def test_the_edit_link_disappears_after_fifteen_minutes(published, users, client_for):
    comment = post_comment(published, users[Role.OFFICIAL])
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client = client_for(Role.OFFICIAL)

    page = client.get(comments_url(published)).content.decode()

    assert reverse("comment-edit", args=[comment.pk]) not in page
    assert client.get(reverse("comment-edit", args=[comment.pk])).status_code == 403


def test_an_administrator_removes_a_comment_and_it_vanishes_from_page_and_list(
    published, users, client_for
):
    comment = post_comment(published, users[Role.OFFICIAL], body="Unkind remark.")
    client = client_for(Role.ADMINISTRATOR)

    form = client.get(reverse("comment-remove", args=[comment.pk])).content.decode()
    response = client.post(
        reverse("comment-remove", args=[comment.pk]), {"reason": "Personal attack"}, follow=True
    )

    assert "Unkind remark." in form
    assert 'name="reason"' in form
    assert "Unkind remark." not in response.content.decode()
    assert "Unkind remark." not in client.get(reverse("comment-list")).content.decode()
    removal = CommentEvent.objects.get(comment=comment, action="removed")
    assert (removal.body, removal.reason) == ("Unkind remark.", "Personal attack")


def test_removing_needs_a_reason(published, users, client_for):
    comment = post_comment(published, users[Role.OFFICIAL])

    response = client_for(Role.ADMINISTRATOR).post(
        reverse("comment-remove", args=[comment.pk]), {"reason": ""}
    )

    assert 'href="#id_reason"' in response.content.decode()
    comment.refresh_from_db()
    assert not comment.is_removed


def test_posted_markup_is_shown_as_text(published, client_for):
    client = client_for(Role.OFFICIAL)

    client.post(
        comments_url(published),
        {"concerning": "race", "body": "<script>alert('x')</script> [go](javascript:alert(1))"},
    )

    page = client.get(comments_url(published)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "javascript:" not in page


def test_the_page_names_author_role_and_time(published, users, client_for):
    official = users[Role.OFFICIAL]
    official.first_name, official.last_name = "Mei", "Wang"
    official.save()
    post_comment(published, official)

    page = client_for(Role.VIEWER).get(comments_url(published)).content.decode()

    assert "<strong>Mei Wang</strong> (official)" in page
    assert "<time datetime=" in page


def test_in_chinese_districts_are_named_in_chinese(published, users, client_for):
    district = published.districts[0]
    post_comment(published, users[Role.OFFICIAL], district=district)
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client.get(comments_url(published)).content.decode()

    assert '<html lang="zh-Hans">' in page
    assert f">{district.name}</a>" in page
    assert district.name_en not in page


@pytest.mark.parametrize(
    "path",
    [
        "races/no-such-race/2025Q2/comments/",
        "races/test-race/2030Q1/comments/",
        "races/test-race/not-a-period/comments/",
    ],
)
def test_unknown_races_and_unpublished_periods_are_not_found(published, client_for, path):
    assert client_for(Role.OFFICIAL).get(f"/{path}").status_code == 404


def test_the_list_shows_every_comment_newest_first_with_a_link(published, users, client_for):
    official = users[Role.OFFICIAL]
    older = post_comment(published, official, body="Older remark.")
    newer = post_comment(published, official, body="Newer remark.")
    Comment.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))

    page = client_for(Role.VIEWER).get(reverse("comment-list")).content.decode()

    assert page.index("Newer remark.") < page.index("Older remark.")
    assert f'{comments_url(published)}#comment-{newer.pk}"' in page


def test_the_list_filters_by_period_race_and_district(published, users, client_for):
    official = users[Role.OFFICIAL]
    first, second = published.periods
    other = build_published_race(code="other-race", districts=2, periods=1)
    post_comment(published, official, body="About the first quarter.", period=first)
    post_comment(published, official, body="About district one.", district=published.districts[1])
    comment_post(
        author=official, race=other.race, period=other.latest_period, body="About the other race."
    )
    client = client_for(Role.VIEWER)

    def listed(**params):
        page = client.get(reverse("comment-list"), params).content.decode()
        return {
            body
            for body in ("About the first quarter.", "About district one.", "About the other race.")
            if body in page
        }

    assert listed() == {"About the first quarter.", "About district one.", "About the other race."}
    assert listed(period=first.code) == {"About the first quarter.", "About the other race."}
    assert listed(period=second.code) == {"About district one."}
    assert listed(race="other-race") == {"About the other race."}
    assert listed(district=published.districts[1].code) == {"About district one."}
    assert listed(race=published.race.code, period=first.code) == {"About the first quarter."}


def test_the_list_shows_fifty_comments_a_page_and_keeps_the_filter(published, users, client_for):
    official = users[Role.OFFICIAL]
    for n in range(51):
        post_comment(published, official, body=f"Remark {n}.")
    client = client_for(Role.VIEWER)

    first = client.get(reverse("comment-list"), {"race": published.race.code}).content.decode()
    second = client.get(
        reverse("comment-list"), {"race": published.race.code, "page": 2}
    ).content.decode()

    assert first.count('class="comment"') == 50
    assert f"?race={published.race.code}&amp;page=2" in first
    assert second.count('class="comment"') == 1
    assert "Remark 0." in second


def test_the_list_shows_responses_under_their_comment(published, users, client_for):
    comment = post_comment(published, users[Role.OFFICIAL], district=published.districts[0])
    comment_respond(author=users[Role.CLERK], comment=comment, body="Plan attached.")

    page = client_for(Role.VIEWER).get(reverse("comment-list")).content.decode()

    assert "Plan attached." in page
    assert page.count('class="comment"') == 2


def _scene_with_comments(count: int):
    scene = build_published_race(code=f"race-{count}")
    official = user_with_role(Role.OFFICIAL, username=f"official-{count}")
    clerk = user_with_role(Role.CLERK, username=f"clerk-{count}", districts=scene.districts)
    for n in range(count):
        subject = [
            {},
            {"district": scene.districts[n % len(scene.districts)]},
            {"indicator": scene.indicators[n % len(scene.indicators)]},
        ][n % 3]
        comment = post_comment(scene, official, body=f"Remark {n}.", **subject)
        if "district" in subject:
            comment_respond(author=clerk, comment=comment, body=f"Answer {n}.")
    return scene, clerk


@pytest.mark.parametrize("count", [3, 30])
def test_the_race_comment_page_runs_the_same_queries_for_3_or_30_comments(
    client, django_assert_max_num_queries, count
):
    scene, clerk = _scene_with_comments(count)
    client.force_login(clerk)

    with django_assert_max_num_queries(14):
        response = client.get(comments_url(scene))

    assert response.content.decode().count('class="comment"') == count + count // 3


@pytest.mark.parametrize("count", [3, 30])
def test_the_comment_list_runs_the_same_queries_for_3_or_30_comments(
    client, django_assert_max_num_queries, count
):
    scene, clerk = _scene_with_comments(count)
    client.force_login(clerk)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("comment-list"))

    assert response.content.decode().count('class="comment"') == count + count // 3
