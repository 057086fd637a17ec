"""Run the collector under uvicorn, after checking that its storage can be opened."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

import uvicorn
from clickhouse_connect.driver.exceptions import ClickHouseError

from lanterna_collector.app import create_app
from lanterna_collector.errors import CollectorError
from lanterna_collector.settings import CollectorSettings
from lanterna_collector.storage.store import connect

logger = logging.getLogger(__name__)

_CHDB_PREFIX: Final = "chdb://"
_PROBE_TIMEOUT_S: Final = 5


class StartupError(CollectorError):
    """The collector cannot start with these settings; the message says which and why."""


def serve(settings: CollectorSettings | None = None) -> None:
    """Serve the collector until interrupted; blocks.

    Call :func:`check_storage` first to turn a storage that cannot open into one line;
    here the failure ends the application's start-up with a traceback.
    """
    settings = settings or CollectorSettings()
    app = create_app(settings)
    logger.info(
        "listening on http://%s:%d (data in %s)",
        settings.host,
        settings.port,
        settings.resolved_home,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=False)


def check_storage(settings: CollectorSettings) -> None:
    """Create the chDB folder, or make sure the ClickHouse server answers.

    Checking before uvicorn starts, and before logging is set up (the ClickHouse driver
    logs each failed attempt), lets the caller report a failure in one line.

    Raises:
        StartupError: the folder cannot be created or the server cannot be reached.
    """
    dsn = settings.resolved_clickhouse_url
    if dsn.startswith(_CHDB_PREFIX):
        _make_folder(Path(dsn.removeprefix(_CHDB_PREFIX)), settings)
        return

    try:
        client = connect(dsn, connect_timeout=_PROBE_TIMEOUT_S)
    except (ClickHouseError, OSError) as error:
        raise StartupError(
            f"LANTERNA_CLICKHOUSE_URL={settings.clickhouse_url!r}: cannot connect to "
            f"ClickHouse ({_root_reason(error)}); start the server or correct the URL."
        ) from error
    client.close()


def _make_folder(folder: Path, settings: CollectorSettings) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        setting = "LANTERNA_CLICKHOUSE_URL" if settings.clickhouse_url else "LANTERNA_HOME"
        value = settings.clickhouse_url or str(settings.home)
        raise StartupError(
            f"{setting}={value!r}: cannot create the data folder {folder} "
            f"({error.strerror or error}); point {setting} at a folder you can write to."
        ) from error


def _root_reason(error: BaseException) -> str:
    """The innermost operating-system reason, such as "Connection refused", if there is one."""
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        current = current.__cause__ or current.__context__
    return str(error).splitlines()[0]
