"""Settings from the environment and from configure(), and where spans are sent."""

from __future__ import annotations

import logging
from typing import Any

import lanterna
import pytest
from lanterna import semconv
from lanterna._config import settings_from_env
from lanterna.testing import InMemorySpanExporter, configure_in_memory
from otlp_capture import OTLPCapture, resource_attributes
from sdk_helpers import SpanLog


@lanterna.trace
def work() -> int:
    return 1


def test_environment_variables_set_the_settings() -> None:
    settings = settings_from_env(
        {
            "LANTERNA_ENDPOINT": "http://collector:9000",
            "LANTERNA_PROJECT": "shop",
            "LANTERNA_API_KEY": "k-1",
            "LANTERNA_ENABLED": "false",
            "LANTERNA_CAPTURE_INPUTS": "0",
            "LANTERNA_MAX_FIELD_BYTES": "4096",
        }
    )

    assert settings.traces_url == "http://collector:9000/v1/traces"
    assert (settings.project, settings.api_key, settings.enabled) == ("shop", "k-1", False)
    assert settings.capture_inputs is False and settings.capture_outputs is True
    assert settings.max_field_bytes == 4096


def test_bad_environment_values_log_a_warning_and_keep_the_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="lanterna"):
        settings = settings_from_env(
            {
                "LANTERNA_ENABLED": "maybe",
                "LANTERNA_MAX_FIELD_BYTES": "lots",
                "LANTERNA_ENDPOINT": "collector:4318",
                "LANTERNA_EXPORT_TIMEOUT_S": "-1",
            }
        )

    assert settings == settings_from_env({})
    messages = " ".join(r.getMessage() for r in caplog.records)
    for name in ("LANTERNA_ENABLED", "LANTERNA_MAX_FIELD_BYTES", "LANTERNA_ENDPOINT"):
        assert name in messages
    assert all(r.levelname == "WARNING" for r in caplog.records)


@pytest.mark.parametrize(
    ("arguments", "error", "name"),
    [
        ({"endpoint": "collector:4318"}, ValueError, "endpoint"),
        ({"endpoint": 4318}, TypeError, "endpoint"),
        ({"project": ""}, TypeError, "project"),
        ({"enabled": "yes"}, TypeError, "enabled"),
        ({"max_field_bytes": 10}, ValueError, "max_field_bytes"),
        ({"max_field_bytes": 1.5}, TypeError, "max_field_bytes"),
        ({"export_timeout_s": 0}, ValueError, "export_timeout_s"),
        ({"export_timeout_s": -1.0}, ValueError, "export_timeout_s"),
        ({"export_timeout_s": float("inf")}, ValueError, "export_timeout_s"),
        ({"export_timeout_s": float("nan")}, ValueError, "export_timeout_s"),
        ({"export_timeout_s": 1e300}, ValueError, "export_timeout_s"),
        ({"max_field_bytes": float("inf")}, TypeError, "max_field_bytes"),
        ({"max_field_bytes": -1}, ValueError, "max_field_bytes"),
        ({"max_queue_size": float("nan")}, TypeError, "max_queue_size"),
        ({"max_queue_size": 0}, ValueError, "max_queue_size"),
        ({"max_queue_size": 10**20}, ValueError, "max_queue_size"),
        ({"api_key": "abc\r\nX-Evil: 1"}, ValueError, "api_key"),
        ({"api_key": "ключ"}, ValueError, "api_key"),
        ({"api_key": "two words"}, ValueError, "api_key"),
        ({"endpoint": "localhost:4318"}, ValueError, "endpoint"),
        ({"endpoint": "ftp://collector:4318"}, ValueError, "endpoint"),
        ({"endpoint": "http://"}, ValueError, "endpoint"),
        ({"endpoint": "http:///v1/traces"}, ValueError, "endpoint"),
        ({"endpoint": "http://collector:port"}, ValueError, "endpoint"),
        ({"exporter": object()}, TypeError, "exporter"),
    ],
)
def test_bad_configure_arguments_raise_naming_the_setting(
    arguments: dict[str, Any], error: type[Exception], name: str
) -> None:
    before = lanterna.settings()

    with pytest.raises(error, match=name):
        lanterna.configure(**arguments)

    assert lanterna.settings() == before


