"""Fixtures for collector tests: a real OpenTelemetry SDK exporting to the collector, and an
in-process chDB store for tests of the SQL the collector generates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import clickhouse_connect
import pytest
from clickhouse_connect.driver.client import Client
from lanterna_collector.storage import schema
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor


@pytest.fixture
def otel_tracer_provider(collector: Any) -> Iterator[TracerProvider]:
    """A real TracerProvider exporting over OTLP/HTTP protobuf to the session collector."""
    provider = TracerProvider(resource=Resource.create({"service.name": "otel-tests"}))
    exporter = OTLPSpanExporter(endpoint=f"{collector.url}/v1/traces", timeout=30)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider
    provider.shutdown()


@pytest.fixture(scope="session")
def chdb_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """One embedded chDB store for the whole run, with Lanterna's schema created.

    chDB allows a single engine and a single data path per process, so every in-process
    ClickHouse test shares this client; tests keep apart by using projects of their own.
    Collector processes started by other fixtures open their own chDB in their own process.
    """
    path = tmp_path_factory.mktemp("chdb") / "db"
    client = clickhouse_connect.get_client(dsn=f"chdb://{path}")
    for statement in schema.DDL_STATEMENTS:
        client.command(statement)
    yield client
    client.close()
