"""Fixtures for the SDK tests: Lanterna configured to keep spans in memory."""

from __future__ import annotations

from collections.abc import Iterator

import lanterna
import pytest
from lanterna.testing import configure_in_memory
from sdk_helpers import SpanLog


@pytest.fixture
def span_log() -> Iterator[SpanLog]:
    """Lanterna exporting into memory for the length of one test."""
    exporter = configure_in_memory()
    yield SpanLog(exporter)
    lanterna.flush(timeout_s=10)
    lanterna.configure(enabled=False)
