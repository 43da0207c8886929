"""The value table's indexes: every lookup by district or by indicator is served by a
composite index leading with it, and nothing is indexed twice (each index is written for
every imported figure)."""

from __future__ import annotations

import pytest
from django.db import connection

from districts.models import Value

pytestmark = pytest.mark.django_db


def _indexed_columns() -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Value._meta.db_table)
    return [
        tuple(found["columns"])
        for found in constraints.values()
        if found["index"] or found["unique"] or found["primary_key"]
    ]


def test_district_and_indicator_lookups_are_served_by_composite_indexes():
    indexed = _indexed_columns()
    assert ("district_id", "indicator_id", "period") in indexed
    assert ("indicator_id", "period") in indexed


def test_neither_key_has_an_index_of_its_own():
    indexed = _indexed_columns()
    assert ("district_id",) not in indexed
    assert ("indicator_id",) not in indexed
    assert len(indexed) == len(set(indexed))
