"""``lanterna demo`` against a real collector, read back through the REST API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

_READ_TIMEOUT_S = 10.0
_EXPECTED_TRACES = 20
_EXPECTED_SESSIONS = 6
_EXPECTED_USERS = 4
_SPAN_TYPES_OF_AN_ANSWER = {"AGENT", "CHAIN", "RETRIEVER", "RERANKER", "PARSER", "LLM"}


def _traces(api: str, project: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{api}/traces", params={"project": project, "limit": 200}, timeout=_READ_TIMEOUT_S
    )
    response.raise_for_status()
    return response.json()["traces"]


def _spans(api: str, project: str, trace_id: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{api}/traces/{trace_id}", params={"project": project}, timeout=_READ_TIMEOUT_S
    )
    response.raise_for_status()
    return response.json()["spans"]


@pytest.fixture(scope="module")
def demo_run(collector: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the demo once into a project of its own; return its output and traces."""
    import subprocess
    import sys

    project = f"cli-demo-{uuid.uuid4().hex[:8]}"
    home = tmp_path_factory.mktemp("demo-home")
    result = subprocess.run(
        [sys.executable, "-m", "lanterna_cli", "demo", "--endpoint", collector.url,
         "--project", project],
        capture_output=True,
        text=True,
        timeout=120,
        env={"LANTERNA_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    traces = _traces(collector.api, project)
    return {"result": result, "project": project, "traces": traces, "api": collector.api}


def test_demo_reports_how_many_traces_it_sent(demo_run: dict[str, Any]) -> None:
    assert f"Sent {_EXPECTED_TRACES} traces" in demo_run["result"].stdout


def test_every_sent_trace_is_readable_through_the_api(demo_run: dict[str, Any]) -> None:
    traces = demo_run["traces"]

    assert len(traces) == _EXPECTED_TRACES
    assert {trace["name"] for trace in traces} == {"answer"}


def test_demo_traces_come_from_several_sessions_and_users(demo_run: dict[str, Any]) -> None:
    traces = demo_run["traces"]

    assert len({trace["session_id"] for trace in traces}) == _EXPECTED_SESSIONS
    assert len({trace["user_id"] for trace in traces}) == _EXPECTED_USERS


def test_the_tool_failure_and_the_endpoint_error_mark_two_traces_as_errors(
    demo_run: dict[str, Any],
) -> None:
    statuses = [trace["status"] for trace in demo_run["traces"]]

    assert statuses.count("ERROR") == 2
    assert statuses.count("OK") == _EXPECTED_TRACES - 2


def test_successful_traces_count_the_tokens_of_their_llm_call(demo_run: dict[str, Any]) -> None:
    ok = [trace for trace in demo_run["traces"] if trace["status"] == "OK"]

    assert ok
    assert all(trace["input_tokens"] > 0 for trace in ok)
    assert all(trace["output_tokens"] > 0 for trace in ok)


def test_each_answer_records_the_agent_steps_and_an_llm_span_with_model_and_tokens(
    demo_run: dict[str, Any],
) -> None:
    for trace in demo_run["traces"]:
        if trace["status"] == "ERROR":
            continue
        spans = _spans(demo_run["api"], demo_run["project"], trace["trace_id"])
        assert {span["span_type"] for span in spans} >= _SPAN_TYPES_OF_AN_ANSWER
        llm = [span for span in spans if span["span_type"] == "LLM"]
        assert len(llm) == 1
        assert llm[0]["model"]
        assert llm[0]["input_tokens"] > 0
        assert llm[0]["output_tokens"] > 0


def test_retriever_span_returns_passages_with_module_names_and_scores(
    demo_run: dict[str, Any],
) -> None:
    trace = demo_run["traces"][0]
    spans = _spans(demo_run["api"], demo_run["project"], trace["trace_id"])

    retriever = next(span for span in spans if span["span_type"] == "RETRIEVER")
    passages = retriever["outputs"]
    assert passages, retriever
    assert all({"module", "score", "text"} <= set(passage) for passage in passages)


def test_streamed_answers_are_recorded_with_their_usage(demo_run: dict[str, Any]) -> None:
    streamed = []
    for trace in demo_run["traces"]:
        spans = _spans(demo_run["api"], demo_run["project"], trace["trace_id"])
        streamed += [s for s in spans if s["span_type"] == "LLM" and _is_streamed(s)]

    assert len(streamed) >= 5
    assert all(span["output_tokens"] > 0 for span in streamed)


def _error_traces(demo_run: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [
        _spans(demo_run["api"], demo_run["project"], trace["trace_id"])
        for trace in demo_run["traces"]
        if trace["status"] == "ERROR"
    ]


def _root(spans: list[dict[str, Any]]) -> dict[str, Any]:
    return next(span for span in spans if not span["parent_span_id"])


def test_a_failing_tool_is_an_error_span_inside_an_answer_that_succeeds(
    demo_run: dict[str, Any],
) -> None:
    tool_failures = [
        spans
        for spans in _error_traces(demo_run)
        if any(s["span_type"] == "TOOL" and s["status"] == "ERROR" for s in spans)
    ]

    assert len(tool_failures) == 1
    spans = tool_failures[0]
    assert _root(spans)["status"] != "ERROR"
    tool = next(s for s in spans if s["span_type"] == "TOOL")
    assert any(event["name"] == "exception" for event in tool["events"])
    assert any(s["span_type"] == "PARSER" for s in spans)


def test_the_endpoint_error_fails_the_llm_span_and_the_answer(demo_run: dict[str, Any]) -> None:
    llm_failures = [
        spans
        for spans in _error_traces(demo_run)
        if any(s["span_type"] == "LLM" and s["status"] == "ERROR" for s in spans)
    ]

    assert len(llm_failures) == 1
    root = _root(llm_failures[0])
    assert root["name"] == "answer"
    assert root["status"] == "ERROR"


def _is_streamed(span: dict[str, Any]) -> bool:
    text = str(span.get("attributes", {})) + str(span.get("inputs"))
    return "'stream': True" in text or '"stream": true' in text
