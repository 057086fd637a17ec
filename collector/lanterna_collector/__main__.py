"""``python -m lanterna_collector``: start the collector."""

from __future__ import annotations

import logging
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from lanterna_collector.server import StartupError, check_storage, serve
from lanterna_collector.settings import CollectorSettings, describe_settings_error

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PROGRAM = "lanterna collector"
_DRIVER_LOGGER = "clickhouse_connect"

cli = typer.Typer(add_completion=False)


@cli.command()
def main(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    home: Annotated[str | None, typer.Option(help="Data folder (LANTERNA_HOME).")] = None,
) -> None:
    """Start the Lanterna collector; flags override LANTERNA_* variables."""
    overrides: dict[str, Any] = {
        key: value
        for key, value in {"host": host, "port": port, "home": home}.items()
        if value is not None
    }
    try:
        settings = CollectorSettings(**overrides)
    except ValidationError as error:
        _fail(describe_settings_error(error))

    # Until logging is set up, a failed probe would print the driver's warnings too.
    logging.getLogger(_DRIVER_LOGGER).addHandler(logging.NullHandler())
    try:
        check_storage(settings)
    except StartupError as error:
        _fail(str(error))

    logging.basicConfig(level=logging.INFO, format=_LOG_FORMAT)
    serve(settings)


def _fail(message: str) -> NoReturn:
    typer.echo(f"{_PROGRAM}: {message}", err=True)
    raise typer.Exit(code=1)


if __name__ == "__main__":
    cli()
