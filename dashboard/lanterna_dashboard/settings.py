"""The dashboard's configuration, read from ``LANTERNA_*`` environment variables."""

from __future__ import annotations

from typing import Final

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL: Final = "http://127.0.0.1:4318"
_DEFAULT_PROJECT: Final = "default"
_DEFAULT_TIMEOUT_S: Final = 10.0
_DEFAULT_PAGE_SIZE: Final = 50
_MAX_PAGE_SIZE: Final = 1000


class DashboardSettings(BaseSettings):
    """Where the collector's REST API is and how the dashboard talks to it."""

    model_config = SettingsConfigDict(env_prefix="LANTERNA_", extra="ignore", frozen=True)

    api_url: str = DEFAULT_API_URL
    project: str = _DEFAULT_PROJECT
    api_timeout_s: float = Field(default=_DEFAULT_TIMEOUT_S, gt=0)
    page_size: int = Field(default=_DEFAULT_PAGE_SIZE, ge=1, le=_MAX_PAGE_SIZE)
