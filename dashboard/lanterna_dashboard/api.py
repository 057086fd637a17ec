"""A typed client for the collector's REST API, the dashboard's only way to its data."""

from __future__ import annotations

import logging
from typing import Any, Final, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from lanterna_dashboard.errors import (
    ApiResponseError,
    BadRequestError,
    CollectorUnreachableError,
    FilterSyntaxError,
    NotFoundError,
)
from lanterna_dashboard.models import ProjectList, SessionPage, TraceDetail, TracePage
from lanterna_dashboard.settings import DEFAULT_PROJECT, DashboardSettings

logger = logging.getLogger(__name__)

_API_PREFIX: Final = "/api/v1"
_BAD_REQUEST: Final = 400
_NOT_FOUND: Final = 404
_FIRST_ERROR_STATUS: Final = 400

_ModelT = TypeVar("_ModelT", bound=BaseModel)


class LanternaApiClient:
    """Reads projects, traces and sessions from one collector over HTTP.

    Every read of traces or sessions is about one project: the one passed to the
    method, else the configured one, else ``default``.
    """

    def __init__(self, settings: DashboardSettings, transport: httpx.BaseTransport | None = None):
        self._api_url = settings.api_url.rstrip("/")
        self._project = settings.project or DEFAULT_PROJECT
        self._page_size = settings.page_size
        self._http = httpx.Client(
            base_url=f"{self._api_url}{_API_PREFIX}",
            timeout=settings.api_timeout_s,
            transport=transport,
        )

    @property
    def api_url(self) -> str:
        """The collector's base URL, as configured."""
        return self._api_url

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def health(self) -> dict[str, Any]:
        """Return the collector's health document; raise if it does not answer."""
        body = self._get_json("/health", {})
        return body if isinstance(body, dict) else {"status": body}

    def list_projects(self) -> ProjectList:
        """Return the projects that hold traces, most recently active first."""
        return self._get_model("/projects", {}, ProjectList)

    def list_traces(
        self, filter_text: str = "", page_token: str | None = None, project: str | None = None
    ) -> TracePage:
        """Return one page of traces, newest first, matching ``filter_text`` if not empty."""
        params = self._page_params(page_token, project)
        if filter_text.strip():
            params["filter"] = filter_text
        return self._get_model("/traces", params, TracePage)

    def get_trace(self, trace_id: str, project: str | None = None) -> TraceDetail:
        """Return every span of one trace.

        Raises:
            BadRequestError: ``trace_id`` is not a valid trace id.
            NotFoundError: the project holds no trace with that id.
        """
        path = f"/traces/{quote(trace_id, safe='')}"
        return self._get_model(path, {"project": project or self._project}, TraceDetail)

    def list_sessions(
        self, page_token: str | None = None, project: str | None = None
    ) -> SessionPage:
        """Return one page of sessions, most recently active first."""
        return self._get_model("/sessions", self._page_params(page_token, project), SessionPage)

    def list_session_traces(
        self, session_id: str, page_token: str | None = None, project: str | None = None
    ) -> TracePage:
        """Return one page of the traces of one session."""
        path = f"/sessions/{quote(session_id, safe='')}/traces"
        return self._get_model(path, self._page_params(page_token, project), TracePage)

    def _page_params(self, page_token: str | None, project: str | None) -> dict[str, str | int]:
        params: dict[str, str | int] = {
            "limit": self._page_size,
            "project": project or self._project,
        }
        if page_token:
            params["page_token"] = page_token
        return params

    def _get_model(self, path: str, params: dict[str, Any], model: type[_ModelT]) -> _ModelT:
        body = self._get_json(path, params)
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise ApiResponseError(
                f"The collector's answer to {path} does not have the expected shape: "
                f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}"
            ) from exc

    def _get_json(self, path: str, params: dict[str, Any]) -> Any:
        logger.debug("GET %s %s", path, params)
        try:
            response = self._http.get(path, params=params)
        except httpx.TransportError as exc:
            raise CollectorUnreachableError(self._api_url, type(exc).__name__) from exc

        if response.status_code >= _FIRST_ERROR_STATUS:
            raise _error_from_response(response)
        try:
            return response.json()
        except ValueError as exc:
            raise ApiResponseError(
                f"The collector's answer to {path} is not JSON.", response.status_code
            ) from exc


def _error_from_response(response: httpx.Response) -> ApiResponseError:
    """Turn an error answer into the specific exception, keeping the collector's message."""
    message, position = _error_detail(response)
    if response.status_code == _BAD_REQUEST and "filter" in response.request.url.params:
        return FilterSyntaxError(message, position)
    if response.status_code == _BAD_REQUEST:
        return BadRequestError(message)
    if response.status_code == _NOT_FOUND:
        return NotFoundError(message, response.status_code)
    return ApiResponseError(message, response.status_code)


def _error_detail(response: httpx.Response) -> tuple[str, int | None]:
    fallback = f"The collector answered {response.status_code} {response.reason_phrase}."
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return fallback, None

    if isinstance(detail, str) and detail:
        return detail, None
    if isinstance(detail, dict):
        position = detail.get("position")
        message = detail.get("message")
        return (
            str(message) if message else fallback,
            position if isinstance(position, int) else None,
        )
    if isinstance(detail, list) and detail:
        # FastAPI's request validation errors: a list of {loc, msg, type}.
        first = detail[0]
        if isinstance(first, dict) and "msg" in first:
            return str(first["msg"]), None
    return fallback, None
