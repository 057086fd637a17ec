"""Compiled filters, run on embedded chDB, select exactly the right traces."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Final

import pytest
from clickhouse_connect.driver.client import Client
from lanterna_collector.query import compile_trace_filter
from lanterna_collector.storage import schema

_MS: Final = 1_000_000
_PROJECT: Final = f"filter-{uuid.uuid4().hex[:8]}"
_OTHER_PROJECT: Final = f"{_PROJECT}-other"
TRACE_A: Final = "a" * 32
TRACE_B: Final = "b" * 32
TRACE_C: Final = "c" * 32
TRACE_D: Final = "d" * 32
ALL: Final = {TRACE_A, TRACE_B, TRACE_C}


def _ns(iso: str) -> int:
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp()) * 1_000_000_000


def _span(
    trace_id: str, span_id: str, start: int, duration_ms: int, **fields: Any
) -> dict[str, Any]:
    """A span row with empty defaults for every column not given."""
    defaults: dict[str, Any] = {
        "project": _PROJECT,
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": "",
        "name": "",
        "span_type": "UNKNOWN",
        "span_kind": "INTERNAL",
        "status": "OK",
        "status_message": "",
        "start_time_unix_nano": start,
        "end_time_unix_nano": start + duration_ms * _MS,
        "duration_ns": duration_ms * _MS,
        "service_name": "svc",
        "scope_name": "tests",
        "session_id": "",
        "user_id": "",
        "tags": [],
        "model": "",
        "input_tokens": 0,
        "output_tokens": 0,
        "total_tokens": 0,
        "cost_usd": 0.0,
        "inputs": "",
        "outputs": "",
        "attributes": {},
        "resource_attributes": {},
        "events": "[]",
        "links": "[]",
    }
    return {**defaults, **fields}


def _spans() -> list[dict[str, Any]]:
    start_a = _ns("2026-01-01T10:00:00")
    start_b = _ns("2026-02-01T00:00:00")
    start_c = _ns("2025-12-31T23:00:00")
    trace_a = {"session_id": "s1", "user_id": "alice", "tags": ["prod", "vip"]}
    trace_b = {"session_id": "s2", "user_id": "bob", "tags": ["dev"]}
    trace_c = {"session_id": "s3", "user_id": "alice", "tags": []}
    return [
        _span(TRACE_A, "a1", start_a, 100, name="chat", span_type="CHAIN", **trace_a),
        _span(
            TRACE_A,
            "a2",
            start_a + 10 * _MS,
            80,
            parent_span_id="a1",
            name="openai.chat",
            span_type="LLM",
            model="gpt-4o",
            input_tokens=10,
            output_tokens=20,
            total_tokens=30,
            cost_usd=0.01,
            inputs='{"q": "What is the Weather?"}',
            outputs='"sunny"',
            attributes={"http.status_code": "200", "my key.with dots": "yes", "flag": "true"},
            **trace_a,
        ),
        _span(
            TRACE_B,
            "b1",
            start_b,
            2000,
            name="search",
            span_type="AGENT",
            status="ERROR",
            **trace_b,
        ),
        _span(
            TRACE_B,
            "b2",
            start_b + 5 * _MS,
            1500,
            parent_span_id="b1",
            name="lookup",
            span_type="TOOL",
            status="ERROR",
            inputs="find O'Brien at 100% confidence",
            attributes={"http.status_code": "500"},
            **trace_b,
        ),
        _span(TRACE_C, "c1", start_c, 50, name="chat", span_type="CHAIN", **trace_c),
        _span(
            TRACE_C,
            "c2",
            start_c + _MS,
            40,
            parent_span_id="c1",
            name="openai.chat",
            span_type="LLM",
            model="gpt-4o-mini",
            input_tokens=900,
            output_tokens=100,
            total_tokens=1000,
            cost_usd=0.5,
            inputs="spent 1000 tokens",
            outputs="ok",
            attributes={"http.status_code": "abc"},
            **trace_c,
        ),
        _span(
            TRACE_D,
            "d1",
            start_a,
            10,
            project=_OTHER_PROJECT,
            name="chat",
            span_type="LLM",
            model="gpt-4o",
            tags=["vip"],
            user_id="alice",
        ),
    ]


@pytest.fixture(scope="module")
def store(chdb_client: Client) -> Client:
    """The shared chDB client, with this module's traces inserted under projects of its own."""
    rows = _spans()
    columns = [[row[name] for row in rows] for name in schema.SPAN_COLUMN_NAMES]
    chdb_client.insert(
        schema.SPANS_TABLE,
        columns,
        column_names=list(schema.SPAN_COLUMN_NAMES),
        column_oriented=True,
    )
    return chdb_client


def _matching(client: Client, text: str, project: str = _PROJECT) -> set[str]:
    compiled = compile_trace_filter(text)
    sql = f"SELECT trace_id FROM ({schema.TRACE_ROWS_SQL}) WHERE {compiled.sql}"
    result = client.query(sql, parameters={**compiled.parameters, "project": project})
    return {row[0] for row in result.result_rows}


