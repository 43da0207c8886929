"""Writing imported values on PostgreSQL: COPY into a staging table, then one upsert.

The checked rows stream by COPY into a temporary staging table while the file is read. Once
the whole file is checked, the staged rows are compared with the stored values by one join
and written by one ``INSERT … ON CONFLICT (district, indicator, period) DO UPDATE … WHERE``
the row changed, whose ``RETURNING`` feeds the historical rows in the same statement. Every
step costs the same per row at a thousand rows as at a million, and the rows never sit in
Python's memory.

Writing in chunks while the rest of the file is still being read was measured and is slower
(docs/performance.md): each chunk's join reads the whole value table again, and on two
cores the reading competes with PostgreSQL for the CPU.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection

from districts.importing.history import HISTORY_COLUMNS, tracked_columns
from districts.importing.value_rows import CheckedValue
from districts.importing.value_writes import ImportSettings, ValueWriter, _outcome
from districts.models import Value

STAGING_TABLE = "saima_value_import"
# A file with more rows than this share of the value table's estimated size means the
# table's statistics may no longer describe it (autovacuum re-analyses after a tenth).
STALE_SHARE = 0.1
_JOIN = f"""FROM {STAGING_TABLE} AS s LEFT JOIN {Value._meta.db_table} AS v
    ON v.district_id = s.district_id AND v.indicator_id = s.indicator_id
    AND v.period = s.period"""


class StagedValueWriter(ValueWriter):
    def __init__(self, import_settings: ImportSettings, **options) -> None:
        super().__init__(import_settings, **options)
        self.copy = None
        self.staged = 0
        self.discarded = False

    def __enter__(self) -> StagedValueWriter:
        self.cursor = connection.cursor()
        self.cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        # A temporary table is the session's own: no other import sees it, and it is gone
        # when the transaction ends, committed or not.
        self.cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGING_TABLE} (
                row_number integer NOT NULL,
                district_id bigint NOT NULL,
                indicator_id bigint NOT NULL,
                period varchar(7) NOT NULL,
                value numeric NOT NULL,
                target numeric,
                note text
            ) ON COMMIT DROP"""
        )
        self._open_copy()
        return self

    def __exit__(self, *exc_info) -> None:
        self._close_copy(exc_info)
        self.cursor.close()

    def _open_copy(self) -> None:
        self._copy_block = self.cursor.copy(
            f"COPY {STAGING_TABLE} (row_number, district_id, indicator_id, period, value, "
            f"target, note) FROM STDIN"
        )
        self.copy = self._copy_block.__enter__()

    def _close_copy(self, exc_info=(None, None, None)) -> None:
        if self.copy is not None:
            self.copy = None
            self._copy_block.__exit__(*exc_info)

    def add(self, checked: CheckedValue) -> None:
        self.copy.write_row(checked)
        self.staged += 1

    def discard(self) -> None:
        """Stop loading: the file is refused, and the transaction's rollback drops the rest."""
        self._close_copy()
        self.discarded = True

    def loading_done(self) -> None:
        self._close_copy()
        if self.discarded or not self.staged:
            return
        # A temporary table has no statistics until asked: without them the planner
        # guesses a few rows and joins a million by nested loops.
        self.cursor.execute(f"ANALYZE {STAGING_TABLE}")
        self._analyse_values_if_stale()
        self.cursor.execute(f"SELECT DISTINCT district_id, period FROM {STAGING_TABLE}")
        self.pairs.update(self.cursor.fetchall())
        self._compare()
        if self.writing():
            self._write()

    def _analyse_values_if_stale(self) -> None:
        """ANALYZE the value table when its statistics are missing or small beside the file.

        Right after a large load (before autovacuum has come round) the value table has no
        statistics; the planner then looked values up through the (indicator, period) index
        and filtered on the district, 500 rows a lookup: 41 s instead of 4 s for re-importing
        100,000 changed values. ANALYZE samples a bounded number of rows, so this costs
        well under a second even for a large table, and only when it is needed."""
        self.cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Value._meta.db_table]
        )
        (estimated_rows,) = self.cursor.fetchone()
        if estimated_rows < 0 or self.staged > STALE_SHARE * estimated_rows:
            self.cursor.execute(f"ANALYZE {Value._meta.db_table}")

    def _differs(self, stored: str, new: str) -> str:
        """SQL that is true when the stored row ``stored`` differs from the file's ``new``."""
        s = self.settings
        terms = [f"{stored}.value <> {new}.value", f"{stored}.status <> %(status)s"]
        if s.has_target:
            terms.append(f"{stored}.target IS DISTINCT FROM {new}.target")
        if s.has_note:
            terms.append(f"{stored}.note <> {new}.note")
        return "(" + " OR ".join(terms) + ")"

    def _compare(self) -> None:
        s, comparison = self.settings, self.comparison
        differs = self._differs("v", "s")
        self.cursor.execute(
            f"""SELECT count(*),
                count(*) FILTER (WHERE v.id IS NULL),
                count(*) FILTER (WHERE v.id IS NOT NULL AND {differs}),
                count(*) FILTER (WHERE v.locked AND {differs})
            {_JOIN}""",
            {"status": s.status},
        )
        total, created, updated, locked = self.cursor.fetchone()
        # Only the rows to be listed are read back, never the whole file.
        listed = {
            "locked": (f"v.locked AND {differs}", locked and comparison.locked_room()),
            "changes": (f"v.id IS NULL OR {differs}", s.list_limit - len(comparison.changes)),
            "unchanged": (
                f"v.id IS NOT NULL AND NOT {differs}",
                s.preview_limit - len(comparison.unchanged_rows),
            ),
        }
        for kind, (condition, room) in listed.items():
            if room > 0:
                for outcome in self._outcomes(condition, room):
                    comparison.listed(kind, outcome)
        comparison.add_counts(
            created=created, updated=updated, unchanged=total - created - updated, locked=locked
        )

    def _outcomes(self, condition: str, limit: int):
        self.cursor.execute(
            f"""SELECT s.row_number, s.district_id, s.indicator_id, s.period, s.value,
                s.target, s.note, v.id IS NULL, v.value, v.target, v.note, v.status
            {_JOIN} WHERE {condition} ORDER BY s.row_number LIMIT %(limit)s""",
            {"status": self.settings.status, "limit": limit},
        )
        return [
            _outcome(CheckedValue(*row[:7]), None if row[7] else tuple(row[8:]), self.settings)
            for row in self.cursor.fetchall()
        ]

    def _write(self) -> None:
        s = self.settings
        params: dict[str, Any] = {
            "status": s.status,
            "user": s.user_id,
            "now": s.now,
            "reason": s.reason,
        }
        sources = {
            "district": "s.district_id",
            "indicator": "s.indicator_id",
            "period": "s.period",
            "value": "s.value",
            "target": "s.target",
            "note": "coalesce(s.note, '')",
            "status": "%(status)s",
            "version": "1",
            "entered_by": "%(user)s",
            "entered_at": "%(now)s",
        }
        columns, expressions = [], []
        for model_field in Value._meta.concrete_fields:
            if model_field.primary_key:
                continue
            columns.append(model_field.column)
            if model_field.name in sources:
                expressions.append(sources[model_field.name])
            else:  # justification, locked and any field added later: its default
                params[f"default_{model_field.name}"] = model_field.get_default()
                expressions.append(f"%(default_{model_field.name})s")
        updated = ["value", "status", *["target"] * s.has_target, *["note"] * s.has_note]
        assignments = [f"{name} = EXCLUDED.{name}" for name in updated] + [
            "version = v.version + 1",
            "entered_by_id = EXCLUDED.entered_by_id",
            "entered_at = EXCLUDED.entered_at",
        ]
        upsert = f"""INSERT INTO {Value._meta.db_table} AS v ({", ".join(columns)})
            SELECT {", ".join(expressions)} FROM {STAGING_TABLE} AS s
            ON CONFLICT (district_id, indicator_id, period) DO UPDATE
            SET {", ".join(assignments)}
            WHERE NOT v.locked AND {self._differs("v", "EXCLUDED")}"""
        tracked, history_insert = _history_insert()
        self.cursor.execute(
            f"""WITH written AS ({upsert} RETURNING {", ".join(tracked)}),
            history AS ({history_insert} FROM written)
            SELECT district_id, period, count(*) FROM written GROUP BY district_id, period""",
            params,
        )
        for district_id, period, rows in self.cursor.fetchall():
            self.written += rows
            self.written_pairs.add((district_id, period))


def _history_insert() -> tuple[list[str], str]:
    """The columns the upsert returns, and the INSERT that turns them into historical rows
    (its SELECT list, to be followed by ``FROM written``)."""
    tracked = tracked_columns(Value)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return tracked, "SELECT 1"
    # A new value starts at version 1 and a changed one is bumped past it.
    select = [
        *tracked,
        "%(now)s",
        "%(reason)s",
        "CASE WHEN version = 1 THEN '+' ELSE '~' END",
        "%(user)s",
    ]
    return tracked, (
        f"INSERT INTO {Value.history.model._meta.db_table} "
        f"({', '.join([*tracked, *HISTORY_COLUMNS])}) SELECT {', '.join(select)}"
    )
