"""The tracing cases T-1 to T-5, end to end: SDK -> OTLP/HTTP -> collector -> REST API."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import lanterna
import pytest
import tracing_cases as cases
from lanterna.testing import configure_in_memory

_TIMEOUT_S = 30


@pytest.fixture
def project(collector: Any) -> Iterator[str]:
    """Lanterna sending to the shared collector under a project of this test's own."""
    name = f"sdk-{uuid.uuid4().hex[:12]}"
    lanterna.configure(endpoint=collector.url, project=name)
    yield name
    configure_in_memory()


def _trace(collector: Any, project: str, trace_id: str) -> dict[str, Any]:
    response = httpx.get(
        f"{collector.api}/traces/{trace_id}", params={"project": project}, timeout=_TIMEOUT_S
    )
    assert response.status_code == 200, response.text
    return response.json()


def _traces_of(collector: Any, project: str, trace_ids: set[str]) -> list[dict[str, Any]]:
    return [_trace(collector, project, trace_id) for trace_id in sorted(trace_ids)]


def _trace_ids_from(collector: Any, project: str, expected: int) -> set[str]:
    response = httpx.get(
        f"{collector.api}/traces",
        params={"project": project, "limit": max(expected * 2, 10)},
        timeout=_TIMEOUT_S,
    )
    assert response.status_code == 200, response.text
    return {row["trace_id"] for row in response.json()["traces"]}


def test_t1_generators_stopped_early_are_stored_once_each(collector: Any, project: str) -> None:
    cases.run_case_t1()
    assert lanterna.flush()

    trace_ids = _trace_ids_from(collector, project, 6)
    traces = _traces_of(collector, project, trace_ids)
    spans = [span for trace in traces for span in trace["spans"]]
    assert len(traces) == 6 and len(spans) == 7
    assert len({s["span_id"] for s in spans}) == 7
    assert all(s["end_time_unix_nano"] for s in spans)
    assert all(s["status"] != "ERROR" and not s["events"] for s in spans)
    (agent_trace,) = [t for t in traces if len(t["spans"]) == 2]
    by_name = {s["name"]: s for s in agent_trace["spans"]}
    assert by_name["tokens"]["parent_span_id"] == by_name["agent"]["span_id"]
    assert by_name["tokens"]["outputs"] == ["t0", "t1"]
    assert lanterna.open_span_count() == 0


def test_t2_async_generators_keep_one_tree_in_storage(collector: Any, project: str) -> None:
    assert asyncio.run(cases.pipeline()) == [0, 10, 20]
    assert lanterna.flush()

    (trace_id,) = _trace_ids_from(collector, project, 1)
    spans = _trace(collector, project, trace_id)["spans"]
    by_name = {s["name"]: s for s in spans}
    assert by_name["relay"]["parent_span_id"] == by_name["pipeline"]["span_id"]
    assert by_name["chunks"]["parent_span_id"] == by_name["relay"]["span_id"]
    lookups = [s for s in spans if s["name"] == "lookup"]
    assert len(lookups) == 3
    assert all(s["parent_span_id"] == by_name["chunks"]["span_id"] for s in lookups)
    for name in ("chunks", "relay"):
        span = by_name[name]
        assert span["end_time_unix_nano"] - span["start_time_unix_nano"] >= 300_000_000
    assert by_name["chunks"]["outputs"] == [0, 10, 20]


@pytest.mark.parametrize("name", list(cases.CALLS))
def test_t3_each_error_is_stored_with_one_exception_event(
    collector: Any, project: str, name: str
) -> None:
    err, caught = cases.caught_exception(cases.CALLS[name])
    assert caught is err
    assert lanterna.flush()

    (trace_id,) = _trace_ids_from(collector, project, 1)
    (span,) = _trace(collector, project, trace_id)["spans"]
    assert span["status"] == "ERROR"
    (event,) = span["events"]
    event_text = json.dumps(event)
    assert "Boom" in event_text and "bad input" in event_text and "raise e" in event_text
    if name in ("g", "ag"):
        assert span["outputs"] == [1]


def test_t4_unusual_values_are_stored_as_valid_json(collector: Any, project: str) -> None:
    import datetime as dt

    import numpy as np

    stream, _ = cases.search(
        np.array([1, 2, 3], dtype=np.float32),
        cases.Passage(pid=4, body="café"),
        dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC),
        b"\x01\xfe",
        {"red"},
    )
    assert list(stream) == [0, 1, 2]
    assert lanterna.flush()

    (trace_id,) = _trace_ids_from(collector, project, 1)
    (span,) = _trace(collector, project, trace_id)["spans"]
    assert span["inputs"]["passage"] == {"pid": 4, "body": "café"}
    assert span["inputs"]["vec"] == [1.0, 2.0, 3.0]
    generator, info = span["outputs"]
    assert generator == "<generator>"
    assert info["at"] == "2025-03-01T12:00:00+00:00"
    assert info["ref"] == "00000000-0000-0000-0000-000000000007"
    assert info["labels"] == ["red"] and info["match"] == {"weight": 0.25}


def test_t5_an_oversized_output_is_stored_truncated_with_its_span(
    collector: Any, project: str
) -> None:
    lanterna.configure(endpoint=collector.url, project=project, max_field_bytes=10_000)
    assert cases.answer("q") == 100
    assert lanterna.flush()

    (trace_id,) = _trace_ids_from(collector, project, 1)
    spans = {s["name"]: s for s in _trace(collector, project, trace_id)["spans"]}
    retrieve, answer = spans["retrieve"], spans["answer"]
    assert retrieve["parent_span_id"] == answer["span_id"]
    assert retrieve["status"] == "OK" and answer["status"] == "OK"
    assert retrieve["end_time_unix_nano"] > retrieve["start_time_unix_nano"]
    stored = retrieve["outputs"]
    assert isinstance(stored, str) and len(stored.encode()) <= 10_000
    assert stored.endswith(lanterna.TRUNCATION_MARKER)
    assert retrieve["attributes"]["lanterna.outputs.truncated"] in (True, "true")
    assert int(retrieve["attributes"]["lanterna.outputs.original_size_bytes"]) > 4_000_000
