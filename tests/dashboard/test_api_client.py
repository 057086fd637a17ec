"""The dashboard's API client against a real collector: pages, errors, unreachable."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from lanterna_dashboard.api import LanternaApiClient
from lanterna_dashboard.errors import (
    BadRequestError,
    CollectorUnreachableError,
    FilterSyntaxError,
    NotFoundError,
)
from lanterna_dashboard.settings import DashboardSettings


def _unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _client(url: str, project: str = "default") -> LanternaApiClient:
    return LanternaApiClient(DashboardSettings(api_url=url, project=project, api_timeout_s=5))


def test_bad_filter_raises_with_the_collectors_message_and_position(collector: Any) -> None:
    client = _client(collector.url)

    with pytest.raises(FilterSyntaxError) as caught:
        client.list_traces("name = 'open")

    assert caught.value.position == 7
    assert "nterminated" in caught.value.message
    client.close()


def test_missing_trace_raises_not_found_and_a_malformed_id_a_bad_request_error(
    collector: Any,
) -> None:
    client = _client(collector.url)

    with pytest.raises(NotFoundError):
        client.get_trace("0" * 32)
    with pytest.raises(BadRequestError) as caught:
        client.get_trace("not-hex")
    assert not isinstance(caught.value, FilterSyntaxError)
    assert "not-hex" in caught.value.message
    client.close()


def test_empty_project_lists_no_traces_and_no_sessions(collector: Any) -> None:
    client = _client(collector.url, project="nothing-here")

    assert client.list_traces().traces == []
    assert client.list_sessions().sessions == []
    client.close()


def test_closed_port_raises_unreachable_with_the_url() -> None:
    url = f"http://127.0.0.1:{_unused_port()}"
    client = _client(url)

    with pytest.raises(CollectorUnreachableError) as caught:
        client.list_traces()

    assert caught.value.api_url == url
    assert url in str(caught.value)
    client.close()
