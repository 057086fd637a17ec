"""The one exception a search filter raises."""

from __future__ import annotations

from lanterna_collector.errors import CollectorError


class FilterError(CollectorError, ValueError):
    """A search filter that cannot be parsed or compiled.

    Attributes:
        message: What is wrong, quoting the offending text, written for the person who typed it.
        position: 0-based character offset into the filter text where the problem starts.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
