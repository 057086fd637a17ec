"""Projects: ``/api/v1/projects``."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query, Request

from lanterna_collector.api.models import ProjectList, ProjectSummary
from lanterna_collector.api.paging import iso_time
from lanterna_collector.storage.runner import StoreRunner
from lanterna_collector.storage.traces import list_projects

router = APIRouter(tags=["projects"])

_MAX_PROJECTS: Final = 1000


@router.get("/projects")
async def get_projects(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=_MAX_PROJECTS)] = _MAX_PROJECTS,
) -> ProjectList:
    """List the projects that hold traces, most recently active first."""
    runner: StoreRunner = request.app.state.runner
    rows = await runner.run(list_projects, runner.store, limit)
    return ProjectList(
        projects=[
            ProjectSummary(
                name=row["project"],
                trace_count=row["trace_count"],
                last_start_time=iso_time(row["last_start_time_unix_nano"]),
                last_start_time_unix_nano=row["last_start_time_unix_nano"],
            )
            for row in rows
        ]
    )
