"""``python -m lanterna_collector`` refuses bad settings in one line, without a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

_TIMEOUT_S = 60


def _run_collector(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return subprocess.run(
        [sys.executable, "-m", "lanterna_collector", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        env={"LANTERNA_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", **env},
    )


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("LANTERNA_HOME", "/proc/nope", "cannot create the data folder"),
        ("LANTERNA_MAX_REQUEST_BYTES", "-3", "greater than or equal to 1024"),
        ("LANTERNA_MAX_FIELD_BYTES", "abc", "valid integer"),
        ("LANTERNA_CLICKHOUSE_URL", "garbage", "must start with one of chdb://"),
        ("LANTERNA_CLICKHOUSE_URL", "http://127.0.0.1:9", "cannot connect to ClickHouse"),
    ],
)
def test_bad_setting_stops_the_collector_with_one_line_naming_it(
    name: str, value: str, rule: str, tmp_path: Path
) -> None:
    result = _run_collector(tmp_path, {name: value})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if f"{name}={value!r}" in line
    ]
    assert rule in result.stderr


def test_home_that_is_a_file_is_refused_before_anything_is_created(tmp_path: Path) -> None:
    a_file = tmp_path / "somefile"
    a_file.write_text("")

    result = _run_collector(tmp_path, {"LANTERNA_HOME": str(a_file)})

    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert f"LANTERNA_HOME={str(a_file)!r}: it is a file, not a folder" in result.stderr
