"""The collector's configuration, read from ``LANTERNA_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX: Final = "LANTERNA_"
_KIB: Final = 1024
_MIB: Final = 1024 * _KIB
_DEFAULT_HOME: Final = Path("~/.lanterna")
_DEFAULT_PORT: Final = 4318
_DEFAULT_MAX_FIELD_BYTES: Final = 64 * _KIB
_DEFAULT_MAX_REQUEST_BYTES: Final = 64 * _MIB
_CLICKHOUSE_SUBDIR: Final = "clickhouse"
_CHDB_SCHEME: Final = "chdb"
_SERVER_SCHEMES: Final = ("clickhouse", "http", "https")


class CollectorSettings(BaseSettings):
    """Where the collector listens, where it stores, and how much one request may carry."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    home: Path = _DEFAULT_HOME
    clickhouse_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=_DEFAULT_PORT, ge=1, le=65535)
    max_field_bytes: int = Field(default=_DEFAULT_MAX_FIELD_BYTES, ge=1024)
    max_request_bytes: int = Field(default=_DEFAULT_MAX_REQUEST_BYTES, ge=1024)

    @field_validator("home")
    @classmethod
    def _home_is_a_folder(cls, home: Path) -> Path:
        if home.expanduser().exists() and not home.expanduser().is_dir():
            raise ValueError("it is a file, not a folder; point it at a folder")
        return home

    @field_validator("clickhouse_url")
    @classmethod
    def _known_url_scheme(cls, url: str | None) -> str | None:
        if not url:
            return url
        parts = urlsplit(url)
        schemes = ", ".join(f"{scheme}://" for scheme in (_CHDB_SCHEME, *_SERVER_SCHEMES))
        if parts.scheme not in (_CHDB_SCHEME, *_SERVER_SCHEMES):
            raise ValueError(f"the URL must start with one of {schemes}")
        if parts.scheme in _SERVER_SCHEMES and not parts.hostname:
            raise ValueError("the URL must name the ClickHouse server's host")
        if parts.scheme == _CHDB_SCHEME and not (parts.netloc or parts.path):
            raise ValueError("a chdb:// URL must name a folder, as in chdb:///var/lib/lanterna")
        return url

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


def describe_settings_error(error: ValidationError) -> str:
    """Say in one line which setting is wrong, its value and the rule it breaks."""
    problems = []
    for item in error.errors():
        name = ENV_PREFIX + "_".join(map(str, item["loc"])).upper()
        rule = item["msg"].removeprefix("Value error, ")
        problems.append(f"{name}={item['input']!r}: {rule}")
    return "invalid setting: " + "; ".join(problems)
