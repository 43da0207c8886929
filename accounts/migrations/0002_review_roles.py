"""Returns and deadlines join the roles: the bureau sets deadlines, clerks and the bureau read
returns. The table is complete (see 0001_roles); granting is additive, as there."""

import importlib

from django.db import migrations

_first = importlib.import_module("accounts.migrations.0001_roles")

_MODELS = {
    "districts": ["group", "district", "indicator", "value", "datareturn", "perioddeadline"],
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
    + [
        "districts.add_value",
        "districts.change_value",
        "districts.view_datareturn",
        "districts.view_perioddeadline",
        "districts.add_perioddeadline",
        "districts.change_perioddeadline",
        "rankings.add_publication",
    ],
    "clerk": _VIEW_ALL
    + [
        "districts.add_value",
        "districts.change_value",
        "districts.view_datareturn",
        "comments.respond_comment",
    ],
    "official": _VIEW_ALL + ["comments.post_comment"],
    "viewer": list(_VIEW_ALL),
}


def grant_roles(apps, schema_editor):
    _first.grant(apps, schema_editor, ROLE_PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_roles"),
        ("districts", "0003_review_workflow_and_history"),
        ("rankings", "0004_race_history"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
