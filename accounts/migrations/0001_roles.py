"""The five roles of Saima exist from the first ``migrate`` of a fresh install.

The role -> permission table below is a frozen copy of ``accounts.roles.ROLE_PERMISSIONS``
as it stood when this migration was written: a migration must keep doing what it did, so it
never imports live code. When the roles change, a new migration with its own complete
table grants the difference (``tests/accounts/test_roles.py`` compares the live table with
the latest frozen one). ``ensure_roles()`` refreshes the groups from the live table.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_MODELS = {
    "districts": ["group", "district", "indicator", "value"],
    "rankings": ["race", "methodologyversion", "publication", "standing"],
    "comments": ["comment"],
}

_VIEW_ALL = [
    "districts.view_group",
    "districts.view_district",
    "districts.view_indicator",
    "districts.view_value",
    "rankings.view_race",
    "rankings.view_methodologyversion",
    "rankings.view_publication",
    "rankings.view_standing",
    "comments.view_comment",
]

ROLE_PERMISSIONS = {
    "administrator": [
        f"{app}.{action}_{model}"
        for app, models in _MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "comments.post_comment",
        "comments.respond_comment",
        "comments.remove_comment",
        "comments.view_commentevent",
    ],
    "reviewer": _VIEW_ALL
    + ["districts.add_value", "districts.change_value", "rankings.add_publication"],
    "clerk": _VIEW_ALL
    + ["districts.add_value", "districts.change_value", "comments.respond_comment"],
    "official": _VIEW_ALL + ["comments.post_comment"],
    "viewer": list(_VIEW_ALL),
}


def _create_permissions_now(apps, using):
    # Django creates content types and permissions in post_migrate, after every migration
    # has run; on an empty database they would not exist yet. The apps of a migration state
    # are stubs without a models module, which create_permissions takes for "no models",
    # so each is marked as having models for the call, then put back as it was.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            del app_config.models_module


def create_roles(apps, schema_editor):
    grant(apps, schema_editor, ROLE_PERMISSIONS)


def grant(apps, schema_editor, table):
    """Create the role groups and add the permissions ``table`` names (later migrations too)."""
    using = schema_editor.connection.alias
    _create_permissions_now(apps, using)
    role_group = apps.get_model("auth", "Group")
    permission = apps.get_model("auth", "Permission")
    for role, dotted_names in table.items():
        group, _created = role_group.objects.using(using).get_or_create(name=role)
        granted = []
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            granted.append(
                permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        # Added, not set: on a database that already had these groups, a permission an
        # administrator granted by hand stays.
        group.permissions.add(*granted)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("districts", "0002_figure_precision"),
        ("rankings", "0003_comments_move_to_their_app"),
        ("comments", "0001_initial"),
    ]

    operations = [
        # Reversing leaves the groups: they may hold users, and removing a role from people
        # is an administrator's decision, not a side effect of rolling back a migration.
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
