"""The SDK's settings: one frozen object, read from ``LANTERNA_*`` variables.

The environment is read leniently, because the host program must still start:
a bad value is logged as a warning and the default is used. Arguments given to
:func:`lanterna.configure` are checked strictly and a bad one raises at once.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from opentelemetry.sdk.trace.export import SpanExporter

from lanterna import semconv

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

DEFAULT_ENDPOINT = "http://127.0.0.1:4318"
DEFAULT_MAX_FIELD_BYTES = 64 * 1024
DEFAULT_EXPORT_TIMEOUT_S = 5.0
DEFAULT_MAX_QUEUE_SIZE = 65_536
# The truncation marker must fit, with some content, into the smallest field.
MIN_MAX_FIELD_BYTES = 64
_MIN_QUEUE_SIZE = 1
# Ten million waiting spans already take gigabytes; far larger sizes overflow the queue.
_MAX_QUEUE_SIZE = 10_000_000
# Far longer timeouts overflow OpenTelemetry's deadline arithmetic and every export fails.
_MAX_EXPORT_TIMEOUT_S = 24 * 3600.0

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})

_ENV_PREFIX = "LANTERNA_"
_TRACES_PATH = "/v1/traces"
_URL_SCHEMES = frozenset({"http", "https"})
# A bearer token goes into an HTTP header, which takes visible ASCII only.
_HEADER_SAFE_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F))
# Settings whose value is a secret and never appears in a log line.
_SECRET_SETTINGS = frozenset({"api_key"})


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the SDK needs to know to trace and export.

    Attributes:
        endpoint: Base URL of the collector; spans go to ``<endpoint>/v1/traces``
            (or to ``endpoint`` itself when it already ends with ``/v1/traces``).
        project: Project the spans belong to (resource attribute ``lanterna.project``).
        api_key: Sent as ``Authorization: Bearer <api_key>`` when set.
        enabled: When false, traced functions are called directly.
        capture_inputs: Record the arguments of traced functions.
        capture_outputs: Record the return values (or yielded items) of traced functions.
        max_field_bytes: Largest stored size of one input or output text, in UTF-8 bytes.
        export_timeout_s: Time allowed for one export request, retries included.
        max_queue_size: Spans kept waiting for export before new ones are dropped.
        exporter: An OpenTelemetry exporter used instead of OTLP/HTTP to ``endpoint``.
    """

    endpoint: str = DEFAULT_ENDPOINT
    project: str = semconv.DEFAULT_PROJECT
    api_key: str | None = None
    enabled: bool = True
    capture_inputs: bool = True
    capture_outputs: bool = True
    max_field_bytes: int = DEFAULT_MAX_FIELD_BYTES
    export_timeout_s: float = DEFAULT_EXPORT_TIMEOUT_S
    max_queue_size: int = DEFAULT_MAX_QUEUE_SIZE
    exporter: SpanExporter | None = None

    @property
    def traces_url(self) -> str:
        """The OTLP/HTTP address spans are posted to."""
        base = self.endpoint.rstrip("/")
        if base.endswith(_TRACES_PATH):
            return base
        return base + _TRACES_PATH


def _parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError("expected one of " + ", ".join(sorted(_TRUE_WORDS | _FALSE_WORDS)))


def _parse_text(text: str) -> str:
    value = text.strip()
    if not value:
        raise ValueError("expected a non-empty value")
    return value


