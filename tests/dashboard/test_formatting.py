"""Display decisions and text helpers of the dashboard."""

from __future__ import annotations

import pytest
from lanterna_dashboard.formatting import (
    ValueKind,
    display_value,
    escape_markdown,
    format_duration,
    format_time,
    mark_position,
    quote_filter_string,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, ValueKind.EMPTY),
        ("", ValueKind.EMPTY),
        ({"a": 1}, ValueKind.JSON),
        ([1, 2], ValueKind.JSON),
        ('{"a": 1}', ValueKind.JSON),
        ("{not json", ValueKind.TEXT),
        ("<script>alert(1)</script>", ValueKind.TEXT),
        (42, ValueKind.TEXT),
    ],
)
def test_values_are_shown_as_json_documents_or_as_text(value: object, kind: ValueKind) -> None:
    assert display_value(value).kind is kind


def test_json_text_is_decoded_for_display() -> None:
    assert display_value('[{"role": "user"}]').value == [{"role": "user"}]


def test_caret_marks_the_position_under_the_filter() -> None:
    assert mark_position("name = 'x", 7) == "name = 'x\n       ^"
    assert mark_position("a", None) == "a"
    assert mark_position("ab", 99) == "ab\n  ^"


def test_markdown_and_html_characters_are_escaped() -> None:
    assert escape_markdown("**b** <i>") == r"\*\*b\*\* \<i\>"


def test_filter_strings_escape_quotes_and_backslashes() -> None:
    assert quote_filter_string("it's a \\ path") == "'it\\'s a \\\\ path'"


def test_durations_and_times_read_naturally() -> None:
    assert format_duration(1250) == "1.25 s"
    assert format_duration(85) == "85 ms"
    assert format_duration(0.5) == "0.50 ms"
    assert format_time("2026-01-31T12:00:05Z") == "2026-01-31 12:00:05 UTC"
    assert format_time("", 1_000_000_000) == "1970-01-01 00:00:01 UTC"
    assert format_time("garbage") == ""
