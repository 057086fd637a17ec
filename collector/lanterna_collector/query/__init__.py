"""The search filter: text such as ``status = 'ERROR' AND duration_ms > 500`` to safe SQL.

``parse_filter`` reads the text into a small syntax tree (``Comparison``, ``And``, ``Or``,
``Not``); ``compile_trace_filter`` turns it into a boolean ClickHouse expression over the
per-trace relation (``storage.schema.TRACE_ROWS_SQL``) whose user values are all bound
parameters. Every bad filter raises ``FilterError`` with a message and a 0-based position.
"""

from __future__ import annotations

from lanterna_collector.query._ast import And, Comparison, Node, Not, Operator, Or, Scalar
from lanterna_collector.query._compiler import CompiledFilter, compile_node
from lanterna_collector.query._errors import FilterError
from lanterna_collector.query._parser import MAX_FILTER_CHARS, MAX_NESTING, parse_filter

__all__ = [
    "MAX_FILTER_CHARS",
    "MAX_NESTING",
    "And",
    "Comparison",
    "CompiledFilter",
    "FilterError",
    "Node",
    "Not",
    "Operator",
    "Or",
    "Scalar",
    "compile_trace_filter",
    "parse_filter",
]


def compile_trace_filter(text: str) -> CompiledFilter:
    """Compile filter text to a boolean SQL expression over the per-trace relation.

    Blank text compiles to ``"1"`` (every trace). The expression refers to
    ``{project:String}`` for span-level conditions; the caller binds it.

    Raises:
        FilterError: for any text that is not a valid filter, with the 0-based position.
    """
    return compile_node(parse_filter(text))
