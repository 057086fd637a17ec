"""The ClickHouse store: one clickhouse-connect client, the DDL, and span writes.

The same code runs on embedded chDB (``chdb:///path``) and on a ClickHouse server
(``clickhouse://`` or ``https://``). The chDB client is not thread-safe, so every call goes
through one lock; the API layer also runs store calls on a single worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import clickhouse_connect
from clickhouse_connect.driver.client import Client
from clickhouse_connect.driver.exceptions import ClickHouseError

from lanterna_collector.errors import StorageError
from lanterna_collector.storage.schema import (
    DDL_STATEMENTS,
    SPANS_TABLE,
    STORED_SPAN_COLUMN_NAMES,
    STORED_SPAN_COLUMNS,
)

logger = logging.getLogger(__name__)

_CHDB_SCHEME: Final = "chdb://"
_HTTPS_SCHEME: Final = "https://"
_SPAN_COLUMN_TYPES: Final = [kind for _, kind in STORED_SPAN_COLUMNS]
_EXISTING_SPANS_SQL: Final = (
    f"SELECT trace_id, span_id, trace_minute FROM {SPANS_TABLE} "
    "WHERE project = {project:String} AND trace_id IN {trace_ids:Array(String)}"
)
_LATEST_START_SQL: Final = (
    f"SELECT max(start_time_unix_nano) FROM {SPANS_TABLE} WHERE project = {{project:String}}"
)


def connect(dsn: str, **options: Any) -> Client:
    """Open a clickhouse-connect client for a ``chdb://``, ``clickhouse://`` or ``https://`` DSN.

    clickhouse-connect reads host, port, user and database from a DSN but not its scheme,
    so an ``https://`` URL has to ask for TLS itself.
    """
    if dsn.startswith(_HTTPS_SCHEME):
        options.setdefault("secure", True)
    return clickhouse_connect.get_client(dsn=dsn, **options)


class SpanStore:
    """Opens the ClickHouse database, creates the schema, writes and reads spans."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._client: Client | None = None
        self._lock = threading.Lock()
        self._latest_start: dict[str, int] = {}

    def open(self) -> None:
        """Connect and create the tables that do not exist yet.

        Raises:
            StorageError: the database cannot be reached or the DDL fails.
        """
        if self._dsn.startswith(_CHDB_SCHEME):
            Path(self._dsn.removeprefix(_CHDB_SCHEME)).mkdir(parents=True, exist_ok=True)
        try:
            self._client = connect(self._dsn)
            for statement in DDL_STATEMENTS:
                self._client.command(statement)
        except (ClickHouseError, OSError) as exc:
            raise StorageError(f"Cannot open ClickHouse at {self._dsn!r}: {exc}") from exc
        logger.info("span store open at %s", self._dsn)

    def close(self) -> None:
        """Release the client; further calls raise ``StorageError``."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    @property
    def client(self) -> Client:
        if self._client is None:
            raise StorageError("The span store is not open.")
        return self._client

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts keyed by column name."""
        with self._lock:
            result = self.client.query(sql, parameters=parameters or {})
        names = result.column_names
        return [dict(zip(names, row, strict=True)) for row in result.result_rows]

    def command(self, sql: str) -> None:
        """Run a statement that returns no rows."""
        with self._lock:
            self.client.command(sql)

    def insert_spans(self, columns: dict[str, list[Any]]) -> int:
        """Store spans given as column lists, skipping any already stored; return how many."""
        return len(self.insert_new_spans(columns))

    def insert_new_spans(self, columns: dict[str, list[Any]]) -> Sequence[int]:
        """Store spans given as column lists, skipping any already stored.

        A span is identified by (project, trace_id, span_id); duplicates inside the batch
        and spans stored by an earlier request are both skipped.

        Returns:
            The indexes (into the given columns) of the spans that were written.
        """
        if not columns["span_id"]:
            return []
        with self._lock:
            keep = self._new_span_indexes(columns)
            if not keep:
                return []
            if len(keep) < len(columns["span_id"]):
                columns = {name: [values[i] for i in keep] for name, values in columns.items()}
            self._note_latest_starts(columns)
            self.client.insert(
                SPANS_TABLE,
                [columns[name] for name in STORED_SPAN_COLUMN_NAMES],
                column_names=list(STORED_SPAN_COLUMN_NAMES),
                column_type_names=_SPAN_COLUMN_TYPES,
                column_oriented=True,
            )
        logger.debug("stored %d spans", len(keep))
        return keep

    def latest_start(self, project: str) -> int:
        """The latest span start stored for ``project`` (0 when it has none).

        Kept in memory after the first read and raised by every insert. Another writer can
        make it lag behind, which only makes a newest-first page look further back.
        """
        with self._lock:
            if project not in self._latest_start:
                result = self.client.query(_LATEST_START_SQL, parameters={"project": project})
                self._latest_start[project] = int(result.result_rows[0][0] or 0)
            return self._latest_start[project]

    def _note_latest_starts(self, columns: dict[str, list[Any]]) -> None:
        for project, start in zip(columns["project"], columns["start_time_unix_nano"], strict=True):
            if project in self._latest_start and start > self._latest_start[project]:
                self._latest_start[project] = start

    def _new_span_indexes(self, columns: dict[str, list[Any]]) -> Sequence[int]:
        """Find which spans are new, and give each trace the trace_minute it already has."""
        projects: list[str] = columns["project"]
        trace_ids: list[str] = columns["trace_id"]
        span_ids: list[str] = columns["span_id"]
        seen: set[tuple[str, str, str]] = set()
        trace_minutes: dict[tuple[str, str], int] = {}
        for project in set(projects):
            project_trace_ids = list(
                {t for p, t in zip(projects, trace_ids, strict=True) if p == project}
            )
            result = self.client.query(
                _EXISTING_SPANS_SQL,
                parameters={"project": project, "trace_ids": project_trace_ids},
            )
            for trace_id, span_id, trace_minute in result.result_rows:
                seen.add((project, trace_id, span_id))
                trace_minutes[(project, trace_id)] = trace_minute
        keep: list[int] = []
        for index, key in enumerate(zip(projects, trace_ids, span_ids, strict=True)):
            if key not in seen:
                seen.add(key)
                keep.append(index)
        _assign_trace_minutes(columns, trace_minutes)
        return keep


def _assign_trace_minutes(
    columns: dict[str, list[Any]], stored: dict[tuple[str, str], int]
) -> None:
    """Stored traces keep their minute; a new trace takes its earliest span's minute."""
    minutes = dict(stored)
    keys = list(zip(columns["project"], columns["trace_id"], strict=True))
    for key, minute in zip(keys, columns["trace_minute"], strict=True):
        if key not in stored and minute < minutes.get(key, minute + 1):
            minutes[key] = minute
    columns["trace_minute"] = [minutes[key] for key in keys]
