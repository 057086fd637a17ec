"""The trace list and one trace's spans: ``/api/v1/traces``."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final

import orjson
from fastapi import APIRouter, HTTPException, Query, Request
from lanterna.semconv import DEFAULT_PROJECT

from lanterna_collector.api.models import SpanDetail, TraceDetail, TraceList, TraceSummary
from lanterna_collector.api.paging import (
    bad_request,
    decode_page_token,
    encode_page_token,
    iso_time,
)
from lanterna_collector.query import FilterError, compile_trace_filter
from lanterna_collector.storage.runner import StoreRunner
from lanterna_collector.storage.traces import TraceQuery, list_traces, trace_spans

router = APIRouter(tags=["traces"])

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 1000
_NANOS_PER_MS: Final = 1e6
_TRACE_ID_RE: Final = re.compile(r"[0-9a-fA-F]{32}")
_HTTP_NOT_FOUND: Final = 404

ProjectParam = Annotated[str, Query(description="Project the traces belong to.")]
LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Traces per page.")]
TokenParam = Annotated[str | None, Query(description="next_page_token of the previous page.")]


def trace_summary(row: dict[str, Any]) -> TraceSummary:
    """Turn one row of the per-trace relation into its wire model."""
    return TraceSummary(
        trace_id=row["trace_id"],
        name=row["name"],
        start_time=iso_time(row["start_time_unix_nano"]),
        start_time_unix_nano=row["start_time_unix_nano"],
        end_time_unix_nano=row["end_time_unix_nano"],
        duration_ms=max(float(row["duration_ms"]), 0.0),
        status=row["status"],
        span_count=row["span_count"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        total_tokens=row["total_tokens"],
        cost_usd=row["cost_usd"],
        session_id=row["session_id"],
        user_id=row["user_id"],
        tags=sorted(row["tags"]),
    )


def trace_page(rows: list[dict[str, Any]], limit: int) -> TraceList:
    """Build a page from ``limit + 1`` rows: the extra row says whether a next page exists."""
    traces = [trace_summary(row) for row in rows[:limit]]
    next_token = None
    if len(rows) > limit and traces:
        last = traces[-1]
        next_token = encode_page_token(last.start_time_unix_nano, last.trace_id)
    return TraceList(traces=traces, next_page_token=next_token)


async def query_trace_page(
    runner: StoreRunner,
    project: str,
    filter_text: str,
    limit: int,
    page_token: str | None,
    session_id: str | None = None,
) -> TraceList:
    """Compile the filter, run the page query, and build the reply (400 on a bad filter)."""
    after = decode_page_token(page_token)
    try:
        compiled = compile_trace_filter(filter_text)
    except FilterError as exc:
        raise bad_request(exc.message, exc.position) from exc
    query = TraceQuery(
        project=project,
        limit=limit,
        filter_sql=compiled.sql,
        filter_parameters=compiled.parameters,
        after=after,
        session_id=session_id,
    )
    rows = await runner.run(list_traces, runner.store, query)
    return trace_page(rows, limit)


@router.get("/traces")
async def get_traces(
    request: Request,
    filter: Annotated[str, Query(description="Search filter, e.g. status = 'ERROR'.")] = "",
    limit: LimitParam = DEFAULT_LIMIT,
    page_token: TokenParam = None,
    project: ProjectParam = DEFAULT_PROJECT,
) -> TraceList:
    """List traces, newest first, matching an optional search filter."""
    return await query_trace_page(request.app.state.runner, project, filter, limit, page_token)


def _decoded(text: str) -> Any:
    if not text:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text


def span_detail(row: dict[str, Any]) -> SpanDetail:
    """Turn one stored span row into its wire model."""
    return SpanDetail.model_validate(
        {
            **row,
            "duration_ms": row["duration_ns"] / _NANOS_PER_MS,
            "inputs": _decoded(row["inputs"]),
            "outputs": _decoded(row["outputs"]),
            "events": _decoded(row["events"]) or [],
            "links": _decoded(row["links"]) or [],
        }
    )


@router.get("/traces/{trace_id}")
async def get_trace(
    request: Request, trace_id: str, project: ProjectParam = DEFAULT_PROJECT
) -> TraceDetail:
    """Return every span of one trace, ordered by start time."""
    if not _TRACE_ID_RE.fullmatch(trace_id):
        raise bad_request(f"trace id {trace_id!r} is not 32 hex characters.")
    trace_id = trace_id.lower()
    runner: StoreRunner = request.app.state.runner
    rows = await runner.run(trace_spans, runner.store, project, trace_id)
    if not rows:
        raise HTTPException(
            status_code=_HTTP_NOT_FOUND,
            detail={"message": f"No trace {trace_id!r} in project {project!r}.", "position": None},
        )
    return TraceDetail(trace_id=trace_id, spans=[span_detail(row) for row in rows])
