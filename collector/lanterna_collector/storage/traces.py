"""Queries behind the trace list, one trace's spans, and the session list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from lanterna_collector.storage.schema import (
    SPANS_TABLE,
    TRACE_ROWS_SQL,
    TRACE_SUMMARY_TABLE,
    WINDOWED_TRACE_ROWS_SQL,
)
from lanterna_collector.storage.store import SpanStore

_PAGE_CONDITION: Final = (
    "(start_time_unix_nano, trace_id) < ({p_start_time_unix_nano:UInt64}, {p_trace_id:String})"
)
_NANOS_PER_S: Final = 1_000_000_000
# Look-back windows tried in turn for a newest-first page, before grouping every trace.
_PAGE_WINDOWS_NS: Final = tuple(
    seconds * _NANOS_PER_S for seconds in (60, 15 * 60, 3 * 3600, 36 * 3600, 15 * 86400)
)
_WINDOW_CONDITION: Final = "start_time_unix_nano >= {window_start_unix_nano:UInt64}"
_TRACE_SPANS_SQL: Final = f"""
SELECT *
FROM {SPANS_TABLE}
WHERE project = {{project:String}} AND trace_id = {{trace_id:String}}
ORDER BY start_time_unix_nano, span_id
LIMIT 1 BY span_id
"""
_SESSIONS_SQL: Final = f"""
SELECT
    session_id,
    max(user_id) AS user_id,
    count() AS trace_count,
    min(start_time_unix_nano) AS first_start_time_unix_nano,
    max(start_time_unix_nano) AS last_start_time_unix_nano,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(total_tokens) AS total_tokens,
    sum(cost_usd) AS cost_usd,
    countIf(status = 'ERROR') AS error_count
FROM ({TRACE_ROWS_SQL})
WHERE session_id != ''
GROUP BY session_id
"""


@dataclass(frozen=True)
class TraceQuery:
    """What one page of the trace list asks for."""

    project: str
    limit: int
    filter_sql: str = "1"
    filter_parameters: dict[str, Any] = field(default_factory=dict)
    after: tuple[int, str] | None = None
    session_id: str | None = None


def _page_sql(relation: str, conditions: list[str], limit: int) -> str:
    return (
        f"SELECT * FROM ({relation}) WHERE {' AND '.join(conditions)} "
        f"ORDER BY start_time_unix_nano DESC, trace_id DESC LIMIT {int(limit) + 1}"
    )


def list_traces(store: SpanStore, query: TraceQuery) -> list[dict[str, Any]]:
    """Return up to ``limit + 1`` trace rows, newest first, after the page cursor.

    Recent look-back windows are tried first: a window that already holds ``limit + 1``
    matching traces gives the exact page without grouping older traces. Only when no
    window is enough is every trace of the project grouped.
    """
    conditions = [f"({query.filter_sql})"]
    parameters: dict[str, Any] = {**query.filter_parameters, "project": query.project}
    if query.after is not None:
        conditions.append(_PAGE_CONDITION)
        parameters["p_start_time_unix_nano"], parameters["p_trace_id"] = query.after
    if query.session_id is not None:
        conditions.append("session_id = {p_session_id:String}")
        parameters["p_session_id"] = query.session_id

    anchor = query.after[0] if query.after is not None else store.latest_start(query.project)
    if not anchor:
        return store.query(_page_sql(TRACE_ROWS_SQL, conditions, query.limit), parameters)

    windowed_sql = _page_sql(WINDOWED_TRACE_ROWS_SQL, [*conditions, _WINDOW_CONDITION], query.limit)
    for window_ns in _PAGE_WINDOWS_NS:
        window_start = max(anchor - window_ns, 0)
        rows = store.query(windowed_sql, {**parameters, "window_start_unix_nano": window_start})
        if len(rows) > query.limit or window_start == 0:
            return rows
    return store.query(_page_sql(TRACE_ROWS_SQL, conditions, query.limit), parameters)


def trace_spans(store: SpanStore, project: str, trace_id: str) -> list[dict[str, Any]]:
    """Return every span of one trace, ordered by start time, each once."""
    return store.query(_TRACE_SPANS_SQL, {"project": project, "trace_id": trace_id})


def list_sessions(
    store: SpanStore, project: str, limit: int, after: tuple[int, str] | None
) -> list[dict[str, Any]]:
    """Return up to ``limit + 1`` sessions, most recently active first, after the cursor."""
    # TODO: this groups every trace of the project (about 60 ms at 100,000 traces); a
    # session summary kept by its own materialised view would make it a range read.
    parameters: dict[str, Any] = {"project": project}
    having = "1"
    if after is not None:
        having = (
            "(last_start_time_unix_nano, session_id) < "
            "({p_start_time_unix_nano:UInt64}, {p_session_id:String})"
        )
        parameters["p_start_time_unix_nano"], parameters["p_session_id"] = after
    sql = (
        f"{_SESSIONS_SQL} HAVING {having} "
        f"ORDER BY last_start_time_unix_nano DESC, session_id DESC LIMIT {int(limit) + 1}"
    )
    return store.query(sql, parameters)


_PROJECTS_SQL: Final = f"""
SELECT project, uniqExact(trace_id) AS trace_count,
       max(start_time_unix_nano) AS last_start_time_unix_nano
FROM {TRACE_SUMMARY_TABLE}
GROUP BY project
ORDER BY last_start_time_unix_nano DESC, project
LIMIT {{limit:UInt32}}
"""


def list_projects(store: SpanStore, limit: int) -> list[dict[str, Any]]:
    """Return the projects that hold traces, most recently active first."""
    # TODO: this reads the trace_id column of the whole summary (tens of milliseconds at a
    # million traces); a per-project counter table would make it a point read.
    return store.query(_PROJECTS_SQL, {"limit": limit})
