"""The OpenAI-compatible test server answers like the real API, deterministically."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from lanterna.testing import BAD_REQUEST_MARKER, SERVER_ERROR_MARKER, OpenAICompatibleServer


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer(reply=lambda messages: f"{len(messages)} messages") as running:
        yield running


def _chat(server: OpenAICompatibleServer, **body: object) -> httpx.Response:
    payload = {"model": "m", "messages": [{"role": "user", "content": "hi there"}], **body}
    return httpx.post(f"{server.url}/chat/completions", json=payload, timeout=10)


def test_a_chat_completion_uses_the_reply_function_and_reports_usage(
    server: OpenAICompatibleServer,
) -> None:
    body = _chat(server).json()

    assert body["choices"][0]["message"] == {"role": "assistant", "content": "1 messages"}
    assert body["usage"] == {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}
    assert server.requests[-1]["messages"][0]["content"] == "hi there"


def test_a_stream_sends_chunks_then_usage_then_done(server: OpenAICompatibleServer) -> None:
    response = _chat(server, stream=True, stream_options={"include_usage": True})

    events = [line[len("data: ") :] for line in response.text.splitlines() if line]
    assert response.headers["content-type"] == "text/event-stream"
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert text == "1 messages"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] == 4


def test_a_stream_without_include_usage_has_no_usage_chunk(
    server: OpenAICompatibleServer,
) -> None:
    response = _chat(server, stream=True)

    events = [line for line in response.text.splitlines() if line.startswith("data: {")]
    assert all("usage" not in json.loads(e[len("data: ") :]) for e in events)


def test_embeddings_are_deterministic_per_text(server: OpenAICompatibleServer) -> None:
    def embed(texts: list[str]) -> list[list[float]]:
        response = httpx.post(
            f"{server.url}/embeddings", json={"model": "e", "input": texts}, timeout=10
        )
        return [item["embedding"] for item in response.json()["data"]]

    first, second = embed(["a", "b"])
    assert embed(["a"]) == [first] and first != second and len(first) == 8


@pytest.mark.parametrize(
    ("marker", "status"), [(SERVER_ERROR_MARKER, 500), (BAD_REQUEST_MARKER, 400)]
)
def test_a_marker_in_the_prompt_makes_the_request_fail(
    server: OpenAICompatibleServer, marker: str, status: int
) -> None:
    response = _chat(server, messages=[{"role": "user", "content": f"x {marker}"}])

    assert response.status_code == status
    assert "error" in response.json()


def test_malformed_requests_get_a_400_with_a_message(server: OpenAICompatibleServer) -> None:
    not_json = httpx.post(f"{server.url}/chat/completions", content=b"{oops", timeout=10)
    no_messages = _chat(server, messages=[])
    unknown = httpx.post(f"{server.url}/nope", json={}, timeout=10)

    assert not_json.status_code == 400 and no_messages.status_code == 400
    assert "messages" in no_messages.json()["error"]["message"]
    assert unknown.status_code == 404


def test_url_before_start_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="start"):
        _ = OpenAICompatibleServer().url
