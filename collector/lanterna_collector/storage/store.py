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
    SPAN_COLUMN_NAMES,
    SPAN_COLUMNS,
    SPANS_TABLE,
)

logger = logging.getLogger(__name__)

_CHDB_SCHEME: Final = "chdb://"
_SPAN_COLUMN_TYPES: Final = [kind for _, kind in SPAN_COLUMNS]
_EXISTING_SPANS_SQL: Final = (
    f"SELECT trace_id, span_id FROM {SPANS_TABLE} "
    "WHERE project = {project:String} AND trace_id IN {trace_ids:Array(String)}"
)


class SpanStore:
    """Opens the ClickHouse database, creates the schema, writes and reads spans."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._client: Client | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        """Connect and create the tables that do not exist yet.

        Raises:
            StorageError: the database cannot be reached or the DDL fails.
        """
        if self._dsn.startswith(_CHDB_SCHEME):
            Path(self._dsn.removeprefix(_CHDB_SCHEME)).mkdir(parents=True, exist_ok=True)
        try:
            self._client = clickhouse_connect.get_client(dsn=self._dsn)
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
        """Store spans given as column lists, skipping any already stored; return how many.

        A span is identified by (project, trace_id, span_id); duplicates inside the batch
        and spans stored by an earlier request are both skipped.
        """
        if not columns["span_id"]:
            return 0
        with self._lock:
            keep = self._new_span_indexes(columns)
            if not keep:
                return 0
            if len(keep) < len(columns["span_id"]):
                columns = {name: [values[i] for i in keep] for name, values in columns.items()}
            self.client.insert(
                SPANS_TABLE,
                [columns[name] for name in SPAN_COLUMN_NAMES],
                column_names=list(SPAN_COLUMN_NAMES),
                column_type_names=_SPAN_COLUMN_TYPES,
                column_oriented=True,
            )
        logger.debug("stored %d spans", len(keep))
        return len(keep)

    def _new_span_indexes(self, columns: dict[str, list[Any]]) -> Sequence[int]:
        projects: list[str] = columns["project"]
        trace_ids: list[str] = columns["trace_id"]
        span_ids: list[str] = columns["span_id"]
        seen: set[tuple[str, str, str]] = set()
        for project in set(projects):
            project_trace_ids = list(
                {t for p, t in zip(projects, trace_ids, strict=True) if p == project}
            )
            result = self.client.query(
                _EXISTING_SPANS_SQL,
                parameters={"project": project, "trace_ids": project_trace_ids},
            )
            seen.update((project, trace_id, span_id) for trace_id, span_id in result.result_rows)
        keep: list[int] = []
        for index, key in enumerate(zip(projects, trace_ids, span_ids, strict=True)):
            if key not in seen:
                seen.add(key)
                keep.append(index)
        return keep
