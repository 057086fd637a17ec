"""Arranging spans into a tree and a waterfall, including broken parent links."""

from __future__ import annotations

from lanterna_dashboard.models import Span
from lanterna_dashboard.span_tree import build_tree, waterfall_rows

_MS = 1_000_000


def _span(span_id: str, parent: str = "", start_ms: int = 0, end_ms: int = 10) -> Span:
    return Span(
        span_id=span_id,
        parent_span_id=parent,
        name=f"name-{span_id}",
        start_time_unix_nano=1_000 * _MS + start_ms * _MS,
        end_time_unix_nano=1_000 * _MS + end_ms * _MS,
        duration_ms=end_ms - start_ms,
    )


def test_children_follow_their_parent_in_start_order_with_depth() -> None:
    spans = [_span("c2", "root", 5), _span("root"), _span("g", "c1", 2), _span("c1", "root", 1)]

    nodes = build_tree(spans)

    assert [(n.span.span_id, n.depth) for n in nodes] == [
        ("root", 0),
        ("c1", 1),
        ("g", 2),
        ("c2", 1),
    ]
    assert [n.order for n in nodes] == [0, 1, 2, 3]
    assert nodes[2].label == "    └─ name-g"


def test_span_with_missing_parent_is_shown_as_a_root() -> None:
    nodes = build_tree([_span("root"), _span("orphan", "not-received", 3)])

    assert [(n.span.span_id, n.depth) for n in nodes] == [("root", 0), ("orphan", 0)]


def test_parent_cycle_shows_every_span_once() -> None:
    nodes = build_tree([_span("a", "b"), _span("b", "a", 1), _span("self", "self", 2)])

    assert sorted(n.span.span_id for n in nodes) == ["a", "b", "self"]


def test_waterfall_offsets_start_at_the_earliest_span_and_clamp_unfinished_ends() -> None:
    unfinished = _span("open", "root", 4).model_copy(update={"end_time_unix_nano": 0})
    rows = waterfall_rows(build_tree([_span("root", start_ms=0, end_ms=20), unfinished]))

    assert [(r.start_offset_ms, r.end_offset_ms) for r in rows] == [(0.0, 20.0), (4.0, 4.0)]
    assert rows[1].label.startswith("└─ ")


def test_deep_timeline_labels_are_indented_with_blank_characters_not_dots() -> None:
    spans = [_span("root"), _span("child", "root", 1), _span("grandchild", "child", 2)]

    rows = waterfall_rows(build_tree(spans))

    assert rows[2].label == "\u2800" * 3 + "└─ name-grandchild"
    assert all("·" not in row.label for row in rows)
