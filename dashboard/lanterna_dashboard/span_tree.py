"""Arranging a trace's spans as a tree and as waterfall rows, without any Streamlit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from lanterna_dashboard.models import Span

_NANOS_PER_MS: Final = 1_000_000
_INDENT: Final = "    "
# The chart trims every kind of leading space from its labels (no-break spaces too), so
# its indentation uses the Braille blank, which draws nothing but is not whitespace.
_CHART_INDENT: Final = "\u2800" * 3
_BRANCH: Final = "└─ "


@dataclass(frozen=True)
class TreeNode:
    """One span at its place in the tree: ``order`` is its row, ``depth`` its nesting."""

    span: Span
    depth: int
    order: int

    @property
    def label(self) -> str:
        """The span's name indented by its depth, for plain-text display."""
        return self.indented(_INDENT)

    def indented(self, indent: str) -> str:
        """The span's name after ``indent`` repeated once per level above its parent."""
        name = self.span.name or self.span.span_id
        if self.depth == 0:
            return name
        return f"{indent * (self.depth - 1)}{_BRANCH}{name}"


@dataclass(frozen=True)
class WaterfallRow:
    """A span's bar on the timeline, in milliseconds from the trace's first start."""

    order: int
    span_id: str
    name: str
    label: str
    span_type: str
    status: str
    start_offset_ms: float
    end_offset_ms: float
    duration_ms: float


def build_tree(spans: Iterable[Span]) -> list[TreeNode]:
    """Order spans depth first, children by start time; orphans become roots.

    A span whose parent is not in the trace (not yet received, or lost) is shown
    at the top level rather than hidden, and a parent cycle cannot loop.
    """
    by_id = {span.span_id: span for span in spans}
    children: dict[str, list[Span]] = defaultdict(list)
    roots: list[Span] = []
    for span in by_id.values():
        parent = span.parent_span_id or ""
        if parent and parent in by_id and parent != span.span_id:
            children[parent].append(span)
        else:
            roots.append(span)

    nodes: list[TreeNode] = []
    visited: set[str] = set()
    stack = [(span, 0) for span in reversed(_by_start(roots))]
    while stack or len(visited) < len(by_id):
        if not stack:
            # Only spans caught in a parent cycle are left; show them from the earliest.
            leftover = _by_start(s for s in by_id.values() if s.span_id not in visited)
            stack.append((leftover[0], 0))
        span, depth = stack.pop()
        if span.span_id in visited:
            continue
        visited.add(span.span_id)
        nodes.append(TreeNode(span=span, depth=depth, order=len(nodes)))
        stack.extend((child, depth + 1) for child in reversed(_by_start(children[span.span_id])))
    return nodes


def waterfall_rows(nodes: list[TreeNode]) -> list[WaterfallRow]:
    """Place each span on a timeline that starts at the trace's earliest span."""
    if not nodes:
        return []
    origin = min(node.span.start_time_unix_nano for node in nodes)
    rows = []
    for node in nodes:
        span = node.span
        end = max(span.end_time_unix_nano, span.start_time_unix_nano)
        rows.append(
            WaterfallRow(
                order=node.order,
                span_id=span.span_id,
                name=span.name,
                label=node.indented(_CHART_INDENT),
                span_type=span.span_type or "UNKNOWN",
                status=span.status or "OK",
                start_offset_ms=(span.start_time_unix_nano - origin) / _NANOS_PER_MS,
                end_offset_ms=(end - origin) / _NANOS_PER_MS,
                duration_ms=span.duration_ms,
            )
        )
    return rows


def _by_start(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda span: (span.start_time_unix_nano, span.span_id))
