"""One colour per span type, shared by the span table's badges and the timeline's bars."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# Light enough for dark text on a table badge, strong enough to tell bars apart.
SPAN_TYPE_COLOURS: Final = {
    "AGENT": "#c4b5fd",
    "CHAIN": "#7dd3fc",
    "LLM": "#93c5fd",
    "CHAT_MODEL": "#93c5fd",
    "TOOL": "#fcd34d",
    "RETRIEVER": "#86efac",
    "EMBEDDING": "#f9a8d4",
    "RERANKER": "#5eead4",
    "GUARDRAIL": "#fdba74",
    "EVALUATOR": "#d8b4fe",
}
OTHER_TYPE_COLOUR: Final = "#cbd5e1"


def span_type_colour(span_type: str) -> str:
    """The colour of ``span_type``; types without their own colour share a grey."""
    return SPAN_TYPE_COLOURS.get(span_type, OTHER_TYPE_COLOUR)


def colour_scale(span_types: Iterable[str]) -> tuple[list[str], list[str]]:
    """The domain and range of a chart colour scale for the span types shown."""
    domain = sorted(set(span_types))
    return domain, [span_type_colour(span_type) for span_type in domain]
