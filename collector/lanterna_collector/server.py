"""Run the collector under uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from lanterna_collector.app import create_app
from lanterna_collector.settings import CollectorSettings

logger = logging.getLogger(__name__)


def serve(settings: CollectorSettings | None = None) -> None:
    """Serve the collector until interrupted; blocks."""
    settings = settings or CollectorSettings()
    app = create_app(settings)
    logger.info(
        "listening on http://%s:%d (data in %s)",
        settings.host,
        settings.port,
        settings.resolved_home,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=False)
