"""lanterna.session() stamps every span started inside, including foreign ones."""

from __future__ import annotations

import asyncio
import json

import lanterna
import pytest
from lanterna import semconv
from opentelemetry import trace as otel_trace
from sdk_helpers import SpanLog


@lanterna.trace
def step() -> str:
    with otel_trace.get_tracer("other.lib").start_as_current_span("foreign"):
        return "done"


def test_session_attributes_reach_every_span_inside_including_foreign_ones(
    span_log: SpanLog,
) -> None:
    with lanterna.session(
        session_id="s-1", user_id="u-7", tags=["beta", "eu"], metadata={"plan": "pro", "n": 3}
    ):
        step()
    step()

    inside = [s for s in span_log.spans() if semconv.SESSION_ID in s.attributes]
    assert {s.name for s in inside} == {"step", "foreign"}
    for span in inside:
        assert span.attributes[semconv.SESSION_ID] == "s-1"
        assert span.attributes[semconv.USER_ID] == "u-7"
        assert tuple(span.attributes[semconv.TAGS]) == ("beta", "eu")
        assert span.attributes[semconv.METADATA_PREFIX + "plan"] == "pro"
        assert span.attributes[semconv.METADATA_PREFIX + "n"] == 3
    assert len(span_log.spans()) == 4


def test_nested_sessions_override_ids_and_merge_tags_and_metadata(span_log: SpanLog) -> None:
    with (
        lanterna.session(session_id="outer", user_id="u", tags=["a"], metadata={"k": 1}),
        lanterna.session(session_id="inner", tags=["b", "a"], metadata={"j": {"x": 1}}),
    ):
        step()

    span = span_log.one("step")
    assert span.attributes[semconv.SESSION_ID] == "inner"
    assert span.attributes[semconv.USER_ID] == "u"
    assert tuple(span.attributes[semconv.TAGS]) == ("a", "b")
    assert span.attributes[semconv.METADATA_PREFIX + "k"] == 1
    assert json.loads(span.attributes[semconv.METADATA_PREFIX + "j"]) == {"x": 1}


def test_sessions_work_in_async_code_and_stay_in_their_task(span_log: SpanLog) -> None:
    @lanterna.trace
    async def handle(user: str) -> str:
        with lanterna.session(user_id=user):
            await asyncio.sleep(0.01)
            return await reply()

    @lanterna.trace
    async def reply() -> str:
        await asyncio.sleep(0.01)
        return "ok"

    async def main() -> list[str]:
        return list(await asyncio.gather(handle("alice"), handle("bob")))

    assert asyncio.run(main()) == ["ok", "ok"]

    replies = span_log.named("reply")
    assert sorted(s.attributes[semconv.USER_ID] for s in replies) == ["alice", "bob"]
    for span in replies:
        (parent,) = [
            h for h in span_log.named("handle") if h.context.span_id == span.parent.span_id
        ]
        assert semconv.USER_ID not in parent.attributes  # started before the session


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ({"session_id": 5}, "session_id"),
        ({"user_id": ""}, "user_id"),
        ({"tags": "one"}, "tags"),
        ({"metadata": {1: "x"}}, "metadata"),
    ],
)
def test_bad_session_arguments_raise_a_type_error_naming_them(
    arguments: dict[str, object], name: str
) -> None:
    with pytest.raises(TypeError, match=name), lanterna.session(**arguments):  # type: ignore[arg-type]
        pass
