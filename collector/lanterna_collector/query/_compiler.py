"""Compile a filter syntax tree to a parameterised ClickHouse boolean expression.

User values never enter the SQL text: each becomes a server-side parameter such as
``{f_0:String}``, which clickhouse-connect binds from ``CompiledFilter.parameters``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from lanterna_collector.query._ast import (
    ORDERING_OPERATORS,
    TEXT_OPERATORS,
    And,
    Comparison,
    Node,
    Not,
    Operator,
    Or,
    Scalar,
)
from lanterna_collector.query._errors import FilterError
from lanterna_collector.query._fields import ATTRIBUTES_COLUMN, FieldSpec, Kind, Level, field_spec
from lanterna_collector.storage.schema import SPANS_TABLE

PARAMETER_PREFIX: Final = "f_"
MATCH_ALL_SQL: Final = "1"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_UNIX_NANO: Final = 2**64 - 1
_TIME_EXAMPLE: Final = "'2026-01-01' or '2026-01-01T10:00:00Z'"
_SPAN_SUBQUERY: Final = (
    f"trace_id {{membership}} (SELECT trace_id FROM {SPANS_TABLE} "
    f"WHERE project = {{{{project:String}}}} AND {{predicate}})"
)
_EQUALITY_OPERATORS: Final = frozenset({Operator.EQ, Operator.IN})
_NUMBER_OPERATORS: Final = ORDERING_OPERATORS | _EQUALITY_OPERATORS
_TEXT_FIELD_OPERATORS: Final = TEXT_OPERATORS | _EQUALITY_OPERATORS


@dataclass(frozen=True)
class CompiledFilter:
    """A filter as a boolean SQL expression over the per-trace relation, with its parameters.

    ``sql`` is ``"1"`` for an empty filter. Every parameter name starts with ``f_``; the
    expression also refers to ``{project:String}``, which the caller binds.
    """

    sql: str
    parameters: dict[str, Any] = field(default_factory=dict)


class _Parameters:
    """Collects bound values and hands out their placeholders."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def bind(self, value: Any, clickhouse_type: str) -> str:
        name = f"{PARAMETER_PREFIX}{len(self.values)}"
        self.values[name] = value
        return f"{{{name}:{clickhouse_type}}}"


def compile_node(node: Node | None) -> CompiledFilter:
    """Compile a syntax tree (``None`` for an empty filter) to SQL and parameters.

    Raises:
        FilterError: when a value does not suit its field or operator.
    """
    if node is None:
        return CompiledFilter(MATCH_ALL_SQL, {})
    parameters = _Parameters()
    sql = _compile(node, parameters)
    return CompiledFilter(sql, parameters.values)


def _compile(node: Node, parameters: _Parameters) -> str:
    if isinstance(node, And):
        return "(" + " AND ".join(_compile(child, parameters) for child in node.operands) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(_compile(child, parameters) for child in node.operands) + ")"
    if isinstance(node, Not):
        return f"(NOT ({_compile(node.operand, parameters)}))"
    return _compile_comparison(node, parameters)


def _compile_comparison(node: Comparison, parameters: _Parameters) -> str:
    spec = field_spec(node.field)
    positive = node.op.positive
    if positive in (Operator.LIKE, Operator.ILIKE):
        _check_like_patterns(node)
    predicate = _PREDICATE_BUILDERS[spec.kind](node, spec, positive, parameters)

    if spec.level is Level.SPAN:
        # A negated operator on a span field means "no span of the trace matches".
        membership = "NOT IN" if node.op.is_negated else "IN"
        return _SPAN_SUBQUERY.format(membership=membership, predicate=predicate)
    return f"(NOT ({predicate}))" if node.op.is_negated else predicate


def _check_like_patterns(node: Comparison) -> None:
    """Refuse a pattern ending in a lone backslash, which escapes nothing."""
    for value in _values(node):
        if isinstance(value, str):
            trailing = len(value) - len(value.rstrip("\\"))
            if trailing % 2:
                raise FilterError(
                    f"The {node.op} pattern {value!r} at position {node.value_position} ends "
                    "with a lone backslash, which escapes nothing; double it to match a backslash.",
                    node.value_position,
                )


def _any_column(columns: tuple[str, ...], render: Callable[[str], str]) -> str:
    parts = [render(column) for column in columns]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _values(node: Comparison) -> tuple[Scalar, ...]:
    return node.value if isinstance(node.value, tuple) else (node.value,)


def _check_operator(
    node: Comparison, spec: FieldSpec, allowed: frozenset[Operator], holds: str
) -> None:
    if node.op.positive in allowed:
        return
    names = [str(op) for op in Operator if op.positive in allowed]
    raise FilterError(
        f"The operator {str(node.op)!r} at position {node.op_position} does not apply to "
        f"{_field_label(node)}, which holds {holds}; use {', '.join(names)}.",
        node.op_position,
    )


def _field_label(node: Comparison) -> str:
    return f"attributes.{node.key}" if node.key is not None else node.field


def _describe(value: Scalar) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"the number {value}"


def _type_error(node: Comparison, wanted: str, value: Scalar) -> FilterError:
    return FilterError(
        f"{_field_label(node)} compares with {wanted}, got {_describe(value)} "
        f"at position {node.value_position}.",
        node.value_position,
    )


