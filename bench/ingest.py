"""Ingest throughput: OTLP protobuf over HTTP into the collector vs. a direct chDB insert.

Run: ``python bench/ingest.py [--batches N]``. Starts a collector subprocess on a free port
with a temporary LANTERNA_HOME, POSTs pre-encoded batches of 512 spans, and compares the
stored spans per second with inserting the same rows straight into a separate chDB
database from this process through clickhouse-connect.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import clickhouse_connect
import httpx
from lanterna_collector.otlp import SpanBatch, decode_protobuf
from lanterna_collector.storage.schema import DDL_STATEMENTS, SPANS_TABLE, STORED_SPAN_COLUMN_NAMES
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status

BATCH_SPANS = 512
SPANS_PER_TRACE = 8
START_TIMEOUT_S = 60.0
MAX_FIELD_BYTES = 64 * 1024
BASE_TIME_UNIX_NANO = 1_712_000_000_000_000_000
PROTOBUF_HEADERS = {"Content-Type": "application/x-protobuf"}
SPAN_NAMES = ("agent.run", "retrieve", "llm.chat", "tool.search", "rerank", "embed")
MODELS = ("gpt-4o", "gpt-4o-mini", "claude-sonnet", "llama-3-70b")


def _kv(key: str, value: str | int) -> KeyValue:
    if isinstance(value, int):
        return KeyValue(key=key, value=AnyValue(int_value=value))
    return KeyValue(key=key, value=AnyValue(string_value=value))


def make_spans(trace_index: int, rng: random.Random, span_count: int) -> list[Span]:
    """One realistic trace: an agent root and children (LLM calls, tools, retrieval)."""
    trace_id = rng.randbytes(16)
    start = BASE_TIME_UNIX_NANO + trace_index * 37_000_000
    is_error = rng.random() < 0.05
    session = f"session-{trace_index // 8}"
    spans: list[Span] = []
    root_id = rng.randbytes(8)
    for position in range(span_count):
        span_start = start + position * 3_000_000
        duration_ns = rng.randint(1_000_000, 400_000_000)
        attributes = [_kv("session.id", session), _kv("user.id", f"user-{trace_index % 97}")]
        if position % 3 == 1:
            attributes += [
                _kv("gen_ai.operation.name", "chat"),
                _kv("gen_ai.request.model", rng.choice(MODELS)),
                _kv("gen_ai.usage.input_tokens", rng.randint(50, 3000)),
                _kv("gen_ai.usage.output_tokens", rng.randint(10, 800)),
                _kv("input.value", '{"messages": [{"role": "user", "content": "Plan a trip"}]}'),
                _kv("output.value", "Here is a three day plan for Lisbon with museums..."),
            ]
        failed = is_error and position == span_count - 1
        spans.append(
            Span(
                trace_id=trace_id,
                span_id=root_id if position == 0 else rng.randbytes(8),
                parent_span_id=b"" if position == 0 else root_id,
                name=SPAN_NAMES[0] if position == 0 else rng.choice(SPAN_NAMES[1:]),
                kind=Span.SPAN_KIND_INTERNAL,
                start_time_unix_nano=span_start,
                end_time_unix_nano=span_start + duration_ns,
                attributes=attributes,
                status=Status(code=Status.STATUS_CODE_ERROR if failed else Status.STATUS_CODE_OK),
            )
        )
    return spans


def make_request(
    first_trace: int, trace_count: int, seed: int, spans_per_trace: int = SPANS_PER_TRACE
) -> bytes:
    """Serialise one ExportTraceServiceRequest holding ``trace_count`` traces."""
    rng = random.Random(seed)
    spans = [
        span
        for trace_index in range(first_trace, first_trace + trace_count)
        for span in make_spans(trace_index, rng, spans_per_trace)
    ]
    resource = Resource(attributes=[_kv("service.name", "bench-agent")])
    request = ExportTraceServiceRequest(
        resource_spans=[ResourceSpans(resource=resource, scope_spans=[ScopeSpans(spans=spans)])]
    )
    return request.SerializeToString()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_collector(home: Path) -> Iterator[str]:
    """Start ``python -m lanterna_collector`` on a free port; yield its URL; stop it."""
    port = free_port()
    env = {**os.environ, "LANTERNA_HOME": str(home)}
    with (home / "collector.log").open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lanterna_collector",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the collector did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def post_all(url: str, bodies: list[bytes], workers: int) -> None:
    """POST every body to /v1/traces with ``workers`` concurrent clients."""
    with httpx.Client(timeout=300) as client:

        def post(body: bytes) -> None:
            response = client.post(f"{url}/v1/traces", content=body, headers=PROTOBUF_HEADERS)
            response.raise_for_status()

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(post, bodies))


def count_spans(url: str) -> int:
    """Sum span_count over every stored trace, through the REST API."""
    total = 0
    token = None
    with httpx.Client(timeout=300) as client:
        while True:
            params: dict[str, Any] = {"limit": 1000} | ({"page_token": token} if token else {})
            page = client.get(f"{url}/api/v1/traces", params=params).json()
            total += sum(trace["span_count"] for trace in page["traces"])
            token = page["next_page_token"]
            if token is None:
                return total


def direct_insert_rate(bodies: list[bytes], path: Path) -> float:
    """Spans per second inserting the same decoded rows straight into chDB."""
    batches = []
    for body in bodies:
        batch = SpanBatch(MAX_FIELD_BYTES)
        decode_protobuf(body, batch)
        batches.append(batch)
    client = clickhouse_connect.get_client(dsn=f"chdb://{path}")
    for statement in DDL_STATEMENTS:
        client.command(statement)
    started = time.perf_counter()
    for batch in batches:
        client.insert(
            SPANS_TABLE,
            [batch.columns[name] for name in STORED_SPAN_COLUMN_NAMES],
            column_names=list(STORED_SPAN_COLUMN_NAMES),
            column_oriented=True,
        )
    elapsed = time.perf_counter() - started
    client.close()
    return sum(len(batch) for batch in batches) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200, help="batches of 512 spans")
    parser.add_argument("--workers", type=int, default=4, help="concurrent HTTP clients")
    args = parser.parse_args()
    traces_per_batch = BATCH_SPANS // SPANS_PER_TRACE
    bodies = [
        make_request(i * traces_per_batch, traces_per_batch, seed=i) for i in range(args.batches)
    ]
    span_total = args.batches * traces_per_batch * SPANS_PER_TRACE
    print(f"{len(bodies)} batches, {span_total} spans, {sum(map(len, bodies)) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory(prefix="lanterna-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        with running_collector(home) as url:
            started = time.perf_counter()
            post_all(url, bodies, args.workers)
            elapsed = time.perf_counter() - started
            stored = count_spans(url)
        collector_rate = stored / elapsed
        direct_rate = direct_insert_rate(bodies, Path(tmp) / "direct")

    print(f"collector (OTLP/HTTP protobuf): {collector_rate:10,.0f} spans/s ({stored} stored)")
    print(f"direct chDB insert:             {direct_rate:10,.0f} spans/s")
    print(f"ratio: {collector_rate / direct_rate:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
