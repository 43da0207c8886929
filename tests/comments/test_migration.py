"""Moving comments from the rankings app into their own keeps every row and permission."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment

# The last rankings migration before the move, and no comments app yet: unapplying
# comments 0001 also unapplies what depends on it (rankings 0003, accounts 0001).
BEFORE_THE_MOVE = [("rankings", "0002_comments"), ("comments", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # The caches of the content types follow the rows the migrations just moved.
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def _comment_written_before_the_move(executor: MigrationExecutor) -> tuple[int, str]:
    old = executor.loader.project_state(("rankings", "0002_comments")).apps
    group = old.get_model("districts", "Group").objects.create(code="counties", name="县区")
    district = old.get_model("districts", "District").objects.create(
        code="220106", name="绿园区", kind="district", group=group
    )
    race = old.get_model("rankings", "Race").objects.create(
        code="economy", name="经济赛马", group=group
    )
    author = old.get_model("auth", "User").objects.create(username="official")
    body = "绿园区 needs to explain its **investment** figure."
    comment = old.get_model("rankings", "Comment").objects.create(
        race=race,
        period="2025Q1",
        district=district,
        author=author,
        author_role="official",
        body=body,
        body_html=f"<p>{body}</p>",
    )
    return comment.pk, body


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_comments_their_content_type_and_their_permissions():
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        assert ("comments", "0001_initial") not in executor.loader.applied_migrations
        pk, body = _comment_written_before_the_move(executor)
        post_comment_before = Permission.objects.get(
            content_type__app_label="rankings", codename="post_comment"
        )

        _migrate_to_latest()

        comment = Comment.objects.get(pk=pk)
        assert comment.body == body
        assert comment.district.code == "220106"
        assert ContentType.objects.get_for_model(Comment).app_label == "comments"
        assert not ContentType.objects.filter(app_label="rankings", model="comment").exists()
        post_comment_after = Permission.objects.get(
            content_type__app_label="comments", codename="post_comment"
        )
        assert post_comment_after.pk == post_comment_before.pk
    finally:
        _migrate_to_latest()
