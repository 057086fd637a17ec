"""The fields a search filter can name: one table from field to level, SQL and value kind."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final


class Level(Enum):
    """Where a field lives: on the per-trace row or on the spans of the trace."""

    TRACE = "trace"
    SPAN = "span"


class Kind(Enum):
    """What a field holds, which decides the values and operators it accepts."""

    TEXT = "text"
    NUMBER = "number"
    TIME = "time"
    STATUS = "status"
    SPAN_TYPE = "span type"
    TAGS = "tags"
    ATTRIBUTE = "attribute"


@dataclass(frozen=True)
class FieldSpec:
    """One searchable field.

    ``columns`` are SQL expressions over the per-trace relation (trace level) or the span
    table (span level); a condition on several columns holds when it holds for any of them.
    """

    name: str
    level: Level
    kind: Kind
    columns: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


ATTRIBUTES_FIELD: Final = "attributes"
ATTRIBUTES_COLUMN: Final = "attributes"
ATTRIBUTE_PREFIXES: Final = frozenset({"attributes", "attribute", "attr"})

TRACE_STATUSES: Final = ("OK", "ERROR")
SPAN_STATUSES: Final = ("OK", "ERROR")

FIELDS: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("name", Level.TRACE, Kind.TEXT, ("name",), ("trace.name",)),
    FieldSpec("status", Level.TRACE, Kind.STATUS, ("status",), ("trace.status",), TRACE_STATUSES),
    FieldSpec("trace_id", Level.TRACE, Kind.TEXT, ("trace_id",), ("trace.id",)),
    FieldSpec("duration_ms", Level.TRACE, Kind.NUMBER, ("duration_ms",), ("latency_ms", "latency")),
    FieldSpec("span_count", Level.TRACE, Kind.NUMBER, ("span_count",)),
    FieldSpec("input_tokens", Level.TRACE, Kind.NUMBER, ("input_tokens",)),
    FieldSpec("output_tokens", Level.TRACE, Kind.NUMBER, ("output_tokens",)),
    FieldSpec("total_tokens", Level.TRACE, Kind.NUMBER, ("total_tokens",), ("tokens",)),
    FieldSpec("cost_usd", Level.TRACE, Kind.NUMBER, ("cost_usd",), ("cost",)),
    FieldSpec("session_id", Level.TRACE, Kind.TEXT, ("session_id",), ("session",)),
    FieldSpec("user_id", Level.TRACE, Kind.TEXT, ("user_id",), ("user",)),
    FieldSpec("tags", Level.TRACE, Kind.TAGS, ("tags",), ("tag",)),
    FieldSpec("start_time", Level.TRACE, Kind.TIME, ("start_time_unix_nano",), ("timestamp",)),
    FieldSpec("end_time", Level.TRACE, Kind.TIME, ("end_time_unix_nano",)),
    FieldSpec("span.type", Level.SPAN, Kind.SPAN_TYPE, ("span_type",), ("span_type",)),
    FieldSpec("span.name", Level.SPAN, Kind.TEXT, ("name",), ("span_name",)),
    FieldSpec("span.status", Level.SPAN, Kind.STATUS, ("status",), ("span_status",), SPAN_STATUSES),
    FieldSpec(
        "span.duration_ms",
        Level.SPAN,
        Kind.NUMBER,
        ("duration_ns / 1e6",),
        ("span.latency_ms", "span_duration_ms"),
    ),
    FieldSpec("model", Level.SPAN, Kind.TEXT, ("model",), ("span.model",)),
    FieldSpec("inputs", Level.SPAN, Kind.TEXT, ("inputs",), ("input",)),
    FieldSpec("outputs", Level.SPAN, Kind.TEXT, ("outputs",), ("output",)),
    FieldSpec("text", Level.SPAN, Kind.TEXT, ("inputs", "outputs")),
    FieldSpec(ATTRIBUTES_FIELD, Level.SPAN, Kind.ATTRIBUTE, (ATTRIBUTES_COLUMN,)),
)

FIELDS_BY_NAME: Final[dict[str, FieldSpec]] = {
    alias: spec for spec in FIELDS for alias in (spec.name, *spec.aliases)
}

# Canonical names are listed in errors; every alias is a candidate for "did you mean".
KNOWN_FIELD_NAMES: Final = tuple(spec.name for spec in FIELDS if spec.name != ATTRIBUTES_FIELD)
ALL_FIELD_NAMES: Final = tuple(sorted(name for name in FIELDS_BY_NAME if name != ATTRIBUTES_FIELD))


def field_spec(name: str) -> FieldSpec:
    """Return the spec of a canonical field name or alias (already lower-case)."""
    return FIELDS_BY_NAME[name]
