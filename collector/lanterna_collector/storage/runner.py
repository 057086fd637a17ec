"""Run blocking store calls from async routes, one at a time, on a worker thread.

Span inserts are group-committed: while one insert runs, batches from other requests
wait, and the next insert writes all of them at once. Each request is still answered only
after its own spans are stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Final, TypeVar

import anyio
import anyio.to_thread

from lanterna_collector.storage.schema import STORED_SPAN_COLUMN_NAMES
from lanterna_collector.storage.store import SpanStore

T = TypeVar("T")

# Upper bound on spans written by one grouped insert; later batches wait for the next one.
_MAX_GROUP_SPANS: Final = 50_000

Columns = dict[str, list[Any]]


class StoreRunner:
    """Serialises every store call on one worker thread so the event loop never blocks."""

    def __init__(self, store: SpanStore) -> None:
        self.store = store
        self._limiter = anyio.CapacityLimiter(1)
        self._pending: list[tuple[Columns, asyncio.Future[int]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Call ``function(*args)`` on the store's worker thread and return its result."""
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)

    async def insert_spans(self, columns: Columns) -> int:
        """Store one request's spans (grouped with concurrent requests); return how many."""
        if not columns["span_id"]:
            return 0
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((columns, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    def _take_group(self) -> list[tuple[Columns, asyncio.Future[int]]]:
        group: list[tuple[Columns, asyncio.Future[int]]] = []
        size = 0
        while self._pending and (not group or size < _MAX_GROUP_SPANS):
            item = self._pending.pop(0)
            group.append(item)
            size += len(item[0]["span_id"])
        return group

    async def _flush(self) -> None:
        while self._pending:
            group = self._take_group()
            merged = _concat([columns for columns, _ in group])
            try:
                kept = await self.run(self.store.insert_new_spans, merged)
            except Exception as exc:  # every waiting request gets the store's error
                for _, future in group:
                    if not future.done():
                        future.set_exception(exc)
                continue
            offset = 0
            kept_set = set(kept)
            for columns, future in group:
                size = len(columns["span_id"])
                stored = sum(1 for i in range(offset, offset + size) if i in kept_set)
                offset += size
                if not future.done():
                    future.set_result(stored)


def _concat(groups: list[Columns]) -> Columns:
    if len(groups) == 1:
        return groups[0]
    return {
        name: [value for columns in groups for value in columns[name]]
        for name in STORED_SPAN_COLUMN_NAMES
    }