_CASES: Final = [
    ("", ALL),
    ("status = 'error'", {TRACE_B}),
    ("status != 'ERROR'", {TRACE_A, TRACE_C}),
    ("status IN ('ok')", {TRACE_A, TRACE_C}),
    ("duration_ms > 500", {TRACE_B}),
    ("duration_ms >= 100 AND duration_ms < 1000", {TRACE_A}),
    ("latency_ms <= 50.0", {TRACE_C}),
    ("span_count = 2", ALL),
    ("total_tokens > 100", {TRACE_C}),
    ("total_tokens > -1", ALL),
    ("input_tokens IN (10, 900)", {TRACE_A, TRACE_C}),
    ("cost_usd >= 0.01", {TRACE_A, TRACE_C}),
    ("cost_usd < 0.01", {TRACE_B}),
    ("name = 'chat'", {TRACE_A, TRACE_C}),
    ("trace.name contains 'EAR'", {TRACE_B}),
    ("name like 's%'", {TRACE_B}),
    ("name ilike 'S%'", {TRACE_B}),
    ("name not like 's%'", {TRACE_A, TRACE_C}),
    ("name in ('search', 'nothing')", {TRACE_B}),
    ("name not in ('search')", {TRACE_A, TRACE_C}),
    (f"trace_id = '{TRACE_A}'", {TRACE_A}),
    ("user = 'alice' AND session_id = 's1'", {TRACE_A}),
    ("session != 's2'", {TRACE_A, TRACE_C}),
    ("tag = 'vip'", {TRACE_A}),
    ("tags in ('dev', 'vip')", {TRACE_A, TRACE_B}),
    ("tag != 'prod'", {TRACE_B, TRACE_C}),
    ("tags contains 'PRO'", {TRACE_A}),
    ("tags like 'd%'", {TRACE_B}),
    ("start_time >= '2026-01-01'", {TRACE_A, TRACE_B}),
    ("start_time >= '9999-12-31'", set()),
    ("start_time >= '1600-01-01'", ALL),
    ("start_time < '1600-01-01'", set()),
    ("end_time > '2262-04-12'", set()),
    (r"name like 'c\\\\%'", set()),
    ("timestamp < '2026-01-01T10:00:00Z'", {TRACE_C}),
    ("start_time > '2026-01-31T12:00:00+01:00'", {TRACE_B}),
    ("end_time <= '2026-01-01T10:00:00.1'", {TRACE_A, TRACE_C}),
    ("span.type = 'llm'", {TRACE_A, TRACE_C}),
    ("span_type = 'TOOL'", {TRACE_B}),
    ("span.type in ('tool', 'agent')", {TRACE_B}),
    ("span.name = 'lookup'", {TRACE_B}),
    ("span.status = 'error'", {TRACE_B}),
    ("span.duration_ms > 1000", {TRACE_B}),
    ("model = 'gpt-4o'", {TRACE_A}),
    ("model != 'gpt-4o'", {TRACE_B, TRACE_C}),
    ("model contains 'MINI'", {TRACE_C}),
    ("model like 'gpt-4o%'", {TRACE_A, TRACE_C}),
    ("attributes.http.status_code = '500'", {TRACE_B}),
    ("attributes.http.status_code >= 200", {TRACE_A, TRACE_B}),
    ("attributes.http.status_code < 300", {TRACE_A}),
    ("attributes.http.status_code in (200, 500)", {TRACE_A, TRACE_B}),
    ("attributes.`my key.with dots` = 'yes'", {TRACE_A}),
    ("attributes.flag = true", {TRACE_A}),
    ("attributes.missing = 'x'", set()),
    ("inputs contains 'weather'", {TRACE_A}),
    ("output contains 'SUNNY'", {TRACE_A}),
    ("text contains 'sunny'", {TRACE_A}),
    ("text not contains 'sunny'", {TRACE_B, TRACE_C}),
    (r"inputs contains 'O\'Brien'", {TRACE_B}),
    ('inputs contains "O\'Brien"', {TRACE_B}),
    (r"inputs like '%100\%%'", {TRACE_B}),
    ("inputs like '%100%'", {TRACE_B, TRACE_C}),
    ("name = 'search' OR name = 'chat' AND user = 'bob'", {TRACE_B}),
    ("(name = 'search' OR name = 'chat') AND user = 'alice'", {TRACE_A, TRACE_C}),
    ("NOT status = 'ERROR' AND NOT tag = 'vip'", {TRACE_C}),
    ("NOT (model = 'gpt-4o' OR span.type = 'tool')", {TRACE_C}),
    ("span.type = 'llm' AND attributes.http.status_code = 'abc'", {TRACE_C}),
]


@pytest.mark.parametrize(("text", "expected"), _CASES, ids=[case[0] or "blank" for case in _CASES])
def test_filter_selects_exactly_the_expected_traces(
    store: Client, text: str, expected: set[str]
) -> None:
    assert _matching(store, text) == expected


def test_span_conditions_only_see_spans_of_the_queried_project(store: Client) -> None:
    assert _matching(store, "model = 'gpt-4o'", project=_OTHER_PROJECT) == {TRACE_D}
    assert _matching(store, "", project=_OTHER_PROJECT) == {TRACE_D}
    assert TRACE_D not in _matching(store, "model = 'gpt-4o' OR user = 'alice'")


_INJECTIONS: Final = [
    r"name = 'x\' OR 1=1 --'",
    "name = '; DROP TABLE spans; --'",
    'name = "\') OR 1=1 --"',
    r"user = 'x\' OR \'1\'=\'1'",
    "attributes.`'; DROP TABLE spans; --` = 'x'",
    'text contains "\'); DROP TABLE spans; --"',
    r"tags in ('x\' OR 1=1', '}{project:String}')",
    "model = '{project:String}'",
]


@pytest.mark.parametrize("text", _INJECTIONS)
def test_sql_injection_text_matches_nothing_and_leaves_the_table_intact(
    store: Client, text: str
) -> None:
    before = store.command(f"SELECT count() FROM {schema.SPANS_TABLE}")

    assert _matching(store, text) == set()
    assert store.command(f"SELECT count() FROM {schema.SPANS_TABLE}") == before
    assert _matching(store, "") == ALL