def test_an_api_key_that_cannot_be_sent_is_rejected_without_showing_the_key() -> None:
    with pytest.raises(ValueError, match="api_key") as raised:
        lanterna.configure(api_key="sk-secret\nX-Evil: 1")

    assert "sk-secret" not in str(raised.value)
    assert "'\\n' at position 9" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("LANTERNA_EXPORT_TIMEOUT_S", "inf"),
        ("LANTERNA_EXPORT_TIMEOUT_S", "nan"),
        ("LANTERNA_EXPORT_TIMEOUT_S", "0"),
        ("LANTERNA_MAX_QUEUE_SIZE", "-5"),
        ("LANTERNA_MAX_QUEUE_SIZE", "inf"),
        ("LANTERNA_MAX_FIELD_BYTES", "nan"),
        ("LANTERNA_ENDPOINT", "ftp://collector:4318"),
        ("LANTERNA_API_KEY", "abc\r\nX-Evil: 1"),
        ("LANTERNA_API_KEY", "ключ"),
    ],
)
def test_an_environment_value_that_would_break_export_warns_and_keeps_the_default(
    caplog: pytest.LogCaptureFixture, name: str, raw: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="lanterna"):
        settings = settings_from_env({name: raw})

    assert settings == settings_from_env({})
    (record,) = caplog.records
    assert record.levelname == "WARNING" and name in record.getMessage()
    if name == "LANTERNA_API_KEY":
        assert "abc" not in record.getMessage() and "ключ" not in record.getMessage()


@pytest.mark.parametrize(
    "endpoint",
    ["http://collector:4318/v1/traces", "http://collector:4318/v1/traces/"],
)
def test_an_endpoint_given_as_the_full_traces_url_is_used_as_is(endpoint: str) -> None:
    settings = lanterna.configure(endpoint=endpoint, enabled=False)

    assert settings.traces_url == "http://collector:4318/v1/traces"


def test_an_endpoint_with_a_path_prefix_gets_the_traces_path_appended() -> None:
    settings = settings_from_env({"LANTERNA_ENDPOINT": "https://example.com/otel/"})

    assert settings.traces_url == "https://example.com/otel/v1/traces"


def test_spans_reach_a_collector_given_by_its_full_traces_url() -> None:
    with OTLPCapture() as capture:
        lanterna.configure(endpoint=capture.endpoint + "/v1/traces")
        work()
        assert lanterna.flush(timeout_s=10)

        paths = [path for path, _, _ in capture.received]
    configure_in_memory()

    assert paths == ["/v1/traces"]
    assert capture.span_names() == ["work"]


def test_configure_again_sends_later_spans_to_the_new_exporter_only(span_log: SpanLog) -> None:
    work()
    second = configure_in_memory()
    work()
    work()
    lanterna.flush()

    assert len(span_log.exporter.get_finished_spans()) == 1
    assert len(second.get_finished_spans()) == 2


def test_spans_are_posted_as_otlp_protobuf_with_project_and_api_key() -> None:
    with OTLPCapture() as capture:
        lanterna.configure(endpoint=capture.endpoint, project="shop", api_key="secret-key")
        work()
        assert lanterna.flush(timeout_s=10)

        (path, headers, request) = capture.received[0]
    configure_in_memory()

    assert path == "/v1/traces"
    assert headers["content-type"] == "application/x-protobuf"
    assert headers["authorization"] == "Bearer secret-key"
    resource = resource_attributes(request)
    assert resource[semconv.PROJECT] == "shop"
    assert resource[semconv.SERVICE_NAME] == "shop"
    assert capture.span_names() == ["work"]


def test_a_new_project_from_configure_is_stamped_on_later_spans() -> None:
    first = configure_in_memory(project="alpha")
    work()
    lanterna.flush()
    second = configure_in_memory(project="beta")
    work()
    lanterna.flush()

    assert first.get_finished_spans()[0].resource.attributes[semconv.PROJECT] == "alpha"
    assert second.get_finished_spans()[0].resource.attributes[semconv.PROJECT] == "beta"


def test_any_opentelemetry_exporter_can_be_plugged_in() -> None:
    exporter = InMemorySpanExporter()
    settings = lanterna.configure(exporter=exporter)
    work()
    lanterna.flush()

    assert settings.exporter is exporter
    assert [s.name for s in exporter.get_finished_spans()] == ["work"]
