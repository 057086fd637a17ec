"""Values at the edge of what OTLP allows: each odd span is stored or rejected on its own."""

from __future__ import annotations

import time
from typing import Any

import httpx
from otlp_payloads import (
    get_trace,
    json_request,
    json_span,
    new_project,
    new_span_id,
    new_trace_id,
    post_json,
    spans_by_name,
)


def test_integer_wider_than_64_bits_is_kept_as_text_and_nothing_else_is_lost(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    odd = json_span(trace_id, name="odd")
    odd["attributes"] = [{"key": "i", "value": {"intValue": "1180591620717411303424"}}]
    good = json_span(trace_id, name="good")

    response = post_json(collector.url, json_request([odd, good]))

    assert response.status_code == 200, response.text
    spans = spans_by_name(get_trace(collector.url, trace_id))
    assert spans["odd"]["attributes"]["i"] == "1180591620717411303424"
    assert "good" in spans


def test_absurd_token_count_counts_as_none_and_keeps_its_attribute(collector: Any) -> None:
    trace_id = new_trace_id()
    span = json_span(
        trace_id, attributes={"gen_ai.usage.input_tokens": 1e300, "gen_ai.usage.output_tokens": 7}
    )

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["input_tokens"] == 0 and stored["output_tokens"] == 7
    assert float(stored["attributes"]["gen_ai.usage.input_tokens"]) == 1e300


def test_span_without_start_time_is_rejected_by_name_and_its_neighbour_is_stored(
    collector: Any,
) -> None:
    trace_id = new_trace_id()
    no_start = json_span(trace_id, name="no-start")
    del no_start["startTimeUnixNano"]
    good = json_span(trace_id, name="good")

    response = post_json(collector.url, json_request([no_start, good]))

    assert response.status_code == 200, response.text
    partial = response.json()["partialSuccess"]
    assert partial["rejectedSpans"] == "1"
    assert "startTimeUnixNano" in partial["errorMessage"]
    assert list(spans_by_name(get_trace(collector.url, trace_id))) == ["good"]


def test_span_starting_years_ahead_is_rejected(collector: Any) -> None:
    trace_id = new_trace_id()
    ahead = json_span(trace_id, start=9_223_372_036_854_775_000)

    response = post_json(collector.url, json_request([ahead]))

    assert response.status_code == 200, response.text
    assert "in the future" in response.json()["partialSuccess"]["errorMessage"]
    missing = httpx.get(f"{collector.api}/traces/{trace_id}", timeout=30)
    assert missing.status_code == 404


def test_all_zero_parent_span_id_makes_a_root(collector: Any) -> None:
    trace_id = new_trace_id()
    span = json_span(trace_id, name="top", parent_span_id="0000000000000000")

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["parent_span_id"] == ""
    listed = httpx.get(
        f"{collector.api}/traces", params={"filter": f"trace_id = '{trace_id}'"}, timeout=30
    ).json()["traces"]
    assert [trace["name"] for trace in listed] == ["top"]


def test_megabyte_span_name_is_cut_and_marked(collector: Any) -> None:
    trace_id = new_trace_id()
    span = json_span(trace_id, name="n" * 1_000_000)

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["name"] == "n" * 1024
    assert stored["attributes"]["lanterna.span.name.truncated"] == "true"
    assert stored["attributes"]["lanterna.span.name.original_size_bytes"] == "1000000"


def test_projects_are_listed_most_recently_active_first(collector: Any) -> None:
    older, newer = new_project(), new_project()
    now = time.time_ns()
    for project, start in ((older, now - 3_600_000_000_000), (newer, now)):
        span = json_span(new_trace_id(), new_span_id(), start=start)
        assert post_json(collector.url, json_request([span], project=project)).status_code == 200

    response = httpx.get(f"{collector.api}/projects", timeout=30)

    assert response.status_code == 200, response.text
    names = [project["name"] for project in response.json()["projects"]]
    assert names.index(newer) < names.index(older)
    (listed,) = [p for p in response.json()["projects"] if p["name"] == newer]
    assert listed["trace_count"] == 1
    assert listed["last_start_time"].endswith("Z") or "+00:00" in listed["last_start_time"]


def test_span_ending_centuries_ahead_is_corrected_to_zero_duration(collector: Any) -> None:
    trace_id = new_trace_id()
    span = json_span(trace_id, name="far", duration_ns=None)
    span["endTimeUnixNano"] = str(2**63)

    response = post_json(collector.url, json_request([span]))

    assert response.status_code == 200, response.text
    (stored,) = get_trace(collector.url, trace_id)["spans"]
    assert stored["duration_ms"] == 0
    assert stored["attributes"]["lanterna.end_time.corrected"] == "true"
    assert stored["attributes"]["lanterna.end_time.original_unix_nano"] == str(2**63)
