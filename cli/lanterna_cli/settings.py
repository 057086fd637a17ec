"""Settings of the ``lanterna`` command, read from ``LANTERNA_*`` environment variables.

Command-line flags override these values; these values override the defaults.
"""

from __future__ import annotations

from pathlib import Path

from lanterna.semconv import DEFAULT_PROJECT
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DEFAULT_HOST = "127.0.0.1"
_DEFAULT_PORT = 4318
_DEFAULT_DASHBOARD_PORT = 8501
_DEFAULT_HOME = Path("~/.lanterna")
ENV_PREFIX = "LANTERNA_"
MIN_PORT = 1
MAX_PORT = 65535


class CliSettings(BaseSettings):
    """What the CLI needs to know: where data lives and where the services listen."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    home: Path = Field(default=_DEFAULT_HOME, validate_default=True)
    host: str = _DEFAULT_HOST
    port: int = Field(default=_DEFAULT_PORT, ge=MIN_PORT, le=MAX_PORT)
    dashboard_port: int = Field(default=_DEFAULT_DASHBOARD_PORT, ge=MIN_PORT, le=MAX_PORT)
    project: str = Field(default=DEFAULT_PROJECT, min_length=1)
    collector_url: str | None = Field(default=None, validation_alias="LANTERNA_API_URL")

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, home: Path) -> Path:
        home = home.expanduser().resolve()
        if home.exists() and not home.is_dir():
            raise ValueError("it is a file, not a folder; point it at a folder")
        return home

    @property
    def logs_dir(self) -> Path:
        """Folder that receives the log file of every child process."""
        return self.home / "logs"

    @property
    def api_url(self) -> str:
        """Base URL of the collector these settings start or point at."""
        return f"http://{self.host}:{self.port}"

    @property
    def dashboard_api_url(self) -> str:
        """The collector a lone dashboard reads: LANTERNA_API_URL, else host and port."""
        return self.collector_url or self.api_url
