"""ClickHouse storage: schema, span writes and the queries behind the REST API."""

from __future__ import annotations

from lanterna_collector.storage.store import SpanStore

__all__ = ["SpanStore"]
