"""The ``lanterna`` command's help, flags and error messages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

_COMMANDS = ("up", "server", "dashboard", "demo")
_TIMEOUT_S = 60


def test_installed_script_prints_help_naming_every_command() -> None:
    script = Path(sys.executable).parent / "lanterna"

    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    for command in _COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", _COMMANDS)
def test_each_command_explains_itself_in_help(command: str, lanterna: Callable) -> None:
    result = lanterna(command, "--help")

    assert result.returncode == 0, result.stderr
    assert f"Usage: lanterna {command}" in result.stdout or "Usage: " in result.stdout
    assert "--help" in result.stdout


def test_script_without_the_server_extra_says_what_to_install_in_one_line() -> None:
    # None in sys.modules makes an import fail exactly as a missing package does.
    code = "import sys; sys.modules['typer'] = None; from lanterna_cli.main import main; main()"

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=_TIMEOUT_S
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "pip install 'lanterna[all]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("command", "flag"), [("server", "--port"), ("up", "--dashboard-port"), ("dashboard", "--port")]
)
@pytest.mark.parametrize(
    ("port", "rule"),
    [("0", "greater than or equal to 1"), ("70000", "less than or equal to"), ("http", "integer")],
)
def test_port_out_of_range_is_refused_with_the_flag_named(
    command: str, flag: str, port: str, rule: str, lanterna: Callable
) -> None:
    result = lanterna(command, flag, port)

    message = " ".join(result.stderr.replace("│", " ").split())
    assert result.returncode == 2
    assert f"Invalid value for '{flag}'" in message
    assert rule in message
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("command", "what"), [("server", "collector"), ("dashboard", "dashboard")])
def test_port_in_use_is_refused_before_starting(
    command: str, what: str, busy_port: int, lanterna: Callable
) -> None:
    result = lanterna(command, "--port", str(busy_port))

    assert result.returncode == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert f"the {what} cannot start" in result.stderr
    assert "Traceback" not in result.stderr


def test_up_refuses_a_dashboard_port_in_use_and_starts_nothing(
    busy_port: int, lanterna: Callable, unused_port: Callable[[], int], tmp_path: Path
) -> None:
    result = lanterna("up", "--port", str(unused_port()), "--dashboard-port", str(busy_port))

    assert result.returncode == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert not (tmp_path / "home" / "logs").exists()


def test_environment_port_is_used_when_no_flag_is_given(busy_port: int, lanterna: Callable) -> None:
    result = lanterna("server", env={"LANTERNA_PORT": str(busy_port)})

    assert result.returncode == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr


def test_flag_port_beats_the_environment_port(
    busy_port: int, lanterna: Callable, unused_port: Callable[[], int]
) -> None:
    result = lanterna("server", "--port", str(busy_port), env={"LANTERNA_PORT": str(unused_port())})

    assert result.returncode == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.stderr


def test_invalid_environment_port_is_reported_with_its_value(lanterna: Callable) -> None:
    result = lanterna("server", env={"LANTERNA_PORT": "99999"})

    assert result.returncode == 1
    assert "LANTERNA_PORT" in result.stderr
    assert "99999" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_without_a_collector_says_how_to_start_one(
    lanterna: Callable, unused_port: Callable[[], int]
) -> None:
    endpoint = f"http://127.0.0.1:{unused_port()}"

    result = lanterna("demo", "--endpoint", endpoint)

    assert result.returncode == 1
    assert f"no collector answers at {endpoint}" in result.stderr
    assert "lanterna server" in result.stderr
    assert "Traceback" not in result.stderr


def _one_clean_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["server", "up"])
@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("LANTERNA_MAX_REQUEST_BYTES", "-3", "greater than or equal to 1024"),
        ("LANTERNA_MAX_FIELD_BYTES", "abc", "valid integer"),
        ("LANTERNA_CLICKHOUSE_URL", "garbage", "must start with one of chdb://"),
        ("LANTERNA_CLICKHOUSE_URL", "http://", "must name the ClickHouse server's host"),
    ],
)
def test_invalid_collector_setting_is_refused_in_one_line_naming_it(
    command: str, name: str, value: str, rule: str, lanterna: Callable, unused_port: Callable
) -> None:
    result = lanterna(command, "--port", str(unused_port()), env={name: value})

    line = _one_clean_line(result)
    assert f"{name}={value!r}" in line
    assert rule in line


@pytest.mark.parametrize("command", ["server", "up"])
def test_home_that_is_a_file_is_refused_in_one_line(
    command: str, lanterna: Callable, unused_port: Callable, tmp_path: Path
) -> None:
    a_file = tmp_path / "somefile"
    a_file.write_text("")

    result = lanterna(command, "--port", str(unused_port()), env={"LANTERNA_HOME": str(a_file)})

    line = _one_clean_line(result)
    assert f"LANTERNA_HOME={str(a_file)!r}" in line
    assert "not a folder" in line


@pytest.mark.parametrize("command", ["server", "up"])
def test_home_that_cannot_be_created_is_refused_in_one_line(
    command: str, lanterna: Callable, unused_port: Callable
) -> None:
    result = lanterna(command, "--port", str(unused_port()), env={"LANTERNA_HOME": "/proc/nope"})

    line = _one_clean_line(result)
    assert "LANTERNA_HOME='/proc/nope'" in line
    assert "cannot create" in line


def test_server_reports_an_unreachable_clickhouse_in_one_line(
    lanterna: Callable, unused_port: Callable
) -> None:
    url = f"http://127.0.0.1:{unused_port()}"

    result = lanterna("server", "--port", str(unused_port()), env={"LANTERNA_CLICKHOUSE_URL": url})

    line = _one_clean_line(result)
    assert f"LANTERNA_CLICKHOUSE_URL={url!r}: cannot connect to ClickHouse" in line
    assert "Connection refused" in line


@pytest.mark.parametrize("host", ["999.1.1.1", "no such host.invalid"])
def test_unresolvable_host_is_reported_as_invalid_not_as_a_port_in_use(
    host: str, lanterna: Callable, unused_port: Callable
) -> None:
    result = lanterna("server", "--host", host, "--port", str(unused_port()))

    line = _one_clean_line(result)
    assert f"host {host!r} is not a valid IP address" in line
    assert "already in use" not in line


def test_host_of_another_machine_is_reported_as_not_this_machines(
    lanterna: Callable, unused_port: Callable
) -> None:
    # 192.0.2.0/24 is reserved for documentation, so no machine has this address.
    result = lanterna("server", "--host", "192.0.2.1", "--port", str(unused_port()))

    line = _one_clean_line(result)
    assert "host '192.0.2.1' is not an address of this machine" in line


@pytest.mark.parametrize("api_url", ["notaurl", "ftp://127.0.0.1:4318", "http://"])
def test_dashboard_refuses_a_collector_url_that_is_not_http(
    api_url: str, lanterna: Callable, unused_port: Callable
) -> None:
    result = lanterna("dashboard", "--port", str(unused_port()), "--api-url", api_url)

    line = _one_clean_line(result)
    assert f"--api-url {api_url!r}" in line
    assert "must start with http:// or https://" in line


def test_dashboard_reads_the_collector_url_from_the_environment(
    lanterna: Callable, unused_port: Callable
) -> None:
    result = lanterna(
        "dashboard", "--port", str(unused_port()), env={"LANTERNA_API_URL": "ftp://elsewhere:1"}
    )

    line = _one_clean_line(result)
    assert "'ftp://elsewhere:1'" in line
    assert "must start with http:// or https://" in line
