"""Run the demo conversations through the agent and send the traces to a collector."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import lanterna
import openai
from lanterna.testing import OpenAICompatibleServer

from lanterna_cli.demo.agent import RetrievalAgent
from lanterna_cli.demo.answers import compose_answer
from lanterna_cli.demo.corpus import load_corpus
from lanterna_cli.demo.retrieval import PassageIndex
from lanterna_cli.demo.script import CONVERSATIONS, Conversation

logger = logging.getLogger(__name__)

_BUILT_IN_MODEL = "lanterna-demo-mini"
_BUILT_IN_API_KEY = "lanterna-demo"
_HEALTH_PATH = "/api/v1/health"
_HEALTH_TIMEOUT_S = 5.0
_OPENAI_TIMEOUT_S = 30.0
_RUN_TAG_BYTES = 3


class DemoError(Exception):
    """The demo cannot run: no collector answers, or the setup is wrong."""


@dataclass(frozen=True)
class DemoOptions:
    """Where the demo sends traces and which model endpoint it asks."""

    endpoint: str
    project: str
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    model: str = _BUILT_IN_MODEL


@dataclass(frozen=True)
class DemoReport:
    """What the demo sent."""

    traces_sent: int
    failed_answers: int
    sessions: int
    users: int


def built_in_reply(messages: list[dict[str, Any]]) -> str:
    """Answer a chat request from the passages in its user messages."""
    prompt = "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")
    return compose_answer(prompt)


def check_collector(endpoint: str) -> None:
    """Raise :class:`DemoError` unless a collector answers its health check at ``endpoint``."""
    url = endpoint.rstrip("/") + _HEALTH_PATH
    try:
        response = httpx.get(url, timeout=_HEALTH_TIMEOUT_S)
    except httpx.HTTPError as error:
        raise DemoError(
            f"no collector answers at {endpoint} ({error}); start one with `lanterna server` "
            "or pass --endpoint."
        ) from error
    if response.status_code != httpx.codes.OK:
        raise DemoError(
            f"the collector at {endpoint} is not healthy: {url} answered {response.status_code}."
        )


@contextlib.contextmanager
def _openai_client(options: DemoOptions) -> Iterator[tuple[openai.OpenAI, str]]:
    """Yield a client and model: the configured endpoint's, else a built-in one's."""
    if options.openai_base_url:
        client = openai.OpenAI(
            base_url=options.openai_base_url,
            api_key=options.openai_api_key or _BUILT_IN_API_KEY,
            timeout=_OPENAI_TIMEOUT_S,
            max_retries=0,
        )
        with client:
            yield client, options.model
        return
    with OpenAICompatibleServer(reply=built_in_reply) as server:
        client = openai.OpenAI(
            base_url=server.url, api_key=_BUILT_IN_API_KEY, timeout=_OPENAI_TIMEOUT_S, max_retries=0
        )
        with client:
            yield client, _BUILT_IN_MODEL


def _converse(agent: RetrievalAgent, conversation: Conversation, run_tag: str) -> int:
    """Ask one conversation's questions in its session; return how many answers failed."""
    failed = 0
    session_id = f"{conversation.name}-{run_tag}"
    with lanterna.session(session_id=session_id, user_id=conversation.user_id):
        for question in conversation.questions:
            try:
                agent.answer(question.text, stream=question.stream, model=question.model)
            except openai.APIError as error:
                logger.info("question %r failed as planned: %s", question.text, error)
                failed += 1
    return failed


def run_demo(options: DemoOptions) -> DemoReport:
    """Answer every demo question with tracing on and flush the traces to the collector.

    Raises:
        DemoError: No healthy collector at ``options.endpoint``.
    """
    check_collector(options.endpoint)
    lanterna.configure(endpoint=options.endpoint, project=options.project)
    lanterna.autolog("openai")
    index = PassageIndex(load_corpus())
    run_tag = secrets.token_hex(_RUN_TAG_BYTES)

    failed = 0
    with _openai_client(options) as (client, model):
        agent = RetrievalAgent(index, client, model)
        for conversation in CONVERSATIONS:
            failed += _converse(agent, conversation, run_tag)
    lanterna.flush()

    return DemoReport(
        traces_sent=sum(len(c.questions) for c in CONVERSATIONS),
        failed_answers=failed,
        sessions=len(CONVERSATIONS),
        users=len({c.user_id for c in CONVERSATIONS}),
    )
