"""The span table and the timeline give each span type the same colour."""

from __future__ import annotations

from lanterna_dashboard.models import Span
from lanterna_dashboard.span_colours import OTHER_TYPE_COLOUR, span_type_colour
from lanterna_dashboard.span_tree import build_tree, waterfall_rows
from lanterna_dashboard.views.waterfall import waterfall_chart


def _span(span_id: str, span_type: str, parent: str | None = None) -> Span:
    return Span(
        span_id=span_id,
        parent_span_id=parent,
        name=span_id,
        span_type=span_type,
        start_time_unix_nano=1,
        end_time_unix_nano=2,
    )


def test_timeline_bars_use_the_colours_of_the_table_badges() -> None:
    spans = [_span("a", "AGENT"), _span("t", "TOOL", "a"), _span("x", "CUSTOM", "a")]

    chart = waterfall_chart(waterfall_rows(build_tree(spans))).to_dict()

    scale = chart["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours == {
        "AGENT": span_type_colour("AGENT"),
        "CUSTOM": OTHER_TYPE_COLOUR,
        "TOOL": span_type_colour("TOOL"),
    }
    assert span_type_colour("AGENT") != span_type_colour("TOOL")
