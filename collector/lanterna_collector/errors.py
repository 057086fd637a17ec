"""The collector's exception hierarchy."""

from __future__ import annotations


class CollectorError(Exception):
    """Base class of every error the collector raises on purpose."""


class StorageError(CollectorError):
    """The store could not be opened or could not run a statement."""


class PayloadError(CollectorError):
    """A request body could not be read: wrong encoding, not protobuf, not JSON, wrong shape."""


class UnsupportedMediaError(PayloadError):
    """The request's content type or content encoding is not one the collector reads."""


class PayloadTooLargeError(PayloadError):
    """The request body is larger than ``max_request_bytes``."""
