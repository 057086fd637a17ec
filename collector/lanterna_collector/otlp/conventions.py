"""The one mapping from foreign GenAI attribute keys to Lanterna's typed span columns.

Lanterna's own keys win, then the OpenTelemetry GenAI conventions (current names before
previous ones), then OpenInference. Each column lists its sources in that order; the first
key present on a span decides.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final, NamedTuple

import orjson
from lanterna import semconv
from lanterna.semconv import SpanType

_MAX_COUNT: Final = 2**63 - 1

# gen_ai.operation.name values and the span type each one means.
_GEN_AI_OPERATION_TYPES: Final[dict[str, str]] = {
    "chat": SpanType.CHAT_MODEL,
    "generate_content": SpanType.CHAT_MODEL,
    "text_completion": SpanType.LLM,
    "embeddings": SpanType.EMBEDDING,
    "execute_tool": SpanType.TOOL,
    "invoke_agent": SpanType.AGENT,
    "create_agent": SpanType.AGENT,
}


def _upper(value: Any) -> str | None:
    return str(value).upper() or None


def _as_is(value: Any) -> str | None:
    return str(value) or None


def _gen_ai_operation(value: Any) -> str | None:
    return _GEN_AI_OPERATION_TYPES.get(str(value).lower())


SPAN_TYPE_SOURCES: Final[tuple[tuple[str, Callable[[Any], str | None]], ...]] = (
    (semconv.SPAN_TYPE, _as_is),
    (semconv.OI_SPAN_KIND, _upper),
    (semconv.GEN_AI_OPERATION_NAME, _gen_ai_operation),
)
MODEL_KEYS: Final = (
    semconv.MODEL,
    semconv.GEN_AI_RESPONSE_MODEL,
    semconv.GEN_AI_REQUEST_MODEL,
    semconv.OI_LLM_MODEL_NAME,
    semconv.OI_EMBEDDING_MODEL_NAME,
)
INPUT_TOKEN_KEYS: Final = (
    semconv.INPUT_TOKENS,
    semconv.GEN_AI_USAGE_INPUT_TOKENS,
    semconv.GEN_AI_USAGE_PROMPT_TOKENS,
    semconv.OI_LLM_TOKEN_COUNT_PROMPT,
)
OUTPUT_TOKEN_KEYS: Final = (
    semconv.OUTPUT_TOKENS,
    semconv.GEN_AI_USAGE_OUTPUT_TOKENS,
    semconv.GEN_AI_USAGE_COMPLETION_TOKENS,
    semconv.OI_LLM_TOKEN_COUNT_COMPLETION,
)
TOTAL_TOKEN_KEYS: Final = (semconv.OI_LLM_TOKEN_COUNT_TOTAL,)
COST_KEYS: Final = (semconv.COST_USD,)
INPUTS_KEYS: Final = (
    semconv.INPUTS,
    semconv.OI_INPUT_VALUE,
    semconv.GEN_AI_INPUT_MESSAGES,
    semconv.GEN_AI_PROMPT,
)
OUTPUTS_KEYS: Final = (
    semconv.OUTPUTS,
    semconv.OI_OUTPUT_VALUE,
    semconv.GEN_AI_OUTPUT_MESSAGES,
    semconv.GEN_AI_COMPLETION,
)
# Flattened message lists (``<prefix>.<index>.<field>``), gathered when no key above is set.
# The second item is a segment that some conventions put between index and field.
INPUTS_FLAT_PREFIXES: Final = (
    (semconv.GEN_AI_PROMPT + ".", ""),
    (semconv.OI_LLM_INPUT_MESSAGES + ".", "message."),
)
OUTPUTS_FLAT_PREFIXES: Final = (
    (semconv.GEN_AI_COMPLETION + ".", ""),
    (semconv.OI_LLM_OUTPUT_MESSAGES + ".", "message."),
)
SESSION_KEYS: Final = (
    semconv.SESSION_ID,
    semconv.OI_SESSION_ID,
    semconv.GEN_AI_CONVERSATION_ID,
)
USER_KEYS: Final = (semconv.USER_ID, semconv.OI_USER_ID)
TAGS_KEYS: Final = (semconv.TAGS, semconv.OI_TAG_TAGS)


class SpanFields(NamedTuple):
    """The typed columns read out of one span's attributes."""

    span_type: str
    model: str
    input_tokens: int
    output_tokens: int
    total_tokens: int
    cost_usd: float
    inputs: str
    outputs: str
    session_id: str
    user_id: str
    tags: list[str]


