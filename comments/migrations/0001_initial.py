"""Comments move from the rankings app into their own app.

The tables stay as they are (``rankings_comment``, ``rankings_commentevent``), with their
rows, sequences and constraints: only Django's idea of which app owns them changes. The
content types move too, so the permissions that roles hold and the admin's log keep
pointing at the same records.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("comment", "commentevent"):
        old = content_type.objects.filter(app_label="rankings", model=model).first()
        if old is None:
            continue  # a fresh database: the content types are created after migrating
        content_type.objects.filter(app_label="comments", model=model).exclude(pk=old.pk).delete()
        old.app_label = "comments"
        old.save(update_fields=["app_label"])


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="comments", model__in=["comment", "commentevent"]
    ).update(app_label="rankings")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("districts", "0001_initial"),
        ("rankings", "0002_comments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Comment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.CharField(max_length=7, verbose_name='period')),
                        ('author_role', models.CharField(max_length=20, verbose_name="author's role")),
                        ('body', models.TextField(verbose_name='comment')),
                        ('body_html', models.TextField(verbose_name='comment (rendered)')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written at')),
                        ('edited_at', models.DateTimeField(blank=True, null=True, verbose_name='edited at')),
                        ('removed_at', models.DateTimeField(blank=True, null=True, verbose_name='removed at')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='saima_comments', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('district', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='districts.district', verbose_name='district')),
                        ('indicator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='districts.indicator', verbose_name='indicator')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='comments.comment', verbose_name='in response to')),
                        ('race', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='comments', to='rankings.race', verbose_name='race')),
                        ('removed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='removed by')),
                    ],
                    options={
                        'verbose_name': 'comment',
                        'verbose_name_plural': 'comments',
                        'ordering': ['created_at', 'pk'],
                        'db_table': 'rankings_comment',
                        'permissions': [('post_comment', 'Can comment on published races'), ('respond_comment', 'Can respond to comments about own districts'), ('remove_comment', 'Can remove comments')],
                    },
                ),
                migrations.CreateModel(
                    name='CommentEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('created', 'created'), ('edited', 'edited'), ('removed', 'removed')], max_length=10, verbose_name='action')),
                        ('body', models.TextField(verbose_name='text at the time')),
                        ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('comment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='comments.comment')),
                    ],
                    options={
                        'verbose_name': 'comment event',
                        'verbose_name_plural': 'comment events',
                        'ordering': ['at', 'pk'],
                        'db_table': 'rankings_commentevent',
                    },
                ),
                migrations.AddIndex(
                    model_name='comment',
                    index=models.Index(fields=['race', 'period'], name='rankings_co_race_id_801184_idx'),
                ),
                migrations.AddConstraint(
                    model_name='comment',
                    constraint=models.CheckConstraint(condition=models.Q(('district__isnull', True), ('indicator__isnull', True), _connector='OR'), name='comment_one_subject'),
                ),
                migrations.AddConstraint(
                    model_name='comment',
                    constraint=models.CheckConstraint(condition=models.Q(('period__regex', '^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$')), name='comment_period_well_formed'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
