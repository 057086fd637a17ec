"""Sessions (conversations): ``/api/v1/sessions``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from lanterna.semconv import DEFAULT_PROJECT

from lanterna_collector.api.models import SessionList, SessionSummary, TraceList
from lanterna_collector.api.paging import decode_page_token, encode_page_token, iso_time
from lanterna_collector.api.traces import (
    DEFAULT_LIMIT,
    LimitParam,
    ProjectParam,
    TokenParam,
    query_trace_page,
)
from lanterna_collector.storage.runner import StoreRunner
from lanterna_collector.storage.traces import list_sessions

router = APIRouter(tags=["sessions"])


def _session_summary(row: dict[str, Any]) -> SessionSummary:
    return SessionSummary(
        **row,
        first_start_time=iso_time(row["first_start_time_unix_nano"]),
        last_start_time=iso_time(row["last_start_time_unix_nano"]),
    )


@router.get("/sessions")
async def get_sessions(
    request: Request,
    limit: LimitParam = DEFAULT_LIMIT,
    page_token: TokenParam = None,
    project: ProjectParam = DEFAULT_PROJECT,
) -> SessionList:
    """List sessions, most recently active first."""
    after = decode_page_token(page_token)
    runner: StoreRunner = request.app.state.runner
    rows = await runner.run(list_sessions, runner.store, project, limit, after)
    sessions = [_session_summary(row) for row in rows[:limit]]
    next_token = None
    if len(rows) > limit and sessions:
        last = sessions[-1]
        next_token = encode_page_token(last.last_start_time_unix_nano, last.session_id)
    return SessionList(sessions=sessions, next_page_token=next_token)


@router.get("/sessions/{session_id}/traces")
async def get_session_traces(
    request: Request,
    session_id: str,
    filter: Annotated[str, Query(description="Search filter, e.g. status = 'ERROR'.")] = "",
    limit: LimitParam = DEFAULT_LIMIT,
    page_token: TokenParam = None,
    project: ProjectParam = DEFAULT_PROJECT,
) -> TraceList:
    """List the traces of one session, newest first."""
    return await query_trace_page(
        request.app.state.runner, project, filter, limit, page_token, session_id=session_id
    )
