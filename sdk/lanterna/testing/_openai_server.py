"""A small OpenAI-compatible HTTP server for tests and demos, on the standard library only.

It answers ``POST /v1/chat/completions`` (plain JSON, or server-sent events when
``stream`` is true, with a final usage chunk when
``stream_options.include_usage`` is true) and ``POST /v1/embeddings``, and lists
one model at ``GET /v1/models``. Answers are deterministic: by default the reply
echoes the last user message, token counts are word counts, and embeddings are
derived from a SHA-256 of the text.

A request whose last user message contains :data:`SERVER_ERROR_MARKER` gets an
HTTP 500, and one containing :data:`BAD_REQUEST_MARKER` an HTTP 400, both with
an OpenAI-style error body, so error paths can be tested.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final

logger = logging.getLogger(__name__)

SERVER_ERROR_MARKER: Final = "[[fail-500]]"
BAD_REQUEST_MARKER: Final = "[[fail-400]]"
DEFAULT_MODEL: Final = "lanterna-echo-1"
EMBEDDING_DIMENSIONS: Final = 8
_MAX_ECHO_CHARS = 200
_JOIN_TIMEOUT_S = 5.0

ReplyFunction = Callable[[list[dict[str, Any]]], str]


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return _message_text(message)
    return ""


def echo_reply(messages: list[dict[str, Any]]) -> str:
    """The default reply: a short echo of the last user message."""
    text = " ".join(_last_user_text(messages).split())
    if len(text) > _MAX_ECHO_CHARS:
        text = text[:_MAX_ECHO_CHARS] + "..."
    return f"You said: {text}"


def _count_tokens(text: str) -> int:
    return len(text.split())


def _embedding(text: str) -> list[float]:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return [round(byte / 255.0, 6) for byte in digest[:EMBEDDING_DIMENSIONS]]


def _error_body(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("openai-compatible server: %s", format % args)

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_json(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            self._send_json(
                HTTPStatus.BAD_REQUEST,
                _error_body("Body must be a JSON object.", "invalid_request_error"),
            )
            return None
        self.server.record(body)
        return body

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": DEFAULT_MODEL, "object": "model", "created": 0, "owned_by": "lanterna"}
            self._send_json(HTTPStatus.OK, {"object": "list", "data": [model]})
        else:
            self._send_json(
                HTTPStatus.NOT_FOUND, _error_body(f"No route {self.path}.", "not_found")
            )

    def do_POST(self) -> None:
        route = self.path.rstrip("/")
        if route not in ("/v1/chat/completions", "/v1/embeddings"):
            self._send_json(
                HTTPStatus.NOT_FOUND, _error_body(f"No route {self.path}.", "not_found")
            )
            return
        body = self._read_json()
        if body is None:
            return
        if route == "/v1/embeddings":
            self._embeddings(body)
        else:
            self._chat(body)

    def _failure_for(self, text: str) -> bool:
        if SERVER_ERROR_MARKER in text:
            self._send_json(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                _error_body("Injected server error.", "server_error"),
            )
            return True
        if BAD_REQUEST_MARKER in text:
            self._send_json(
                HTTPStatus.BAD_REQUEST,
                _error_body("Injected bad request.", "invalid_request_error"),
            )
            return True
        return False

    def _chat(self, body: dict[str, Any]) -> None:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            self._send_json(
                HTTPStatus.BAD_REQUEST,
                _error_body("'messages' must be a non-empty list.", "invalid_request_error"),
            )
            return
        if self._failure_for(_last_user_text(messages)):
            return
        reply = self.server.reply(messages)
        model = str(body.get("model") or DEFAULT_MODEL)
        prompt_tokens = sum(
            _count_tokens(_message_text(m)) for m in messages if isinstance(m, dict)
        )
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": _count_tokens(reply),
            "total_tokens": prompt_tokens + _count_tokens(reply),
        }
        completion_id = f"chatcmpl-{hashlib.sha256(reply.encode()).hexdigest()[:12]}"
        if body.get("stream"):
            options = body.get("stream_options") or {}
            include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
            self._stream(completion_id, model, reply, usage if include_usage else None)
            return
        self._send_json(
            HTTPStatus.OK,
            {
                "id": completion_id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply},
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
            },
        )

    def _stream(
        self, completion_id: str, model: str, reply: str, usage: dict[str, int] | None
    ) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for chunk in _stream_chunks(completion_id, model, reply, usage):
            self.wfile.write(b"data: " + json.dumps(chunk).encode("utf-8") + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _embeddings(self, body: dict[str, Any]) -> None:
        raw = body.get("input")
        texts = [raw] if isinstance(raw, str) else raw
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            self._send_json(
                HTTPStatus.BAD_REQUEST,
                _error_body(
                    "'input' must be a string or a list of strings.", "invalid_request_error"
                ),
            )
            return
        if self._failure_for(" ".join(texts)):
            return
        tokens = sum(_count_tokens(t) for t in texts)
        self._send_json(
            HTTPStatus.OK,
            {
                "object": "list",
                "data": [
                    {"object": "embedding", "index": i, "embedding": _embedding(t)}
                    for i, t in enumerate(texts)
                ],
                "model": str(body.get("model") or DEFAULT_MODEL),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )


def _stream_chunks(
    completion_id: str, model: str, reply: str, usage: dict[str, int] | None
) -> Iterator[dict[str, Any]]:
    base = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    yield {
        **base,
        "choices": [
            {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
        ],
    }
    words = reply.split(" ")
    for i, word in enumerate(words):
        piece = word if i == 0 else " " + word
        yield {
            **base,
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
    yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    if usage is not None:
        yield {**base, "choices": [], "usage": usage}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, reply: ReplyFunction) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self._requests_lock = threading.Lock()

    def record(self, body: dict[str, Any]) -> None:
        with self._requests_lock:
            self.requests.append(body)


class OpenAICompatibleServer:
    """An OpenAI-compatible endpoint on 127.0.0.1, served from a background thread.

    Example::

        with OpenAICompatibleServer() as server:
            client = openai.OpenAI(base_url=server.url, api_key="test")
            client.chat.completions.create(model="m", messages=[...])

    Args:
        reply: Makes the assistant's reply from the request's messages; by
            default :func:`echo_reply`.
    """

    def __init__(self, reply: ReplyFunction | None = None) -> None:
        self._reply = reply or echo_reply
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL for an OpenAI client, such as ``http://127.0.0.1:PORT/v1``."""
        if self._server is None:
            raise RuntimeError("The server is not running; call start() first.")
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The JSON bodies received so far, oldest first."""
        return list(self._server.requests) if self._server is not None else []

    def start(self) -> OpenAICompatibleServer:
        """Start serving on a free port; returns the server itself."""
        if self._server is not None:
            return self
        self._server = _Server(self._reply)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="openai-compatible-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(_JOIN_TIMEOUT_S)
        self._server = None
        self._thread = None

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
