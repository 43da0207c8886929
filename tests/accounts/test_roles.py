import importlib
from pathlib import Path

import accounts
from accounts.roles import ROLE_PERMISSIONS

MIGRATIONS = Path(accounts.__file__).parent / "migrations"


def _latest_frozen_roles() -> tuple[str, dict[str, list[str]]]:
    """The role table of the newest accounts migration that keeps one."""
    for path in sorted(MIGRATIONS.glob("[0-9]*.py"), reverse=True):
        module = importlib.import_module(f"accounts.migrations.{path.stem}")
        if hasattr(module, "ROLE_PERMISSIONS"):
            return path.stem, module.ROLE_PERMISSIONS
    raise AssertionError("no accounts migration creates the roles")


def test_the_migrations_grant_every_role_exactly_the_permissions_the_code_expects():
    migration, frozen = _latest_frozen_roles()
    expected = {role.value: sorted(names) for role, names in ROLE_PERMISSIONS.items()}
    granted = {role: sorted(names) for role, names in frozen.items()}
    assert granted == expected, (
        f"ROLE_PERMISSIONS differs from the roles migration {migration}: "
        "add a migration that grants the change on installed databases"
    )
