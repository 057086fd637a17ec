"""Liveness: ``GET /api/v1/health``."""

from __future__ import annotations

from fastapi import APIRouter

from lanterna_collector.api.models import HealthStatus

router = APIRouter()


@router.get("/health", tags=["health"])
async def health() -> HealthStatus:
    """Say that the collector is up."""
    return HealthStatus()
