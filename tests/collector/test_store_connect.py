"""The scheme of a ClickHouse server URL decides whether the connection uses TLS."""

from __future__ import annotations

import socket

import pytest
from clickhouse_connect.driver.exceptions import ClickHouseError
from lanterna_collector.storage.store import connect


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("scheme", "pool"), [("https", "HTTPSConnection"), ("clickhouse", "HTTPConnection")]
)
def test_server_url_scheme_picks_plain_http_or_tls(scheme: str, pool: str) -> None:
    url = f"{scheme}://user:secret@127.0.0.1:{_closed_port()}/default"

    with pytest.raises(ClickHouseError) as failure:
        connect(url, connect_timeout=1)

    assert f"{pool}Pool" in str(failure.value)
