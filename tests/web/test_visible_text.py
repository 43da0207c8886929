"""What every service strips from typed text before an official reads it."""

import pytest

from pages.text import visible_text


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (" Growth \u202eevil\u202c is\u200b fine\ufeff ", "Growth evil is fine"),
        ("\u2066isolated\u2069 \u200d", "isolated"),
        (None, ""),
        ("绿园区\u200b：投资", "绿园区：投资"),
    ],
)
def test_invisible_and_direction_changing_characters_are_removed(typed, kept):
    assert visible_text(typed) == kept
