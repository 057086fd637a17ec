"""The FastAPI application: OTLP ingest, the REST API, and the store's lifetime."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from lanterna_collector.api import otlp_router, rest_router
from lanterna_collector.errors import StorageError
from lanterna_collector.settings import CollectorSettings
from lanterna_collector.storage.runner import StoreRunner
from lanterna_collector.storage.store import SpanStore

logger = logging.getLogger(__name__)

_HTTP_UNAVAILABLE: Final = 503


async def _storage_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("storage failed on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": {"message": f"The store failed: {exc}", "position": None}},
        status_code=_HTTP_UNAVAILABLE,
    )


def create_app(settings: CollectorSettings | None = None) -> FastAPI:
    """Build the collector application; the store opens when the app starts and closes after."""
    settings = settings or CollectorSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = SpanStore(settings.resolved_clickhouse_url)
        await anyio.to_thread.run_sync(store.open)
        app.state.runner = StoreRunner(store)
        try:
            yield
        finally:
            await app.state.runner.run(store.close)
            logger.info("span store closed")

    app = FastAPI(
        title="Lanterna collector",
        summary="OTLP/HTTP ingest and the REST API of Lanterna.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(otlp_router)
    app.include_router(rest_router)
    app.add_exception_handler(StorageError, _storage_error)
    return app
