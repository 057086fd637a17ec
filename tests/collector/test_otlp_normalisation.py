"""GenAI conventions (gen_ai.*, OpenInference, Lanterna's own) land in the same typed fields."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Status, StatusCode
from otlp_payloads import get_trace, json_request, json_span, new_project, new_trace_id, post_json


def _stored_span(collector: Any, attributes: dict[str, Any]) -> dict[str, Any]:
    trace_id = new_trace_id()
    response = post_json(collector.url, json_request([json_span(trace_id, attributes=attributes)]))
    assert response.status_code == 200, response.text
    (span,) = get_trace(collector.url, trace_id)["spans"]
    return span


def test_current_gen_ai_keys_fill_type_model_tokens_inputs_and_outputs(collector: Any) -> None:
    span = _stored_span(
        collector,
        {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.usage.input_tokens": 12,
            "gen_ai.usage.output_tokens": 30,
            "gen_ai.input.messages": '[{"role": "user", "content": "hi"}]',
            "gen_ai.output.messages": '[{"role": "assistant", "content": "hello"}]',
            "gen_ai.conversation.id": "conv-1",
        },
    )

    assert span["span_type"] == "CHAT_MODEL"
    assert span["model"] == "gpt-4o-2024-08-06"
    assert (span["input_tokens"], span["output_tokens"], span["total_tokens"]) == (12, 30, 42)
    assert span["inputs"] == [{"role": "user", "content": "hi"}]
    assert span["outputs"] == [{"role": "assistant", "content": "hello"}]
    assert span["session_id"] == "conv-1"
    assert "gen_ai.input.messages" not in span["attributes"]
    assert "gen_ai.output.messages" not in span["attributes"]
    assert span["attributes"]["gen_ai.request.model"] == "gpt-4o"
    assert span["attributes"]["gen_ai.usage.input_tokens"] == "12"


def test_previous_gen_ai_names_and_flattened_prompts_are_read(collector: Any) -> None:
    span = _stored_span(
        collector,
        {
            "gen_ai.operation.name": "text_completion",
            "gen_ai.request.model": "davinci",
            "gen_ai.usage.prompt_tokens": 5,
            "gen_ai.usage.completion_tokens": 7,
            "gen_ai.prompt.0.role": "system",
            "gen_ai.prompt.0.content": "be brief",
            "gen_ai.prompt.1.role": "user",
            "gen_ai.prompt.1.content": "hi",
            "gen_ai.completion.0.role": "assistant",
            "gen_ai.completion.0.content": "hello",
        },
    )

    assert span["span_type"] == "LLM"
    assert span["model"] == "davinci"
    assert (span["input_tokens"], span["output_tokens"], span["total_tokens"]) == (5, 7, 12)
    assert span["inputs"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]
    assert span["outputs"] == [{"role": "assistant", "content": "hello"}]
    assert not any(key.startswith("gen_ai.prompt.") for key in span["attributes"])


def test_openinference_keys_fill_the_same_fields(collector: Any) -> None:
    span = _stored_span(
        collector,
        {
            "openinference.span.kind": "llm",
            "llm.model_name": "claude-x",
            "llm.token_count.prompt": 3,
            "llm.token_count.completion": 4,
            "llm.token_count.total": 9,
            "input.value": '{"question": "why"}',
            "output.value": "because",
            "session.id": "s-oi",
            "user.id": "u-oi",
            "tag.tags": ["alpha", "beta"],
        },
    )

    assert span["span_type"] == "LLM"
    assert span["model"] == "claude-x"
    assert (span["input_tokens"], span["output_tokens"], span["total_tokens"]) == (3, 4, 9)
    assert span["inputs"] == {"question": "why"}
    assert span["outputs"] == "because"
    assert (span["session_id"], span["user_id"]) == ("s-oi", "u-oi")
    assert span["tags"] == ["alpha", "beta"]


def test_openinference_flattened_messages_are_gathered_without_the_message_prefix(
    collector: Any,
) -> None:
    span = _stored_span(
        collector,
        {
            "llm.input_messages.0.message.role": "user",
            "llm.input_messages.0.message.content": "hi",
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.content": "yo",
        },
    )

    assert span["inputs"] == [{"role": "user", "content": "hi"}]
    assert span["outputs"] == [{"role": "assistant", "content": "yo"}]


def test_lanterna_keys_win_over_foreign_ones(collector: Any) -> None:
    span = _stored_span(
        collector,
        {
            "lanterna.span.type": "RETRIEVER",
            "openinference.span.kind": "LLM",
            "lanterna.model": "mine",
            "gen_ai.request.model": "theirs",
            "lanterna.usage.input_tokens": 1,
            "gen_ai.usage.input_tokens": 100,
            "lanterna.inputs": '{"q": 1}',
            "input.value": "ignored",
            "lanterna.session.id": "s-l",
            "lanterna.user.id": "u-l",
            "lanterna.tags": ["x"],
            "lanterna.usage.cost_usd": 0.25,
        },
    )

    assert span["span_type"] == "RETRIEVER"
    assert span["model"] == "mine"
    assert span["input_tokens"] == 1
    assert span["inputs"] == {"q": 1}
    assert span["attributes"]["input.value"] == "ignored"
    assert (span["session_id"], span["user_id"], span["tags"]) == ("s-l", "u-l", ["x"])
    assert span["cost_usd"] == 0.25


@pytest.mark.parametrize(
    ("operation", "span_type"),
    [("embeddings", "EMBEDDING"), ("execute_tool", "TOOL"), ("invoke_agent", "AGENT")],
)
def test_gen_ai_operation_names_map_to_span_types(
    collector: Any, operation: str, span_type: str
) -> None:
    assert _stored_span(collector, {"gen_ai.operation.name": operation})["span_type"] == span_type


def test_span_without_genai_keys_is_unknown_and_keeps_typed_attributes_as_text(
    collector: Any,
) -> None:
    span = _stored_span(collector, {"count": 3, "ratio": 0.5, "ok": True, "ids": [1, 2]})

    assert span["span_type"] == "UNKNOWN"
    assert span["attributes"] == {"count": "3", "ratio": "0.5", "ok": "true", "ids": "[1,2]"}


def test_spans_from_the_opentelemetry_sdk_exporter_are_stored_with_status_and_events(
    collector: Any, otel_tracer_provider: TracerProvider
) -> None:
    tracer = otel_tracer_provider.get_tracer("tests")
    with (
        tracer.start_as_current_span("agent", attributes={"openinference.span.kind": "AGENT"}),
        tracer.start_as_current_span("llm-call") as child,
    ):
        child.set_attribute("gen_ai.operation.name", "chat")
        child.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        child.set_attribute("gen_ai.usage.input_tokens", 11)
        child.add_event("retry", {"attempt": 2})
        child.record_exception(ValueError("boom"))
        child.set_status(Status(StatusCode.ERROR, "failed"))
        trace_id = format(child.get_span_context().trace_id, "032x")
        child_id = format(child.get_span_context().span_id, "016x")
    assert otel_tracer_provider.force_flush()

    spans = {span["name"]: span for span in get_trace(collector.url, trace_id)["spans"]}
    assert spans["agent"]["span_type"] == "AGENT"
    assert spans["agent"]["parent_span_id"] == ""
    llm = spans["llm-call"]
    assert llm["span_id"] == child_id
    assert llm["parent_span_id"] == spans["agent"]["span_id"]
    assert (llm["span_type"], llm["model"], llm["input_tokens"]) == (
        "CHAT_MODEL",
        "gpt-4o-mini",
        11,
    )
    assert (llm["status"], llm["status_message"]) == ("ERROR", "failed")
    assert llm["span_kind"] == "INTERNAL"
    assert llm["resource_attributes"]["service.name"] == "otel-tests"
    assert [event["name"] for event in llm["events"]] == ["retry", "exception"]
    assert llm["events"][0]["attributes"] == {"attempt": "2"}
    listed = httpx.get(f"{collector.api}/traces", params={"limit": 1000}, timeout=30).json()
    (summary,) = [t for t in listed["traces"] if t["trace_id"] == trace_id]
    assert (summary["name"], summary["status"], summary["span_count"]) == ("agent", "ERROR", 2)


def test_project_comes_from_the_resource_and_separates_trace_lists(collector: Any) -> None:
    project = new_project()
    trace_id = new_trace_id()

    post_json(collector.url, json_request([json_span(trace_id)], project)).raise_for_status()

    mine = httpx.get(f"{collector.api}/traces", params={"project": project}, timeout=30).json()
    assert [t["trace_id"] for t in mine["traces"]] == [trace_id]
    default = httpx.get(f"{collector.api}/traces/{trace_id}", timeout=30)
    assert default.status_code == 404