def _strings(node: Comparison, wanted: str = "a quoted string") -> tuple[str, ...]:
    values = _values(node)
    for value in values:
        if not isinstance(value, str):
            raise _type_error(node, wanted, value)
    return values  # type: ignore[return-value]


def _numbers(node: Comparison) -> tuple[int | float, ...]:
    values = _values(node)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(node, "a number", value)
        if isinstance(value, float) and not math.isfinite(value):
            raise FilterError(
                f"{_field_label(node)} compares with a finite number, got {value} "
                f"at position {node.value_position}.",
                node.value_position,
            )
    return values  # type: ignore[return-value]


def _bind_number(value: int | float, parameters: _Parameters) -> str:
    return parameters.bind(value, "Int64" if isinstance(value, int) else "Float64")


def _scalar_predicate(column: str, op: Operator, placeholders: list[str]) -> str:
    if op is Operator.IN:
        return f"{column} IN ({', '.join(placeholders)})"
    placeholder = placeholders[0]
    if op is Operator.CONTAINS:
        return f"positionCaseInsensitiveUTF8({column}, {placeholder}) > 0"
    return f"{column} {op} {placeholder}"


def _text_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    _check_operator(node, spec, _TEXT_FIELD_OPERATORS, "text")
    values = _strings(node)
    if spec.kind is Kind.SPAN_TYPE:
        values = tuple(value.upper() for value in values)
    placeholders = [parameters.bind(value, "String") for value in values]
    return _any_column(spec.columns, lambda column: _scalar_predicate(column, op, placeholders))


def _number_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    _check_operator(node, spec, _NUMBER_OPERATORS, "a number")
    placeholders = [_bind_number(value, parameters) for value in _numbers(node)]
    return _any_column(spec.columns, lambda column: _scalar_predicate(column, op, placeholders))


def _status_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    _check_operator(node, spec, _EQUALITY_OPERATORS, "a status")
    allowed = ", ".join(repr(status) for status in spec.statuses)
    normalised = []
    for value in _strings(node, f"one of {allowed}"):
        status = value.strip().upper()
        if status not in spec.statuses:
            raise FilterError(
                f"Unknown status {value!r} at position {node.value_position}; "
                f"{node.field} is one of {allowed}.",
                node.value_position,
            )
        normalised.append(parameters.bind(status, "String"))
    return _scalar_predicate(spec.columns[0], op, normalised)


def _time_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    _check_operator(node, spec, _NUMBER_OPERATORS, "a point in time")
    wanted = f"an ISO 8601 date such as {_TIME_EXAMPLE}"
    placeholders = [
        parameters.bind(_unix_nano(node, value), "UInt64") for value in _strings(node, wanted)
    ]
    return _scalar_predicate(spec.columns[0], op, placeholders)


def _unix_nano(node: Comparison, value: str) -> int:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise FilterError(
            f"{node.field} needs an ISO 8601 date such as {_TIME_EXAMPLE}, got {value!r} "
            f"at position {node.value_position}.",
            node.value_position,
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    unix_nano = (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000
    # Stored times are unsigned 64-bit nanoseconds: a moment outside them compares as the edge.
    return min(max(unix_nano, 0), _MAX_UNIX_NANO)


def _tags_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    _check_operator(node, spec, _TEXT_FIELD_OPERATORS, "a list of tags")
    placeholders = [parameters.bind(value, "String") for value in _strings(node)]
    column = spec.columns[0]
    if op is Operator.EQ:
        return f"has({column}, {placeholders[0]})"
    if op is Operator.IN:
        return f"hasAny({column}, [{', '.join(placeholders)}])"
    element = _scalar_predicate("tag", op, placeholders)
    return f"arrayExists(tag -> {element}, {column})"


def _attribute_predicate(
    node: Comparison, spec: FieldSpec, op: Operator, parameters: _Parameters
) -> str:
    assert node.key is not None
    values = _values(node)
    column = f"{ATTRIBUTES_COLUMN}[{parameters.bind(node.key, 'String')}]"

    if all(isinstance(value, bool) for value in values):
        _check_operator(node, spec, _EQUALITY_OPERATORS, "a boolean here")
        placeholders = [parameters.bind(str(value).lower(), "String") for value in values]
        return _scalar_predicate(column, op, placeholders)
    if any(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        _check_operator(node, spec, _NUMBER_OPERATORS, "a number here")
        placeholders = [_bind_number(value, parameters) for value in _numbers(node)]
        return _scalar_predicate(f"toFloat64OrNull({column})", op, placeholders)
    _check_operator(node, spec, _TEXT_FIELD_OPERATORS, "text here")
    placeholders = [parameters.bind(value, "String") for value in _strings(node)]
    return _scalar_predicate(column, op, placeholders)


_PredicateBuilder = Callable[[Comparison, FieldSpec, Operator, _Parameters], str]

_PREDICATE_BUILDERS: Final[dict[Kind, _PredicateBuilder]] = {
    Kind.TEXT: _text_predicate,
    Kind.SPAN_TYPE: _text_predicate,
    Kind.NUMBER: _number_predicate,
    Kind.STATUS: _status_predicate,
    Kind.TIME: _time_predicate,
    Kind.TAGS: _tags_predicate,
    Kind.ATTRIBUTE: _attribute_predicate,
}
