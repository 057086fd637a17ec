"""The collector's settings: environment variables, defaults and command-line flags."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from lanterna_collector import CollectorSettings
from pydantic import ValidationError


def test_default_store_is_embedded_chdb_under_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANTERNA_HOME", str(tmp_path))
    monkeypatch.delenv("LANTERNA_CLICKHOUSE_URL", raising=False)

    settings = CollectorSettings()

    assert settings.resolved_clickhouse_url == f"chdb://{tmp_path.resolve()}/clickhouse"
    assert (settings.host, settings.port) == ("127.0.0.1", 4318)
    assert settings.max_field_bytes == 64 * 1024
    assert settings.max_request_bytes >= 20 * 1024 * 1024


def test_clickhouse_url_from_the_environment_is_used_as_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANTERNA_CLICKHOUSE_URL", "clickhouse://db:8123/lanterna")

    assert CollectorSettings().resolved_clickhouse_url == "clickhouse://db:8123/lanterna"


def test_explicit_values_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNA_PORT", "9999")

    assert CollectorSettings(port=5000).port == 5000


def test_an_invalid_port_fails_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNA_PORT", "70000")

    with pytest.raises(ValidationError, match="port"):
        CollectorSettings()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_home_flag_beats_the_environment_and_the_server_logs_where_it_listens(
    tmp_path: Path,
) -> None:
    flag_home, env_home = tmp_path / "flag", tmp_path / "env"
    port = _free_port()
    command = [sys.executable, "-m", "lanterna_collector", "--port", str(port)]
    with subprocess.Popen(
        [*command, "--home", str(flag_home)],
        env={**os.environ, "LANTERNA_HOME": str(env_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as process:
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0].decode()

    assert (flag_home / "clickhouse").is_dir()
    assert not env_home.exists()
    assert f"listening on http://127.0.0.1:{port}" in output
