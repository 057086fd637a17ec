"""``python -m lanterna_collector``: start the collector."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer

from lanterna_collector.server import serve
from lanterna_collector.settings import CollectorSettings

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

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
    logging.basicConfig(level=logging.INFO, format=_LOG_FORMAT)
    serve(CollectorSettings(**overrides))


if __name__ == "__main__":
    cli()
