"""The command line the CLI uses to start the dashboard, and the app's own flags."""

from __future__ import annotations

import sys

import pytest
from lanterna_dashboard import command
from lanterna_dashboard.launch import APP_PATH, settings_from_args


def test_command_runs_streamlit_on_the_app_bound_to_localhost() -> None:
    argv = command(8601, "http://127.0.0.1:9999")

    assert argv[:5] == [sys.executable, "-m", "streamlit", "run", str(APP_PATH)]
    assert APP_PATH.is_file()
    pairs = dict(zip(argv[5::2], argv[6::2], strict=False))
    assert pairs["--server.port"] == "8601"
    assert pairs["--server.address"] == "127.0.0.1"
    assert pairs["--server.headless"] == "true"
    assert pairs["--browser.gatherUsageStats"] == "false"
    assert argv[-3:] == ["--", "--api-url", "http://127.0.0.1:9999"]


def test_api_url_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANTERNA_API_URL", "http://from-env:1")

    assert settings_from_args(["--api-url", "http://from-flag:2"]).api_url == "http://from-flag:2"
    assert settings_from_args([]).api_url == "http://from-env:1"


def test_without_an_api_url_the_command_leaves_the_environment_in_charge() -> None:
    assert "--" not in command(8601)


def test_project_flag_reaches_the_app_and_beats_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANTERNA_PROJECT", "from-env")

    argv = command(8601, "http://127.0.0.1:9999", project="support-bot")

    assert argv[-5:] == ["--", "--api-url", "http://127.0.0.1:9999", "--project", "support-bot"]
    assert settings_from_args(argv[argv.index("--") + 1 :]).project == "support-bot"
    assert settings_from_args([]).project == "from-env"


def test_without_a_configured_project_the_settings_leave_the_choice_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LANTERNA_PROJECT", raising=False)

    assert settings_from_args([]).project is None


@pytest.mark.parametrize("api_url", ["notaurl", "ftp://host:1", "http://"])
def test_a_collector_url_that_is_not_http_is_refused(api_url: str) -> None:
    with pytest.raises(ValueError, match="must start with http:// or https://"):
        settings_from_args(["--api-url", api_url])
