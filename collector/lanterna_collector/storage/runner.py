"""Run blocking store calls from async routes, one at a time, on a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from lanterna_collector.storage.store import SpanStore

T = TypeVar("T")


class StoreRunner:
    """Serialises every store call on one worker thread so the event loop never blocks."""

    def __init__(self, store: SpanStore) -> None:
        self.store = store
        self._limiter = anyio.CapacityLimiter(1)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Call ``function(*args)`` on the store's worker thread and return its result."""
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)
