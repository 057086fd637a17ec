"""The dashboard's configuration, read from ``LANTERNA_*`` environment variables."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL: Final = "http://127.0.0.1:4318"
DEFAULT_PROJECT: Final = "default"
_API_URL_SCHEMES: Final = ("http", "https")
_DEFAULT_TIMEOUT_S: Final = 10.0
_DEFAULT_PAGE_SIZE: Final = 50
_MAX_PAGE_SIZE: Final = 1000


class DashboardSettings(BaseSettings):
    """Where the collector's REST API is and how the dashboard talks to it.

    ``project`` is ``None`` unless configured; the dashboard then opens the project
    named ``default`` if it holds traces, else the most recently active one.
    """

    model_config = SettingsConfigDict(env_prefix="LANTERNA_", extra="ignore", frozen=True)

    api_url: str = DEFAULT_API_URL
    project: str | None = Field(default=None, min_length=1)
    api_timeout_s: float = Field(default=_DEFAULT_TIMEOUT_S, gt=0)
    page_size: int = Field(default=_DEFAULT_PAGE_SIZE, ge=1, le=_MAX_PAGE_SIZE)

    @field_validator("api_url")
    @classmethod
    def _http_url(cls, api_url: str) -> str:
        parts = urlsplit(api_url)
        if parts.scheme not in _API_URL_SCHEMES or not parts.hostname:
            raise ValueError(
                "the collector URL must start with http:// or https:// and name a host, "
                f"as in {DEFAULT_API_URL}"
            )
        return api_url
