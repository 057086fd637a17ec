"""autolog("openai") traces the openai client: sync, async and streaming calls."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import lanterna
import openai
import pytest
from lanterna import semconv
from lanterna.testing import SERVER_ERROR_MARKER, OpenAICompatibleServer
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog

_MESSAGES = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer() as running:
        yield running


@pytest.fixture
def traced_openai(span_log: SpanLog) -> SpanLog:
    lanterna.autolog("openai")
    return span_log


def _llm_spans(log: SpanLog) -> list[otel_trace.Span]:
    return [s for s in log.spans() if semconv.OI_LLM_MODEL_NAME in s.attributes]


def test_a_sync_chat_call_records_model_messages_completion_and_tokens(
    traced_openai: SpanLog, server: OpenAICompatibleServer
) -> None:
    @lanterna.trace(span_type=lanterna.SpanType.AGENT)
    def ask() -> str:
        with openai.OpenAI(base_url=server.url, api_key="test") as client:
            reply = client.chat.completions.create(model="echo-1", messages=_MESSAGES)
        return reply.choices[0].message.content or ""

    assert ask() == "You said: What is the capital of France?"

    (llm,) = _llm_spans(traced_openai)
    agent = traced_openai.one("ask")
    assert llm.parent.span_id == agent.context.span_id
    attributes = llm.attributes
    assert attributes[semconv.OI_LLM_MODEL_NAME] == "echo-1"
    assert attributes[semconv.OI_LLM_TOKEN_COUNT_PROMPT] == 8
    assert attributes[semconv.OI_LLM_TOKEN_COUNT_COMPLETION] == 8
    assert attributes[semconv.OI_LLM_TOKEN_COUNT_TOTAL] == 16
    assert attributes[f"{semconv.OI_LLM_INPUT_MESSAGES}.1.message.content"] == (
        "What is the capital of France?"
    )
    assert "capital of France" in attributes[semconv.OI_INPUT_VALUE]
    assert "You said" in attributes[semconv.OI_OUTPUT_VALUE]


def test_an_async_chat_call_is_traced_under_the_current_span(
    traced_openai: SpanLog, server: OpenAICompatibleServer
) -> None:
    @lanterna.trace
    async def ask_async() -> str:
        async with openai.AsyncOpenAI(base_url=server.url, api_key="test") as client:
            reply = await client.chat.completions.create(model="echo-async", messages=_MESSAGES)
        return reply.choices[0].message.content or ""

    assert asyncio.run(ask_async()).startswith("You said")

    (llm,) = _llm_spans(traced_openai)
    assert llm.parent.span_id == traced_openai.one("ask_async").context.span_id
    assert llm.attributes[semconv.OI_LLM_TOKEN_COUNT_TOTAL] == 16


def test_a_streaming_call_gets_token_counts_from_the_usage_chunk(
    traced_openai: SpanLog, server: OpenAICompatibleServer
) -> None:
    with openai.OpenAI(base_url=server.url, api_key="test") as client:
        stream = client.chat.completions.create(
            model="echo-stream",
            messages=_MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
        )
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

    assert text == "You said: What is the capital of France?"
    (llm,) = _llm_spans(traced_openai)
    assert llm.attributes[semconv.OI_LLM_MODEL_NAME] == "echo-stream"
    assert llm.attributes[semconv.OI_LLM_TOKEN_COUNT_COMPLETION] == 8
    assert llm.attributes[semconv.OI_LLM_TOKEN_COUNT_PROMPT] == 8
    assert "You said" in llm.attributes[semconv.OI_OUTPUT_VALUE]


def test_a_failing_call_raises_the_clients_error_and_marks_the_span(
    traced_openai: SpanLog, server: OpenAICompatibleServer
) -> None:
    messages = [{"role": "user", "content": f"break {SERVER_ERROR_MARKER}"}]
    with (
        openai.OpenAI(base_url=server.url, api_key="test", max_retries=0) as client,
        pytest.raises(openai.InternalServerError),
    ):
        client.chat.completions.create(model="echo-1", messages=messages)  # type: ignore[arg-type]

    errors = [
        s for s in traced_openai.spans() if s.status.status_code is otel_trace.StatusCode.ERROR
    ]
    assert len(errors) == 1


def test_embeddings_are_traced_with_their_token_count(
    traced_openai: SpanLog, server: OpenAICompatibleServer
) -> None:
    with openai.OpenAI(base_url=server.url, api_key="test") as client:
        result = client.embeddings.create(model="embed-1", input=["red apple", "green"])

    assert len(result.data) == 2
    (span,) = traced_openai.spans()
    assert span.attributes[semconv.OI_LLM_TOKEN_COUNT_PROMPT] == 3
    assert json.loads(span.attributes[semconv.OI_INPUT_VALUE])["model"] == "embed-1"


def test_an_unknown_library_is_a_value_error_listing_the_known_ones() -> None:
    with pytest.raises(ValueError, match="known: openai"):
        lanterna.autolog("langchain-but-misspelled")


def test_a_missing_instrumentation_is_an_import_error_naming_the_extra() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["openinference.instrumentation.openai"] = None
        import lanterna
        try:
            lanterna.autolog("openai")
        except ImportError as exc:
            print(exc)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )

    assert "pip install 'lanterna[openai]'" in result.stdout, result.stderr
