"""The five roles of Saima, kept as Django groups with model permissions.

The migration ``accounts/0001_roles`` creates the groups on install, from its own frozen
copy of ``ROLE_PERMISSIONS``. ``ensure_roles()`` refreshes them from the table below; it is
idempotent, and the demo loader and the tests call it.
"""

from enum import StrEnum

from django.contrib.auth.models import Group as RoleGroup
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    REVIEWER = "reviewer"
    CLERK = "clerk"
    OFFICIAL = "official"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.ADMINISTRATOR: _("administrator"),
    Role.REVIEWER: _("reviewer"),
    Role.CLERK: _("clerk"),
    Role.OFFICIAL: _("official"),
    Role.VIEWER: _("viewer"),
}


def role_label(role: str) -> str:
    """The translated name of a role stored as text (e.g. a comment author's role)."""
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


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

# A change here also needs a migration that grants it on databases already installed
# (each roles migration keeps a frozen copy; tests/accounts/test_roles.py compares them).
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        f"{app}.{action}_{model}"
        for app, models in {
            "districts": [
                "group",
                "district",
                "indicator",
                "value",
                "datareturn",
                "perioddeadline",
            ],
            "rankings": ["race", "methodologyversion", "publication", "standing"],
            "comments": ["comment"],
        }.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    + [
        "comments.post_comment",
        "comments.respond_comment",
        "comments.remove_comment",
        "comments.view_commentevent",
    ],
    Role.REVIEWER: _VIEW_ALL
    + [
        "districts.add_value",
        "districts.change_value",
        "districts.view_datareturn",
        "districts.view_perioddeadline",
        "districts.add_perioddeadline",
        "districts.change_perioddeadline",
        "rankings.add_publication",
    ],
    Role.CLERK: _VIEW_ALL
    + [
        "districts.add_value",
        "districts.change_value",
        "districts.view_datareturn",
        "comments.respond_comment",
    ],
    Role.OFFICIAL: _VIEW_ALL + ["comments.post_comment"],
    Role.VIEWER: list(_VIEW_ALL),
}

# Roles that work in the Django admin (data entry) and so need is_staff.
STAFF_ROLES = {Role.ADMINISTRATOR, Role.REVIEWER, Role.CLERK}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles() -> dict[Role, RoleGroup]:
    """Create the role groups if needed and give each exactly its permissions.

    ``migrate`` already created them (accounts/0001_roles); this brings them in line with
    ``ROLE_PERMISSIONS`` as the code has it now.
    """
    groups = {}
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = RoleGroup.objects.get_or_create(name=role.value)
        group.permissions.set([_permission(name) for name in dotted_names])
        groups[role] = group
    return groups


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    names = {group.name for group in user.groups.all()}
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles
