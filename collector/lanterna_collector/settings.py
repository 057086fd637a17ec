"""The collector's configuration, read from ``LANTERNA_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

_KIB: Final = 1024
_MIB: Final = 1024 * _KIB
_DEFAULT_HOME: Final = Path("~/.lanterna")
_DEFAULT_PORT: Final = 4318
_DEFAULT_MAX_FIELD_BYTES: Final = 64 * _KIB
_DEFAULT_MAX_REQUEST_BYTES: Final = 64 * _MIB
_CLICKHOUSE_SUBDIR: Final = "clickhouse"


class CollectorSettings(BaseSettings):
    """Where the collector listens, where it stores, and how much one request may carry."""

    model_config = SettingsConfigDict(env_prefix="LANTERNA_", extra="ignore")

    home: Path = _DEFAULT_HOME
    clickhouse_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=_DEFAULT_PORT, ge=1, le=65535)
    max_field_bytes: int = Field(default=_DEFAULT_MAX_FIELD_BYTES, ge=1024)
    max_request_bytes: int = Field(default=_DEFAULT_MAX_REQUEST_BYTES, ge=1024)

    @property
    def resolved_home(self) -> Path:
        """The data folder as an absolute path, with ``~`` expanded."""
        return self.home.expanduser().resolve()

    @property
    def resolved_clickhouse_url(self) -> str:
        """The ClickHouse DSN: the configured URL, else embedded chDB under the data folder."""
        if self.clickhouse_url:
            return self.clickhouse_url
        return f"chdb://{self.resolved_home / _CLICKHOUSE_SUBDIR}"
