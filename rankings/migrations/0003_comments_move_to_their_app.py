"""Comments now belong to the comments app; their tables stay (see comments 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("rankings", "0002_comments"),
        ("comments", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CommentEvent"),
                migrations.DeleteModel(name="Comment"),
            ],
            database_operations=[],
        ),
    ]
