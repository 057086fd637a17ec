"""An exception reaches the caller unchanged, whatever the tracing settings (case T-3)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterator

import lanterna
import pytest
from lanterna import semconv
from lanterna.testing import configure_in_memory
from opentelemetry import trace as otel_trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from sdk_helpers import SpanLog
from sdk_helpers import unused_port as free_port
from tracing_cases import CALLS, Boom, caught_exception


@pytest.mark.parametrize(
    "settings",
    [
        {"enabled": True},
        {"enabled": False},
        {"enabled": True, "endpoint": "unreachable"},
    ],
    ids=["enabled", "disabled", "collector-unreachable"],
)
@pytest.mark.parametrize("name", list(CALLS))
def test_the_caller_catches_the_very_object_that_was_raised(
    span_log: SpanLog, settings: dict[str, object], name: str
) -> None:
    if settings.get("endpoint") == "unreachable":
        settings = {**settings, "endpoint": f"http://127.0.0.1:{free_port()}"}
        lanterna.configure(**settings, export_timeout_s=0.5)  # type: ignore[arg-type]
    else:
        lanterna.configure(exporter=span_log.exporter, **settings)  # type: ignore[arg-type]

    err, caught = caught_exception(CALLS[name])

    assert caught is err
    assert type(caught) is Boom and str(caught) == "bad input"
    frames = [frame.name for frame in traceback.extract_tb(caught.__traceback__)]
    assert name in frames
    assert lanterna.open_span_count() == 0


@pytest.mark.parametrize("name", list(CALLS))
def test_an_error_is_recorded_once_with_type_message_and_stack(
    span_log: SpanLog, name: str
) -> None:
    caught_exception(CALLS[name])

    span = span_log.one(name)
    assert span.status.status_code is otel_trace.StatusCode.ERROR
    assert "bad input" in (span.status.description or "")
    (event,) = span.events
    assert event.name == semconv.EXCEPTION_EVENT
    assert event.attributes[semconv.EXCEPTION_TYPE].endswith("Boom")
    assert event.attributes[semconv.EXCEPTION_MESSAGE] == "bad input"
    assert "raise e" in event.attributes[semconv.EXCEPTION_STACKTRACE]
    if name in ("g", "ag"):
        assert json.loads(span.attributes[semconv.OUTPUTS]) == [1]


def test_an_unreachable_collector_is_reported_as_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lanterna.configure(endpoint=f"http://127.0.0.1:{free_port()}", export_timeout_s=0.5)
    for _ in range(3):
        caught_exception(CALLS["f"])
        lanterna.flush(timeout_s=5)

    ours = [r for r in caplog.records if r.name.startswith("lanterna")]
    assert [r.levelname for r in ours] == ["WARNING"]
    assert "could not export" in ours[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r not in ours]
    configure_in_memory()


_SAMPLED_OUT_SCRIPT = textwrap.dedent(
    """
    import asyncio, traceback
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    trace.set_tracer_provider(TracerProvider(sampler=ALWAYS_OFF))

    import lanterna
    from lanterna.testing import configure_in_memory

    class Boom(ValueError):
        pass

    @lanterna.trace
    def f(e):
        raise e

    @lanterna.trace
    async def af(e):
        raise e

    @lanterna.trace
    def g(e):
        yield 1
        raise e

    @lanterna.trace
    async def ag(e):
        yield 1
        raise e

    async def drain(agen):
        return [x async for x in agen]

    calls = {
        "f": lambda e: f(e),
        "af": lambda e: asyncio.run(af(e)),
        "g": lambda e: list(g(e)),
        "ag": lambda e: asyncio.run(drain(ag(e))),
    }
    exporter = configure_in_memory()
    for name, call in calls.items():
        err = Boom("bad input")
        try:
            call(err)
        except BaseException as caught:
            assert caught is err, (name, caught)
            frames = [fr.name for fr in traceback.extract_tb(caught.__traceback__)]
            assert name in frames, (name, frames)
        else:
            raise AssertionError("the exception was lost")
    assert lanterna.flush()
    assert exporter.get_finished_spans() == (), exporter.get_finished_spans()
    assert lanterna.open_span_count() == 0
    print("ok")
    """
)


def test_a_global_provider_that_samples_everything_out_still_passes_exceptions_on() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _SAMPLED_OUT_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


class _BrokenProcessor(SpanProcessor):
    """A processor of the application that raises while switched on."""

    def __init__(self) -> None:
        self.broken = False

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        if self.broken:
            raise RuntimeError("processor broke on start")

    def on_end(self, span: ReadableSpan) -> None:
        if self.broken:
            raise RuntimeError("processor broke on end")


@pytest.fixture
def broken_processor(span_log: SpanLog) -> Iterator[_BrokenProcessor]:
    processor = _BrokenProcessor()
    provider = otel_trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    provider.add_span_processor(processor)  # stays inert once the test is over
    processor.broken = True
    yield processor
    processor.broken = False


def test_a_failing_tracing_pipeline_never_reaches_the_traced_code(
    broken_processor: _BrokenProcessor, caplog: pytest.LogCaptureFixture
) -> None:
    @lanterna.trace
    def double(x: int) -> int:
        return 2 * x

    @lanterna.trace
    def stream() -> Iterator[int]:
        yield from (1, 2)

    assert double(4) == 8
    assert list(stream()) == [1, 2]
    with lanterna.span("block") as handle:
        handle.set_outputs("fine")
    err, caught = caught_exception(CALLS["f"])
    assert caught is err

    assert any("traced code is unaffected" in r.getMessage() for r in caplog.records)
    assert all(r.levelname != "ERROR" for r in caplog.records if r.name.startswith("lanterna"))


def _caught(call: Callable[[BaseException], object], error: BaseException) -> BaseException:
    try:
        call(error)
    except BaseException as caught:
        return caught
    raise AssertionError("the exception was lost")


@pytest.mark.parametrize("code", [0, None])
@pytest.mark.parametrize("name", list(CALLS))
def test_sys_exit_with_success_ends_the_span_normally_and_still_reaches_the_caller(
    span_log: SpanLog, name: str, code: int | None
) -> None:
    exit_request = SystemExit(code)

    caught = _caught(CALLS[name], exit_request)

    assert caught is exit_request and caught.code == code
    span = span_log.one(name)
    assert span.status.status_code is otel_trace.StatusCode.UNSET
    assert span.events == ()
    assert span.attributes[semconv.EXIT_CODE] == 0
    assert lanterna.open_span_count() == 0


@pytest.mark.parametrize(
    "error",
    [SystemExit(1), SystemExit("fatal: no config"), KeyboardInterrupt()],
    ids=["exit-1", "exit-message", "keyboard-interrupt"],
)
@pytest.mark.parametrize("name", list(CALLS))
def test_a_failing_exit_or_an_interrupt_still_marks_the_span_as_an_error(
    span_log: SpanLog, name: str, error: BaseException
) -> None:
    caught = _caught(CALLS[name], error)

    assert caught is error
    span = span_log.one(name)
    assert span.status.status_code is otel_trace.StatusCode.ERROR
    assert semconv.EXIT_CODE not in span.attributes
    (event,) = span.events
    assert event.attributes[semconv.EXCEPTION_TYPE] == type(error).__name__


def test_sys_exit_with_success_inside_a_span_block_ends_it_normally(span_log: SpanLog) -> None:
    with pytest.raises(SystemExit) as raised, lanterna.span("main"):
        sys.exit(0)

    assert raised.value.code == 0
    span = span_log.one("main")
    assert span.status.status_code is otel_trace.StatusCode.UNSET
    assert span.attributes[semconv.EXIT_CODE] == 0


def test_an_exit_code_that_cannot_be_compared_is_an_error_and_reaches_the_caller(
    span_log: SpanLog,
) -> None:
    class Incomparable:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no comparison")

        __hash__ = object.__hash__

    exit_request = SystemExit(Incomparable())

    caught = _caught(CALLS["f"], exit_request)

    assert caught is exit_request
    assert span_log.one("f").status.status_code is otel_trace.StatusCode.ERROR
