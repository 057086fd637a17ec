"""The waterfall timeline of a trace, as an Altair chart."""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from lanterna_dashboard.span_colours import colour_scale
from lanterna_dashboard.span_tree import WaterfallRow

_ROW_HEIGHT_PX: Final = 26
_MIN_HEIGHT_PX: Final = 80
_AXIS_HEIGHT_PX: Final = 60
_LABEL_LIMIT_PX: Final = 260
# Joins a row's label and span id into one unique y value; the axis shows the label only.
_KEY_SEPARATOR: Final = "\u241f"
_ERROR_STROKE: Final = "#d62728"


def waterfall_frame(rows: list[WaterfallRow]) -> pd.DataFrame:
    """One row per span with the fields the chart encodes."""
    return pd.DataFrame(
        {
            "row_key": [f"{row.label}{_KEY_SEPARATOR}{row.span_id}" for row in rows],
            "span": [row.name for row in rows],
            "span_type": [row.span_type for row in rows],
            "status": [row.status for row in rows],
            "start_ms": [row.start_offset_ms for row in rows],
            "end_ms": [row.end_offset_ms for row in rows],
            "duration_ms": [row.duration_ms for row in rows],
            "is_error": [row.status == "ERROR" for row in rows],
        }
    )


def waterfall_height(row_count: int) -> int:
    """The chart's height in pixels: one band per span plus room for the axis."""
    return max(_MIN_HEIGHT_PX, _ROW_HEIGHT_PX * row_count) + _AXIS_HEIGHT_PX


def waterfall_chart(rows: list[WaterfallRow]) -> alt.Chart:
    """Bars from each span's start to end offset, one row per span in tree order."""
    frame = waterfall_frame(rows)
    order = frame["row_key"].tolist()
    type_domain, type_colours = colour_scale(frame["span_type"])
    y_axis = alt.Axis(
        title=None,
        labelExpr=f"split(datum.label, '{_KEY_SEPARATOR}')[0]",
        labelLimit=_LABEL_LIMIT_PX,
        labelAlign="left",
        labelPadding=_LABEL_LIMIT_PX,
    )
    # Altair types its mark_*/encode methods through a signature-copying decorator that
    # mypy reads as returning Any; they return the chart itself.
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("start_ms:Q", title="Milliseconds since the trace started"),
            x2="end_ms:Q",
            y=alt.Y("row_key:N", sort=order, axis=y_axis),
            color=alt.Color(
                "span_type:N",
                title="Span type",
                scale=alt.Scale(domain=type_domain, range=type_colours),
            ),
            stroke=alt.condition(
                "datum.is_error", alt.value(_ERROR_STROKE), alt.value("transparent")
            ),
            strokeWidth=alt.condition("datum.is_error", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("span:N", title="Span"),
                alt.Tooltip("span_type:N", title="Type"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("start_ms:Q", title="Start (ms)", format=",.2f"),
                alt.Tooltip("duration_ms:Q", title="Duration (ms)", format=",.2f"),
            ],
        )
        .properties(height=max(_MIN_HEIGHT_PX, _ROW_HEIGHT_PX * len(rows)))
    )
    return chart
