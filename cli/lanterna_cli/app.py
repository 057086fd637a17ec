"""The ``lanterna`` commands: ``up``, ``server``, ``dashboard`` and ``demo``."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from lanterna_cli.processes import StackError, check_port_free
from lanterna_cli.settings import ENV_PREFIX, MAX_PORT, MIN_PORT, CliSettings
from lanterna_cli.stack import Stack, StackOptions, collector_command, dashboard_command

app = typer.Typer(
    name="lanterna",
    help=(
        "Lanterna: tracing and evaluation for GenAI apps. Start with `lanterna up`.\n\n"
        "Flags beat LANTERNA_* environment variables (LANTERNA_HOME, LANTERNA_PORT, "
        "LANTERNA_DASHBOARD_PORT, LANTERNA_HOST, LANTERNA_PROJECT), which beat the defaults. "
        "Data lives under LANTERNA_HOME, ~/.lanterna by default."
    ),
    no_args_is_help=True,
    add_completion=False,
)

_DEFAULT_DEMO_MODEL = "gpt-4o-mini"
# Top-level modules of the demo extra's packages.
_DEMO_PACKAGES = frozenset({"openai", "sklearn", "openinference"})

HostOption = Annotated[
    str | None, typer.Option(help="Interface to listen on.", show_default="127.0.0.1")
]
PortOption = Annotated[
    int | None,
    typer.Option(min=MIN_PORT, max=MAX_PORT, help="Port of the collector.", show_default="4318"),
]
DashboardPortOption = Annotated[
    int | None,
    typer.Option(min=MIN_PORT, max=MAX_PORT, help="Port of the dashboard.", show_default="8501"),
]
ProjectOption = Annotated[
    str | None,
    typer.Option(help="Project the dashboard opens on (LANTERNA_PROJECT).", show_default=False),
]


def _settings(**flags: object) -> CliSettings:
    """Build settings from the environment, then apply the flags that were given."""
    try:
        settings = CliSettings()
    except ValidationError as error:
        _fail(_describe_env_errors(error))
    given: dict[str, Any] = {name: value for name, value in flags.items() if value is not None}
    return settings.model_copy(update=given)


def _describe_env_errors(error: ValidationError) -> str:
    problems = [
        f"{ENV_PREFIX}{'_'.join(map(str, item['loc'])).upper()}={item['input']!r}: "
        f"{item['msg'].removeprefix('Value error, ')}"
        for item in error.errors()
    ]
    return "invalid setting: " + "; ".join(problems)


def _check_collector_settings(settings: CliSettings) -> None:
    """Refuse now, in one line, the LANTERNA_* values the collector would refuse at start."""
    # Only the commands that start the collector pay for importing its settings.
    from lanterna_collector.settings import CollectorSettings, describe_settings_error

    try:
        CollectorSettings(host=settings.host, port=settings.port, home=settings.home)
    except ValidationError as error:
        _fail(describe_settings_error(error))


def _check_dashboard_settings(api_url: str | None, project: str | None) -> None:
    """Refuse a collector URL or project the dashboard would refuse, naming the flag."""
    from lanterna_dashboard.settings import DashboardSettings

    flags = {"api_url": api_url, "project": project}
    given: dict[str, Any] = {name: value for name, value in flags.items() if value is not None}
    try:
        DashboardSettings(**given)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            name = "_".join(map(str, item["loc"]))
            source = f"--{name.replace('_', '-')}" if name in given else ENV_PREFIX + name.upper()
            rule = item["msg"].removeprefix("Value error, ")
            problems.append(f"{source} {item['input']!r}: {rule}")
        _fail("invalid dashboard setting: " + "; ".join(problems))


def _fail(message: str) -> NoReturn:
    typer.echo(f"lanterna: {message}", err=True)
    raise typer.Exit(code=1)


def _exec(argv: list[str]) -> None:
    """Replace this process with ``argv`` so signals reach the server directly."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)


@app.command()
def up(
    port: PortOption = None,
    dashboard_port: DashboardPortOption = None,
    host: HostOption = None,
    demo: Annotated[bool, typer.Option(help="Load the demo's traces once started.")] = True,
    project: Annotated[
        str | None,
        typer.Option(
            help="Project the demo's traces go to and the dashboard opens on.",
            show_default="LANTERNA_PROJECT, else default",
        ),
    ] = None,
) -> None:
    """Start the collector and the dashboard, load demo data, and wait for Ctrl-C."""
    settings = _settings(port=port, dashboard_port=dashboard_port, host=host, project=project)
    _check_collector_settings(settings)
    _check_dashboard_settings(settings.api_url, project)
    try:
        code = Stack(StackOptions(settings, with_demo=demo, dashboard_project=project)).run()
    except StackError as error:
        _fail(str(error))
    raise typer.Exit(code=code)


@app.command()
def server(host: HostOption = None, port: PortOption = None) -> None:
    """Run the collector (OTLP ingest and REST API) in the foreground."""
    settings = _settings(host=host, port=port)
    _check_collector_settings(settings)
    try:
        check_port_free(settings.host, settings.port, "collector")
    except StackError as error:
        _fail(str(error))
    _exec(collector_command(settings.host, settings.port, settings.home))


@app.command()
def dashboard(
    port: DashboardPortOption = None,
    api_url: Annotated[
        str | None, typer.Option(help="Collector URL.", show_default="http://127.0.0.1:4318")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Run the Streamlit dashboard in the foreground."""
    settings = _settings(dashboard_port=port)
    _check_dashboard_settings(api_url or settings.dashboard_api_url, project)
    try:
        check_port_free(settings.host, settings.dashboard_port, "dashboard")
    except StackError as error:
        _fail(str(error))
    _exec(
        dashboard_command(settings.dashboard_port, api_url or settings.dashboard_api_url, project)
    )


@app.command("demo")
def demo_command(
    endpoint: Annotated[
        str | None,
        typer.Option(help="URL of a running collector.", show_default="http://127.0.0.1:4318"),
    ] = None,
    project: Annotated[str | None, typer.Option(help="Project the traces belong to.")] = None,
    openai_base_url: Annotated[
        str | None,
        typer.Option(
            envvar="OPENAI_BASE_URL",
            help="OpenAI-compatible endpoint; without it the demo serves its own model.",
        ),
    ] = None,
    openai_api_key: Annotated[
        str | None, typer.Option(envvar="OPENAI_API_KEY", help="Key for --openai-base-url.")
    ] = None,
    model: Annotated[str, typer.Option(help="Model for --openai-base-url.")] = _DEFAULT_DEMO_MODEL,
) -> None:
    """Run the traced retrieval agent and send its traces to a collector."""
    try:
        from lanterna_cli.demo import DemoError, DemoOptions, run_demo
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in _DEMO_PACKAGES:
            raise
        _fail(f"the demo needs the demo extra: pip install 'lanterna[all]' ({error})")

    settings = _settings(project=project)
    options = DemoOptions(
        endpoint=endpoint or settings.api_url,
        project=settings.project,
        openai_base_url=openai_base_url,
        openai_api_key=openai_api_key,
        model=model,
    )
    try:
        report = run_demo(options)
    except DemoError as error:
        _fail(str(error))
    typer.echo(
        f"Sent {report.traces_sent} traces ({report.failed_answers} failed at the model "
        f"endpoint, as planned) from {report.sessions} sessions of {report.users} users "
        f"to {options.endpoint}, project {options.project!r}."
    )
