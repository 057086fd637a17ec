"""Turning API values into text for display, without any Streamlit."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Final

_MS_PER_S: Final = 1000.0
_NANOS_PER_S: Final = 1_000_000_000
_CARET: Final = "^"
# CommonMark lets a backslash escape any ASCII punctuation character.
_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=])")


class ValueKind(Enum):
    """How a span's input or output is best shown."""

    EMPTY = "empty"
    JSON = "json"
    TEXT = "text"


@dataclass(frozen=True)
class DisplayValue:
    """A value ready to show: a JSON document (dict or list) or a piece of text."""

    kind: ValueKind
    value: Any


def format_duration(duration_ms: float) -> str:
    """Return a duration as ``"850 ms"``, ``"1.25 s"`` or ``"0.42 ms"``."""
    if duration_ms >= _MS_PER_S:
        return f"{duration_ms / _MS_PER_S:,.2f} s"
    if duration_ms >= 10:
        return f"{duration_ms:,.0f} ms"
    return f"{duration_ms:.2f} ms"


def parse_time(iso_text: str, unix_nano: int = 0) -> datetime | None:
    """Return a UTC datetime from ISO 8601 text, else from nanoseconds, else ``None``."""
    if iso_text:
        try:
            parsed = datetime.fromisoformat(iso_text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if unix_nano > 0:
        return datetime.fromtimestamp(unix_nano / _NANOS_PER_S, tz=UTC)
    return None


def format_time(iso_text: str, unix_nano: int = 0) -> str:
    """Return ``"2026-01-31 12:00:05 UTC"``, or ``""`` when the time is unknown."""
    moment = parse_time(iso_text, unix_nano)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def display_value(value: Any) -> DisplayValue:
    """Decide how to show an input or output: JSON documents as JSON, all else as text.

    Text that holds a JSON object or array (as OpenInference records it) is
    shown as that document.
    """
    if value is None or value == "":
        return DisplayValue(ValueKind.EMPTY, None)
    if isinstance(value, dict | list):
        return DisplayValue(ValueKind.JSON, value)
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("{", "["):
            try:
                return DisplayValue(ValueKind.JSON, json.loads(stripped))
            except ValueError:
                pass
        return DisplayValue(ValueKind.TEXT, value)
    return DisplayValue(ValueKind.TEXT, json.dumps(value))


def mark_position(text: str, position: int | None) -> str:
    """Return ``text`` with a caret line under ``position`` (0-based), for st.code."""
    if position is None:
        return text
    position = max(0, min(position, len(text)))
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    if line_end == -1:
        line_end = len(text)
    caret_line = " " * (position - line_start) + _CARET
    return f"{text[:line_end]}\n{caret_line}{text[line_end:]}"


def escape_markdown(text: str) -> str:
    """Backslash-escape every character that markdown would treat as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def quote_filter_string(value: str) -> str:
    """Return ``value`` as a single-quoted string literal of the search filter grammar."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