def _env_value(
    environ: Mapping[str, str], field: str, parse: Callable[[str], _T], default: _T
) -> _T:
    name = _ENV_PREFIX + field.upper()
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = parse(raw)
        check_setting(field, value)
    except (ValueError, TypeError) as exc:
        shown = "<hidden>" if field in _SECRET_SETTINGS else repr(raw)
        logger.warning("Ignoring %s=%s (%s); using the default %r.", name, shown, exc, default)
        return default
    return value


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``LANTERNA_*`` environment variables.

    Args:
        environ: The variables to read; the process environment when omitted.

    Returns:
        The settings, with defaults wherever a variable is missing or invalid.
    """
    env = os.environ if environ is None else environ
    return Settings(
        endpoint=_env_value(env, "endpoint", _parse_text, DEFAULT_ENDPOINT),
        project=_env_value(env, "project", _parse_text, semconv.DEFAULT_PROJECT),
        api_key=_env_value(env, "api_key", _parse_text, None),
        enabled=_env_value(env, "enabled", _parse_bool, True),
        capture_inputs=_env_value(env, "capture_inputs", _parse_bool, True),
        capture_outputs=_env_value(env, "capture_outputs", _parse_bool, True),
        max_field_bytes=_env_value(env, "max_field_bytes", int, DEFAULT_MAX_FIELD_BYTES),
        export_timeout_s=_env_value(env, "export_timeout_s", float, DEFAULT_EXPORT_TIMEOUT_S),
        max_queue_size=_env_value(env, "max_queue_size", int, DEFAULT_MAX_QUEUE_SIZE),
    )


def _check_url(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string URL, got {value!r}.")
    rule = (
        f"{name} must be an http:// or https:// URL with a host and no query, such as "
        f"{DEFAULT_ENDPOINT!r}, got {value!r}."
    )
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(rule) from exc
    if (
        parts.scheme.lower() not in _URL_SCHEMES
        or not parts.hostname
        or parts.query
        or parts.fragment
        or value != value.strip()
    ):
        raise ValueError(rule)


def _check_text(name: str, value: Any, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string, got {value!r}.")


def _check_header_value(name: str, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value:
        # Only the type is shown: even a malformed key may be mostly secret.
        got = "an empty string" if value == "" else f"a value of type {type(value).__name__}"
        raise TypeError(f"{name} must be a non-empty string, got {got}.")
    for position, character in enumerate(value):
        if character not in _HEADER_SAFE_CHARACTERS:
            # The key itself is not shown, only the character that cannot be sent.
            raise ValueError(
                f"{name} can only hold visible ASCII characters, because it is sent in an "
                f"HTTP header; it has {character!r} at position {position}. Remove spaces, "
                "line breaks and other characters from the key."
            )


def _check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}.")


def _check_int(name: str, value: Any, minimum: int, maximum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value!r}.")


def _check_seconds(name: str, value: Any, maximum: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}.")
    # Written so that NaN fails too: every comparison with NaN is false.
    if not (0 < value <= maximum):
        raise ValueError(
            f"{name} must be a number of seconds greater than 0 and at most {maximum:g}, "
            f"got {value!r}."
        )


def _check_exporter(name: str, value: Any) -> None:
    if value is None:
        return
    if not (
        callable(getattr(value, "export", None)) and callable(getattr(value, "shutdown", None))
    ):
        raise TypeError(
            f"{name} must be an OpenTelemetry SpanExporter (with export() and shutdown()), "
            f"got {value!r}."
        )


def check_setting(field: str, value: Any) -> None:
    """Raise if ``value`` is not allowed for the setting ``field``.

    Args:
        field: Name of a :class:`Settings` field.
        value: The proposed value.

    Raises:
        TypeError: The value has the wrong type.
        ValueError: The value has the right type but is out of range, or the
            setting does not exist.
    """
    if field == "endpoint":
        _check_url(field, value)
    elif field in ("project",):
        _check_text(field, value)
    elif field == "api_key":
        _check_header_value(field, value)
    elif field in ("enabled", "capture_inputs", "capture_outputs"):
        _check_bool(field, value)
    elif field == "max_field_bytes":
        _check_int(field, value, MIN_MAX_FIELD_BYTES)
    elif field == "max_queue_size":
        _check_int(field, value, _MIN_QUEUE_SIZE, _MAX_QUEUE_SIZE)
    elif field == "export_timeout_s":
        _check_seconds(field, value, _MAX_EXPORT_TIMEOUT_S)
    elif field == "exporter":
        _check_exporter(field, value)
    else:
        known = ", ".join(f.name for f in dataclasses.fields(Settings))
        raise ValueError(f"Unknown setting {field!r}; the settings are: {known}.")


def settings_with(base: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Return ``base`` with the given fields replaced, after checking each one.

    Args:
        base: The settings to start from.
        overrides: Field names and their new values; ``None`` values are skipped,
            except for ``api_key`` and ``exporter`` where ``None`` is never passed on.

    Returns:
        The new settings.

    Raises:
        TypeError: A value has the wrong type.
        ValueError: A value is out of range or a name is not a setting.
    """
    changes = {name: value for name, value in overrides.items() if value is not None}
    for name, value in changes.items():
        check_setting(name, value)
    return dataclasses.replace(base, **changes)
