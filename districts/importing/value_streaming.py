"""Writing imported values on PostgreSQL while the rest of the file is still being read.

An import that lists nothing (the command line at its usual verbosity) needs no comparison
before it writes: the upsert's own ``WHERE`` leaves unchanged and locked rows alone, and what
it returns says what was created and changed. So the checked rows go to the database a chunk
of ``CHUNK_ROWS`` at a time, by a thread of their own, while this one reads and checks the
next chunk: on two cores the checks and PostgreSQL's writing (the upsert, its history and the
foreign-key checks, about three quarters of an import's time) overlap, instead of the one
waiting for the other (docs/performance.md).

A locked value is never written, since the upsert skips it. Rows left unwritten are either
unchanged or locked; when there are any, one join of the whole file with the stored values
finds the locked ones once the file is read, and the file is refused as before. A refused
file (a problem in any row, or a locked value) is undone by the import's transaction, as the
batched writer's chunks are.
"""

from __future__ import annotations

import queue
import threading

from django.db import DEFAULT_DB_ALIAS, connections

from districts.importing.value_rows import CheckedValue
from districts.importing.value_staging import (
    STAGING_TABLE,
    StagedValueWriter,
    copy_statement,
    create_staging_table,
)
from districts.models import Value

# Small enough that the last chunk, written after the file is read, is a short wait; large
# enough that each chunk's few statements cost little beside its rows.
CHUNK_ROWS = 10_000
CHUNK_TABLE = "saima_value_import_chunk"
_NO_MORE_ROWS = None


class StreamedValueWriter(StagedValueWriter):
    def __init__(self, import_settings, **options) -> None:
        super().__init__(import_settings, **options)
        # The main thread's own connection: the writing thread shares it, and so the
        # transaction the import runs in.
        self.database = connections[DEFAULT_DB_ALIAS]
        self.lines: list[str] = []
        # At most one chunk waits while another is written, so memory holds three at most.
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self.worker: threading.Thread | None = None
        self.failure: BaseException | None = None
        self.stopping = False
        self.created = 0
        self.deferred_foreign_keys: list[str] = []

    def __enter__(self) -> StreamedValueWriter:
        self.cursor = self.database.cursor()
        create_staging_table(self.cursor, STAGING_TABLE)
        create_staging_table(self.cursor, CHUNK_TABLE)
        self._check_foreign_keys_per_statement()
        self.database.inc_thread_sharing()
        self.worker = threading.Thread(target=self._write_chunks, name="saima-value-import")
        self.worker.start()
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        self.stopping = exc_type is not None
        self._stop_worker()
        if exc_type is None and self.failure is None:
            self._defer_foreign_keys_again()
        self.cursor.close()

    def add(self, checked: CheckedValue) -> None:
        self.lines.append(_copy_line(checked))
        self.pairs.add((checked.district_id, checked.period))
        self.staged += 1
        if len(self.lines) == CHUNK_ROWS:
            self._hand_over()

    def discard(self) -> None:
        self.lines = []
        self.stopping = True
        self._stop_worker()
        self.discarded = True

    def loading_done(self) -> None:
        if self.lines:
            self._hand_over()
        self._stop_worker()
        if self.failure is not None:
            raise self.failure
        self._count()

    def _hand_over(self) -> None:
        self.chunks.put("".join(self.lines).encode())
        self.lines = []

    def _stop_worker(self) -> None:
        if self.worker is None:
            return
        self.chunks.put(_NO_MORE_ROWS)
        self.worker.join()
        self.worker = None
        self.database.dec_thread_sharing()

    def _write_chunks(self) -> None:
        """The writing thread: each chunk handed over, until there are no more. After a
        failure it only takes the chunks, so that the reading thread is never kept waiting."""
        cursor = self.database.cursor()
        try:
            while (chunk := self.chunks.get()) is not _NO_MORE_ROWS:
                if self.failure is None and not self.stopping:
                    try:
                        self._write_chunk(cursor, chunk)
                    except BaseException as error:  # raised again in the reading thread
                        self.failure = error
        finally:
            cursor.close()

    def _write_chunk(self, cursor, chunk: bytes) -> None:
        cursor.execute(f"TRUNCATE {CHUNK_TABLE}")
        with cursor.copy(copy_statement(CHUNK_TABLE)) as copy:
            copy.write(chunk)
        # The whole file stays staged, for finding locked rows once it is read.
        cursor.execute(f"INSERT INTO {STAGING_TABLE} SELECT * FROM {CHUNK_TABLE}")
        if self.may_write():
            self.created += self._write_from(CHUNK_TABLE, cursor)

    def _count(self) -> None:
        """Count what the file did; rows left unwritten are unchanged unless locked."""
        comparison, unwritten = self.comparison, self.staged - self.written
        locked = 0
        if unwritten:
            self.cursor.execute(f"ANALYZE {STAGING_TABLE}")
            condition = f"v.locked AND {self._differs('v', 's')}"
            self.cursor.execute(
                f"SELECT count(*) {_staged_join()} WHERE {condition}",
                {"status": self.settings.status},
            )
            (locked,) = self.cursor.fetchone()
            if locked:
                for outcome in self._outcomes(condition, comparison.locked_room()):
                    comparison.listed("locked", outcome)
        comparison.add_counts(
            created=self.created,
            updated=self.written - self.created,
            unchanged=unwritten - locked,
            locked=locked,
        )

    def _check_foreign_keys_per_statement(self) -> None:
        """Check the written rows' foreign keys as each chunk is written rather than all at
        the commit, where they would wait for the whole file and take a quarter of its time;
        they are deferred again afterwards, as Django declares them."""
        self.cursor.execute(
            """SELECT conname FROM pg_constraint
            WHERE conrelid IN (%s::regclass, %s::regclass)
            AND contype = 'f' AND condeferrable AND condeferred""",
            [Value._meta.db_table, Value.history.model._meta.db_table],
        )
        quote = self.database.ops.quote_name
        self.deferred_foreign_keys = [quote(name) for (name,) in self.cursor.fetchall()]
        if self.deferred_foreign_keys:
            self.cursor.execute(
                f"SET CONSTRAINTS {', '.join(self.deferred_foreign_keys)} IMMEDIATE"
            )

    def _defer_foreign_keys_again(self) -> None:
        if self.deferred_foreign_keys:
            self.cursor.execute(f"SET CONSTRAINTS {', '.join(self.deferred_foreign_keys)} DEFERRED")


def _copy_line(checked: CheckedValue) -> str:
    """``checked`` as a line of COPY's text format, as psycopg's ``write_row`` writes it.

    The rows are formatted here, by the thread that reads the file, because the writing
    thread formatting them row by row would wait for the interpreter lock at every turn
    while this thread holds it (a sixth of an import's time, measured)."""
    row, district_id, indicator_id, period, value, target, note = checked
    target_text = _NULL if target is None else str(target)
    note_text = _NULL if note is None else note.translate(_COPY_ESCAPES)
    return f"{row}\t{district_id}\t{indicator_id}\t{period}\t{value}\t{target_text}\t{note_text}\n"


# COPY's text format: backslash escapes for the backslash itself and the characters that end
# a field or a line; NULL is \N. The checks refuse NUL, which text cannot hold.
_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _staged_join() -> str:
    return f"""FROM {STAGING_TABLE} AS s JOIN {Value._meta.db_table} AS v
        ON v.district_id = s.district_id AND v.indicator_id = s.indicator_id
        AND v.period = s.period"""
