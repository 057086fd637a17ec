"""The global provider, export failures, dropped spans, open spans and exit."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence

import lanterna
import pytest
from lanterna.testing import configure_in_memory
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from otlp_capture import OTLPCapture
from sdk_helpers import unused_port

_EXIT_BOUND_S = 12.0


@lanterna.trace
def work(i: int) -> int:
    return i


class _BlockingExporter(SpanExporter):
    def __init__(self) -> None:
        self.release = threading.Event()
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.release.wait(10)
        self.exported += len(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        self.release.set()


class _FailingExporter(SpanExporter):
    def __init__(self) -> None:
        self.fail = True
        self.calls = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.calls += 1
        if self.fail:
            raise ConnectionError("collector down")
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def test_a_full_queue_drops_spans_counts_them_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exporter = _BlockingExporter()
    lanterna.configure(exporter=exporter, max_queue_size=10)
    before = lanterna.dropped_span_count()

    with caplog.at_level(logging.WARNING, logger="lanterna"):
        for i in range(200):
            assert work(i) == i
    exporter.release.set()
    assert lanterna.flush(timeout_s=10)

    dropped = lanterna.dropped_span_count() - before
    assert dropped >= 150
    assert exporter.exported + dropped == 200
    warnings = [r for r in caplog.records if "queue is full" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
    configure_in_memory()


def test_export_failures_are_logged_once_and_never_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exporter = _FailingExporter()
    lanterna.configure(exporter=exporter)

    with caplog.at_level(logging.INFO, logger="lanterna"):
        for i in range(3):
            work(i)
            lanterna.flush(timeout_s=5)
        exporter.fail = False
        work(4)
        lanterna.flush(timeout_s=5)

    assert exporter.calls == 4
    ours = [r for r in caplog.records if r.name.startswith("lanterna")]
    assert [r.levelname for r in ours] == ["WARNING", "INFO"]
    configure_in_memory()


def test_open_span_count_tracks_spans_until_they_end() -> None:
    configure_in_memory()
    assert lanterna.open_span_count() == 0
    with lanterna.span("outer"):
        with lanterna.span("inner"):
            assert lanterna.open_span_count() == 2
        assert lanterna.open_span_count() == 1
    assert lanterna.open_span_count() == 0


@pytest.mark.parametrize("timeout_s", [0, -1.0, float("nan"), float("-inf")])
def test_flush_rejects_a_timeout_that_is_not_positive_naming_it(timeout_s: float) -> None:
    with pytest.raises(ValueError, match=r"^timeout_s must be greater than 0"):
        lanterna.flush(timeout_s=timeout_s)


def test_flush_rejects_a_timeout_that_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="timeout_s"):
        lanterna.flush(timeout_s="10")  # type: ignore[arg-type]


def test_flush_with_an_infinite_timeout_waits_until_the_spans_are_exported() -> None:
    exporter = configure_in_memory()
    with lanterna.span("before-flush"):
        pass

    assert lanterna.flush(timeout_s=float("inf")) is True

    assert [span.name for span in exporter.get_finished_spans()] == ["before-flush"]


def _run_script(script: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started, result.stdout


def test_the_applications_provider_is_kept_and_gets_lanternas_spans_too() -> None:
    _, out = _run_script(
        """
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        app_exporter = InMemorySpanExporter()
        provider = TracerProvider(resource=Resource.create({"service.name": "shop-api"}))
        provider.add_span_processor(SimpleSpanProcessor(app_exporter))
        trace.set_tracer_provider(provider)

        import lanterna
        from lanterna.testing import configure_in_memory

        configure_in_memory(project="shop")
        ours = configure_in_memory(project="shop")  # configure twice: still one processor

        @lanterna.trace
        def work():
            with trace.get_tracer("app").start_as_current_span("app-span"):
                return 1

        work()
        assert lanterna.flush()
        assert trace.get_tracer_provider() is provider
        assert [s.name for s in app_exporter.get_finished_spans()] == ["app-span", "work"]
        app_resource = app_exporter.get_finished_spans()[1].resource.attributes
        assert app_resource["service.name"] == "shop-api"
        assert "lanterna.project" not in app_resource
        spans = ours.get_finished_spans()
        assert [s.name for s in spans] == ["app-span", "work"], spans
        assert spans[1].resource.attributes["lanterna.project"] == "shop"
        assert spans[1].resource.attributes["service.name"] == "shop-api"
        print("ok")
        """
    )
    assert out.strip() == "ok"


def test_spans_left_at_exit_are_exported_without_an_explicit_flush() -> None:
    with OTLPCapture() as capture:
        _run_script(
            """
            import lanterna

            @lanterna.trace
            def work():
                return 1

            for _ in range(5):
                work()
            """,
            env={"LANTERNA_ENDPOINT": capture.endpoint},
        )
        names = capture.span_names()
    assert names == ["work"] * 5


def test_exit_does_not_hang_when_nothing_listens_at_the_endpoint() -> None:
    elapsed, _ = _run_script(
        """
        import lanterna

        @lanterna.trace
        def work():
            return 1

        for _ in range(100):
            work()
        """,
        env={"LANTERNA_ENDPOINT": f"http://127.0.0.1:{unused_port()}"},
    )
    assert elapsed < _EXIT_BOUND_S


def test_exit_does_not_hang_when_the_collector_never_answers() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # accepts connections in the kernel, never answers
        port = silent.getsockname()[1]
        elapsed, _ = _run_script(
            """
            import lanterna

            @lanterna.trace
            def work():
                return 1

            work()
            """,
            env={
                "LANTERNA_ENDPOINT": f"http://127.0.0.1:{port}",
                "LANTERNA_EXPORT_TIMEOUT_S": "30",
            },
        )
    assert elapsed < _EXIT_BOUND_S


def test_importing_the_sdk_pulls_in_no_heavy_optional_packages() -> None:
    _, out = _run_script(
        """
        import sys
        import lanterna
        import lanterna.testing

        @lanterna.trace
        def work():
            return 1

        work()
        heavy = {"pydantic", "numpy", "orjson", "openai", "openinference"}
        print(sorted(name for name in heavy if name in sys.modules))
        """,
        env={"LANTERNA_ENABLED": "true"},
    )
    assert out.strip() == "[]"
