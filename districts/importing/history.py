"""Historical records of rows an import wrote in bulk, written by the database itself.

django-simple-history's bulk helpers build one Python object per record and Django compiles
an INSERT of every field of every one: about a tenth of a millisecond a row. An import that
touches twenty thousand returns would spend seconds there, so the records are copied from
the rows as they now stand with one ``INSERT … SELECT`` per batch of ids: the same columns
the helpers fill, with the user, date, reason and type of change the import gives.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import connection, models

HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def tracked_columns(model: type[models.Model]) -> list[str]:
    """The columns a historical record copies from its row; fails loudly if the historical
    table has a column these bulk writes would leave empty."""
    historical = model.history.model
    tracked = [field.column for field in historical.tracked_fields]
    known = {*tracked, *HISTORY_COLUMNS, "history_id"}
    unknown = {field.column for field in historical._meta.concrete_fields} - known
    if unknown:
        table = historical._meta.db_table
        raise RuntimeError(f"{table} has columns the imports do not fill: {unknown}")
    return tracked


def history_copy(
    model: type[models.Model],
    ids: list[int],
    *,
    history_type: str,
    user_id: int | None,
    date: datetime,
    reason: str,
    batch_size: int,
) -> None:
    """Record rows ``ids`` of ``model`` as they now are: "+" created, "~" changed."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    quote = connection.ops.quote_name
    tracked = [quote(column) for column in tracked_columns(model)]
    columns = ", ".join([*tracked, *map(quote, HISTORY_COLUMNS)])
    table, historical = model._meta.db_table, model.history.model._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            cursor.execute(
                f"INSERT INTO {quote(historical)} ({columns}) "
                f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})",
                [date, reason, history_type, user_id, *batch],
            )
