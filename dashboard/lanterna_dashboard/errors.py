"""The dashboard's exception hierarchy: what can go wrong when it asks the collector."""

from __future__ import annotations


class DashboardError(Exception):
    """Base class of every error the dashboard raises on purpose."""


class CollectorUnreachableError(DashboardError):
    """The collector did not answer: not running, wrong address, or too slow."""

    def __init__(self, api_url: str, reason: str) -> None:
        super().__init__(f"The collector at {api_url} could not be reached: {reason}")
        self.api_url = api_url
        self.reason = reason


class ApiResponseError(DashboardError):
    """The collector answered with an error status or with a body the dashboard cannot read."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class BadRequestError(ApiResponseError):
    """The collector refused what was asked, such as a malformed trace id; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status_code=400)


class FilterSyntaxError(BadRequestError):
    """The collector rejected a search filter; ``position`` is where, if it said."""

    def __init__(self, message: str, position: int | None) -> None:
        super().__init__(message)
        self.position = position


class NotFoundError(ApiResponseError):
    """The trace or session asked for does not exist."""
