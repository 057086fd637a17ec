"""Case I-2: spans that end before they start, or never end, get sane durations."""

from __future__ import annotations

import statistics
from typing import Any

import httpx
from otlp_payloads import (
    BASE_TIME_UNIX_NANO,
    get_trace,
    json_request,
    json_span,
    new_project,
    new_trace_id,
    post_json,
    spans_by_name,
)

TEN_MS_NS = 10_000_000


def test_skewed_and_unfinished_spans_are_stored_with_durations_between_zero_and_ten_ms(
    collector: Any,
) -> None:
    project = new_project()
    trace_id = new_trace_id()
    skewed = json_span(trace_id, name="A", start=1712000005000000000, duration_ns=None)
    skewed["endTimeUnixNano"] = "1712000004000000000"
    zero_end = json_span(trace_id, name="B", duration_ns=None)
    zero_end["endTimeUnixNano"] = "0"
    no_end = json_span(trace_id, name="C", duration_ns=None)
    ordinary = [
        json_span(trace_id, name=f"ok-{i}", start=BASE_TIME_UNIX_NANO + i, duration_ns=TEN_MS_NS)
        for i in range(100)
    ]

    response = post_json(
        collector.url, json_request([skewed, zero_end, no_end, *ordinary], project)
    )

    assert response.status_code == 200, response.text
    assert response.json() == {}
    spans = get_trace(collector.url, trace_id, project)["spans"]
    assert len(spans) == 103
    durations = [span["duration_ms"] for span in spans]
    assert all(0 <= duration <= 10 for duration in durations)
    assert statistics.median(durations) == 10
    assert sorted(durations)[int(0.99 * len(durations))] == 10
    by_name = spans_by_name({"spans": spans})
    a = by_name["A"]
    assert a["duration_ms"] == 0
    assert a["end_time_unix_nano"] == a["start_time_unix_nano"]
    assert a["attributes"]["lanterna.end_time.corrected"] == "true"
    assert a["attributes"]["lanterna.end_time.original_unix_nano"] == "1712000004000000000"
    for name in ("B", "C"):
        assert by_name[name]["duration_ms"] == 0
        assert by_name[name]["attributes"]["lanterna.span.unfinished"] == "true"
        assert by_name[name]["status"] == "OK"
    assert "lanterna.span.unfinished" not in by_name["ok-0"]["attributes"]


def test_trace_list_shows_no_negative_or_absurd_duration_for_skewed_traces(
    collector: Any,
) -> None:
    project = new_project()
    skewed_trace, unfinished_trace = new_trace_id(), new_trace_id()
    skewed = json_span(skewed_trace, name="skewed", start=1712000005000000000, duration_ns=None)
    skewed["endTimeUnixNano"] = "1712000004000000000"
    unfinished = json_span(unfinished_trace, name="unfinished", duration_ns=None)

    post_json(collector.url, json_request([skewed, unfinished], project)).raise_for_status()

    traces = httpx.get(f"{collector.api}/traces", params={"project": project}, timeout=30).json()[
        "traces"
    ]
    assert {trace["trace_id"]: trace["duration_ms"] for trace in traces} == {
        skewed_trace: 0.0,
        unfinished_trace: 0.0,
    }
