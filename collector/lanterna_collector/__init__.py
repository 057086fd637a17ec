"""Lanterna's collector: OTLP/HTTP ingest into ClickHouse and the REST API."""

from __future__ import annotations

from lanterna_collector.app import create_app
from lanterna_collector.server import serve
from lanterna_collector.settings import CollectorSettings

__all__ = ["CollectorSettings", "create_app", "serve"]