def _first(attributes: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = attributes.get(key)
        if value is not None and value != "":
            return value
    return None


def _count(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 0
    try:
        number = int(float(value)) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    # A count that a UInt64 column cannot hold is nonsense; the attribute keeps the value.
    return number if 0 <= number <= _MAX_COUNT else 0


def _cost(value: Any) -> float:
    if value is None or isinstance(value, bool):
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number >= 0.0 else 0.0


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [item if isinstance(item, str) else to_text(item) for item in value]
    if isinstance(value, str) and value.startswith("["):
        try:
            decoded = orjson.loads(value)
        except orjson.JSONDecodeError:
            return [value]
        if isinstance(decoded, list):
            return [item if isinstance(item, str) else to_text(item) for item in decoded]
    return [str(value)]


def to_text(value: Any) -> str:
    """Render an attribute value as stored text: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return orjson.dumps(value).decode()


def _span_type(attributes: dict[str, Any]) -> str:
    for key, convert in SPAN_TYPE_SOURCES:
        value = attributes.get(key)
        if value is not None:
            span_type = convert(value)
            if span_type:
                return span_type
    return SpanType.UNKNOWN


def _gather_flat(attributes: dict[str, Any], prefixes: tuple[tuple[str, str], ...]) -> str:
    """Collect ``<prefix>.<n>.<field>`` attributes into a JSON list, removing them."""
    for prefix, infix in prefixes:
        messages: dict[int, dict[str, Any]] = {}
        for key in [key for key in attributes if key.startswith(prefix)]:
            index_text, _, field = key[len(prefix) :].partition(".")
            if not index_text.isdigit() or not field:
                continue
            field = field.removeprefix(infix)
            messages.setdefault(int(index_text), {})[field] = attributes.pop(key)
        if messages:
            return to_text([messages[index] for index in sorted(messages)])
    return ""


def _take_text(
    attributes: dict[str, Any], keys: tuple[str, ...], flat: tuple[tuple[str, str], ...]
) -> str:
    for key in keys:
        value = attributes.get(key)
        if value is not None:
            del attributes[key]
            return to_text(value)
    return _gather_flat(attributes, flat) if attributes else ""


def extract_fields(attributes: dict[str, Any]) -> SpanFields:
    """Read the typed columns out of a span's attributes.

    Inputs and outputs are removed from ``attributes`` once moved to their columns; every
    other key stays.
    """
    if not attributes:
        return _EMPTY_FIELDS
    input_tokens = _count(_first(attributes, INPUT_TOKEN_KEYS))
    output_tokens = _count(_first(attributes, OUTPUT_TOKEN_KEYS))
    total_value = _first(attributes, TOTAL_TOKEN_KEYS)
    total_tokens = _count(total_value) if total_value is not None else input_tokens + output_tokens
    model = _first(attributes, MODEL_KEYS)
    session_id = _first(attributes, SESSION_KEYS)
    user_id = _first(attributes, USER_KEYS)
    return SpanFields(
        span_type=_span_type(attributes),
        model=to_text(model) if model is not None else "",
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        total_tokens=total_tokens,
        cost_usd=_cost(_first(attributes, COST_KEYS)),
        inputs=_take_text(attributes, INPUTS_KEYS, INPUTS_FLAT_PREFIXES),
        outputs=_take_text(attributes, OUTPUTS_KEYS, OUTPUTS_FLAT_PREFIXES),
        session_id=to_text(session_id) if session_id is not None else "",
        user_id=to_text(user_id) if user_id is not None else "",
        tags=_tags(_first(attributes, TAGS_KEYS)),
    )


_EMPTY_FIELDS: Final = SpanFields(SpanType.UNKNOWN, "", 0, 0, 0, 0.0, "", "", "", "", [])
