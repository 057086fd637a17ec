"""HTTP routes: OTLP ingest at ``/v1``, the REST API under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from lanterna_collector.api import health, otlp, projects, sessions, traces

API_PREFIX = "/api/v1"

rest_router = APIRouter(prefix=API_PREFIX)
rest_router.include_router(health.router)
rest_router.include_router(traces.router)
rest_router.include_router(sessions.router)
rest_router.include_router(projects.router)

otlp_router = otlp.router

__all__ = ["API_PREFIX", "otlp_router", "rest_router"]
