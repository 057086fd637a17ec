"""ClickHouse DDL for spans and the per-trace summary.

The same statements run on the embedded chDB engine and on a ClickHouse server.
Spans are immutable rows in one wide table ordered by trace, so one trace reads
as one small range. ``trace_summary`` is kept by a materialised view: one
pre-aggregated row per trace (after merges), which is what the trace list and
the session list read, so neither scans the span table.
"""

from __future__ import annotations

from typing import Final

SPANS_TABLE: Final = "spans"
TRACE_SUMMARY_TABLE: Final = "trace_summary"
TRACE_SUMMARY_VIEW: Final = "trace_summary_mv"

# Columns of the span table in insert order, with their ClickHouse types.
SPAN_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("project", "LowCardinality(String)"),
    ("trace_id", "String"),
    ("span_id", "String"),
    ("parent_span_id", "String"),
    ("name", "String"),
    ("span_type", "LowCardinality(String)"),
    ("span_kind", "LowCardinality(String)"),
    ("status", "LowCardinality(String)"),
    ("status_message", "String"),
    ("start_time_unix_nano", "UInt64"),
    ("end_time_unix_nano", "UInt64"),
    ("duration_ns", "UInt64"),
    ("service_name", "LowCardinality(String)"),
    ("scope_name", "LowCardinality(String)"),
    ("session_id", "String"),
    ("user_id", "String"),
    ("tags", "Array(String)"),
    ("model", "LowCardinality(String)"),
    ("input_tokens", "UInt64"),
    ("output_tokens", "UInt64"),
    ("total_tokens", "UInt64"),
    ("cost_usd", "Float64"),
    ("inputs", "String"),
    ("outputs", "String"),
    ("attributes", "Map(String, String)"),
    ("resource_attributes", "Map(String, String)"),
    ("events", "String"),
    ("links", "String"),
)
SPAN_COLUMN_NAMES: Final = tuple(name for name, _ in SPAN_COLUMNS)

NANOS_PER_MINUTE: Final = 60_000_000_000

# Minute (since the epoch) of the earliest span start in the first batch that brought a
# trace; the collector copies it onto every later span of that trace. It is never later
# than any span of the trace starts, so it orders the trace summary by time without
# splitting a trace. Rows inserted by other means default to their own start minute.
TRACE_MINUTE_COLUMN: Final = "trace_minute"
_TRACE_MINUTE_TYPE: Final = "UInt32"
STORED_SPAN_COLUMNS: Final = (*SPAN_COLUMNS, (TRACE_MINUTE_COLUMN, _TRACE_MINUTE_TYPE))
STORED_SPAN_COLUMN_NAMES: Final = tuple(name for name, _ in STORED_SPAN_COLUMNS)


def _span_table_ddl() -> str:
    columns = ",\n    ".join(f"{name} {kind}" for name, kind in SPAN_COLUMNS)
    return f"""
CREATE TABLE IF NOT EXISTS {SPANS_TABLE} (
    {columns},
    {TRACE_MINUTE_COLUMN} {_TRACE_MINUTE_TYPE}
        DEFAULT intDiv(start_time_unix_nano, {NANOS_PER_MINUTE}),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_start start_time_unix_nano TYPE minmax GRANULARITY 4,
    INDEX idx_session session_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (project, trace_id, span_id)
"""


# Small granules: a newest-first page reads only the last few minutes of the summary.
_SUMMARY_INDEX_GRANULARITY: Final = 1024

# Non-root spans contribute '' to `name`, so max() yields the root span's name.
# Unfinished spans (end 0) count as ending where they start.
_TRACE_SUMMARY_DDL: Final = f"""
CREATE TABLE IF NOT EXISTS {TRACE_SUMMARY_TABLE} (
    project LowCardinality(String),
    trace_minute UInt32,
    trace_id String,
    name SimpleAggregateFunction(max, String),
    first_span_name SimpleAggregateFunction(any, String),
    start_time_unix_nano SimpleAggregateFunction(min, UInt64),
    end_time_unix_nano SimpleAggregateFunction(max, UInt64),
    has_error SimpleAggregateFunction(max, UInt8),
    span_count SimpleAggregateFunction(sum, UInt64),
    input_tokens SimpleAggregateFunction(sum, UInt64),
    output_tokens SimpleAggregateFunction(sum, UInt64),
    total_tokens SimpleAggregateFunction(sum, UInt64),
    cost_usd SimpleAggregateFunction(sum, Float64),
    session_id SimpleAggregateFunction(max, String),
    user_id SimpleAggregateFunction(max, String),
    tags SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = AggregatingMergeTree
ORDER BY (project, trace_minute, trace_id)
SETTINGS index_granularity = {_SUMMARY_INDEX_GRANULARITY}
"""

_TRACE_SUMMARY_VIEW_DDL: Final = f"""
CREATE MATERIALIZED VIEW IF NOT EXISTS {TRACE_SUMMARY_VIEW} TO {TRACE_SUMMARY_TABLE} AS
SELECT
    project,
    trace_minute,
    trace_id,
    if(parent_span_id = '', name, '') AS name,
    name AS first_span_name,
    start_time_unix_nano,
    greatest(end_time_unix_nano, start_time_unix_nano) AS end_time_unix_nano,
    toUInt8(status = 'ERROR') AS has_error,
    toUInt64(1) AS span_count,
    input_tokens,
    output_tokens,
    total_tokens,
    cost_usd,
    session_id,
    user_id,
    tags
FROM {SPANS_TABLE}
"""

_TRACE_ROWS_TEMPLATE: Final = f"""
SELECT
    trace_id,
    if(max(name) != '', max(name), any(first_span_name)) AS name,
    if(max(has_error) = 1, 'ERROR', 'OK') AS status,
    min(start_time_unix_nano) AS start_time_unix_nano,
    max(end_time_unix_nano) AS end_time_unix_nano,
    (end_time_unix_nano - start_time_unix_nano) / 1e6 AS duration_ms,
    sum(span_count) AS span_count,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(total_tokens) AS total_tokens,
    sum(cost_usd) AS cost_usd,
    max(session_id) AS session_id,
    max(user_id) AS user_id,
    groupUniqArrayArray(tags) AS tags
FROM {TRACE_SUMMARY_TABLE}
WHERE project = {{{{project:String}}}}{{window}}
GROUP BY trace_id
"""

# The relation every trace filter is compiled against: one row per trace.
TRACE_ROWS_SQL: Final = _TRACE_ROWS_TEMPLATE.format(window="")

# The same relation restricted to recent traces by the summary's sort key, so it reads a
# primary-key range instead of every trace. Every trace that starts at or after
# {window_start_unix_nano:UInt64} is in it, with exact aggregates (all rows of a trace share
# its trace_minute); some that started earlier may be too, so callers filter on
# start_time_unix_nano again.
WINDOWED_TRACE_ROWS_SQL: Final = _TRACE_ROWS_TEMPLATE.format(
    window=f"""
    AND trace_minute >= intDiv({{window_start_unix_nano:UInt64}}, {NANOS_PER_MINUTE})"""
)

DDL_STATEMENTS: Final = (_span_table_ddl(), _TRACE_SUMMARY_DDL, _TRACE_SUMMARY_VIEW_DDL)
