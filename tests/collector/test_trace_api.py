"""The REST trace list (paging, filters, errors), one trace's spans, and sessions."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from otlp_payloads import (
    BASE_TIME_UNIX_NANO,
    json_request,
    json_span,
    new_project,
    new_trace_id,
    post_json,
)

SECOND_NS = 1_000_000_000


def _store_traces(collector: Any, project: str, count: int) -> list[str]:
    """Store ``count`` two-span traces one second apart; return ids oldest first."""
    trace_ids = [new_trace_id() for _ in range(count)]
    spans = []
    for index, trace_id in enumerate(trace_ids):
        start = BASE_TIME_UNIX_NANO + index * SECOND_NS
        root = json_span(trace_id, name=f"root-{index}", start=start, duration_ns=50_000_000)
        spans.append(root)
        spans.append(
            json_span(
                trace_id,
                name="child",
                parent_span_id=root["spanId"],
                start=start + 1,
                status_code=2 if index % 3 == 0 else 0,
                attributes={"session.id": f"s-{index % 2}", "user.id": "u-1"}
                | ({"gen_ai.usage.input_tokens": 10} if index % 2 else {}),
            )
        )
    post_json(collector.url, json_request(spans, project)).raise_for_status()
    return trace_ids


def _get(collector: Any, path: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{collector.api}{path}", params=params, timeout=30)


def test_trace_list_pages_newest_first_without_gaps_or_repeats(collector: Any) -> None:
    project = new_project()
    trace_ids = _store_traces(collector, project, 7)

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"project": project, "limit": 3} | ({"page_token": token} if token else {})
        page = _get(collector, "/traces", **params).json()
        seen += [trace["trace_id"] for trace in page["traces"]]
        pages += 1
        token = page["next_page_token"]
        if token is None:
            break

    assert seen == list(reversed(trace_ids))
    assert pages == 3


def test_trace_list_rows_carry_root_name_times_counts_and_tokens(collector: Any) -> None:
    project = new_project()
    trace_ids = _store_traces(collector, project, 2)

    newest = _get(collector, "/traces", project=project).json()["traces"][0]

    assert newest["trace_id"] == trace_ids[1]
    assert newest["name"] == "root-1"
    assert newest["start_time"] == "2024-04-01T19:33:21.000000Z"
    assert newest["start_time_unix_nano"] == BASE_TIME_UNIX_NANO + SECOND_NS
    assert newest["duration_ms"] == 50.0
    assert (newest["span_count"], newest["status"]) == (2, "OK")
    assert (newest["input_tokens"], newest["total_tokens"]) == (10, 10)
    assert (newest["session_id"], newest["user_id"]) == ("s-1", "u-1")


def test_trace_list_applies_the_search_filter(collector: Any) -> None:
    project = new_project()
    trace_ids = _store_traces(collector, project, 6)

    page = _get(collector, "/traces", project=project, filter="status = 'ERROR'").json()

    assert [t["trace_id"] for t in page["traces"]] == [trace_ids[3], trace_ids[0]]


def test_bad_filter_is_answered_400_with_message_and_position(collector: Any) -> None:
    response = _get(collector, "/traces", filter="status = ")

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail["message"]
    assert isinstance(detail["position"], int)


@pytest.mark.parametrize("token", ["not-a-token!", "bm9wZQ", "WzEsMl0"])
def test_bad_page_token_is_answered_400(collector: Any, token: str) -> None:
    response = _get(collector, "/traces", page_token=token)

    assert response.status_code == 400
    assert "page_token" in response.json()["detail"]["message"]


@pytest.mark.parametrize("limit", [0, 1001])
def test_limit_outside_one_to_a_thousand_is_refused(collector: Any, limit: int) -> None:
    assert _get(collector, "/traces", limit=limit).status_code == 422


def test_trace_detail_refuses_a_malformed_id_and_404s_an_unknown_one(collector: Any) -> None:
    assert _get(collector, "/traces/xyz").status_code == 400
    unknown = _get(collector, f"/traces/{new_trace_id()}")
    assert unknown.status_code == 404
    assert "No trace" in unknown.json()["detail"]["message"]


def test_trace_detail_accepts_an_uppercase_id(collector: Any) -> None:
    project = new_project()
    (trace_id,) = _store_traces(collector, project, 1)

    trace = _get(collector, f"/traces/{trace_id.upper()}", project=project).json()

    assert trace["trace_id"] == trace_id
    assert [span["name"] for span in trace["spans"]] == ["root-0", "child"]


def test_sessions_list_groups_traces_and_pages_by_latest_activity(collector: Any) -> None:
    project = new_project()
    _store_traces(collector, project, 5)

    first = _get(collector, "/sessions", project=project, limit=1).json()
    second = _get(
        collector, "/sessions", project=project, limit=1, page_token=first["next_page_token"]
    ).json()

    assert [s["session_id"] for s in first["sessions"]] == ["s-0"]
    assert [s["session_id"] for s in second["sessions"]] == ["s-1"]
    assert second["next_page_token"] is None
    s0, s1 = first["sessions"][0], second["sessions"][0]
    assert (s0["trace_count"], s1["trace_count"]) == (3, 2)
    assert (s0["input_tokens"], s1["input_tokens"]) == (0, 20)
    assert (s0["error_count"], s1["error_count"]) == (1, 1)
    assert s0["user_id"] == "u-1"
    assert s0["first_start_time"] == "2024-04-01T19:33:20.000000Z"
    assert s0["last_start_time"] == "2024-04-01T19:33:24.000000Z"


def test_session_traces_lists_only_that_sessions_traces_newest_first(collector: Any) -> None:
    project = new_project()
    trace_ids = _store_traces(collector, project, 5)

    page = _get(collector, "/sessions/s-1/traces", project=project).json()

    assert [t["trace_id"] for t in page["traces"]] == [trace_ids[3], trace_ids[1]]
    assert page["next_page_token"] is None


def test_openapi_document_lists_the_rest_routes(collector: Any) -> None:
    paths = httpx.get(f"{collector.url}/openapi.json", timeout=30).json()["paths"]

    assert {
        "/v1/traces",
        "/api/v1/health",
        "/api/v1/traces",
        "/api/v1/traces/{trace_id}",
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}/traces",
    } <= set(paths)


def test_trace_whose_root_arrives_after_its_children_lists_at_the_roots_start(
    collector: Any,
) -> None:
    project = new_project()
    late_root_trace, middle_trace = new_trace_id(), new_trace_id()
    root = json_span(late_root_trace, name="root", start=BASE_TIME_UNIX_NANO)
    child = json_span(
        late_root_trace,
        name="child",
        parent_span_id=root["spanId"],
        start=BASE_TIME_UNIX_NANO + 120 * SECOND_NS,
    )
    middle = json_span(middle_trace, name="middle", start=BASE_TIME_UNIX_NANO + 60 * SECOND_NS)
    post_json(collector.url, json_request([child, middle], project)).raise_for_status()
    post_json(collector.url, json_request([root], project)).raise_for_status()

    traces = _get(collector, "/traces", project=project).json()["traces"]

    assert [(t["trace_id"], t["name"]) for t in traces] == [
        (middle_trace, "middle"),
        (late_root_trace, "root"),
    ]
    assert traces[1]["start_time_unix_nano"] == BASE_TIME_UNIX_NANO
    assert traces[1]["span_count"] == 2


def test_paging_reaches_traces_far_older_than_the_newest(collector: Any) -> None:
    project = new_project()
    new_trace, old_trace = new_trace_id(), new_trace_id()
    thirty_days_ns = 30 * 86_400 * SECOND_NS
    spans = [
        json_span(new_trace, name="new"),
        json_span(old_trace, name="old", start=BASE_TIME_UNIX_NANO - thirty_days_ns),
    ]
    post_json(collector.url, json_request(spans, project)).raise_for_status()

    first = _get(collector, "/traces", project=project, limit=1).json()
    second = _get(
        collector, "/traces", project=project, limit=1, page_token=first["next_page_token"]
    ).json()
    everything = _get(collector, "/traces", project=project, filter="span_count = 1").json()

    assert [t["name"] for t in first["traces"]] == ["new"]
    assert [t["name"] for t in second["traces"]] == ["old"]
    assert second["next_page_token"] is None
    assert [t["name"] for t in everything["traces"]] == ["new", "old"]
