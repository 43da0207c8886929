"""README's layout table matches the tree: every path it names exists, every app is named."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _layout_paths() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return [path for cell in first_cells for path in re.findall(r"`([^`]+)`", cell)]


def test_every_path_in_the_layout_table_exists():
    missing = [path for path in _layout_paths() if not (ROOT / path).exists()]
    assert missing == []


def test_every_app_of_the_project_is_in_the_layout_table():
    listed = {path.strip("/") for path in _layout_paths()}
    ours = {
        app.label
        for app in apps.get_app_configs()
        if Path(app.path).resolve().parent == ROOT.resolve()
    }
    assert ours - listed == set()
    assert {"accounts", "comments", "demo", "districts", "pages", "rankings"} <= ours
