"""Values JSON cannot hold never break the traced function (case T-4)."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import logging
import math
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pytest
from lanterna import semconv
from lanterna._serialize import clip, to_json
from sdk_helpers import SpanLog
from tracing_cases import Passage, search


def test_unusual_values_are_stored_as_readable_json_without_consuming_generators(
    span_log: SpanLog, caplog: pytest.LogCaptureFixture
) -> None:
    vec = np.array([1, 2, 3], dtype=np.float32)
    passage = Passage(pid=4, body="café")
    at = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)

    with caplog.at_level(logging.DEBUG, logger="lanterna"):
        stream, info = search(vec, passage, at, b"\x01\xfe", {"red"})

    assert list(stream) == [0, 1, 2]
    assert info["passage"] is passage and info["vec"] is vec
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    span = span_log.one("search")
    inputs = json.loads(span.attributes[semconv.INPUTS])
    generator, out = json.loads(span.attributes[semconv.OUTPUTS])
    for stored in (inputs, out):
        assert stored["passage"] == {"pid": 4, "body": "café"}
        assert stored["vec"] == [1.0, 2.0, 3.0]
        assert stored["at"] == "2025-03-01T12:00:00+00:00"
        assert stored["labels"] == ["red"]
        assert stored["raw"] == {"__bytes__": base64.b64encode(b"\x01\xfe").decode(), "size": 2}
    assert out["match"] == {"weight": 0.25}
    assert out["ref"] == "00000000-0000-0000-0000-000000000007"
    assert generator == "<generator>"


class Color(enum.Enum):
    RED = "red"


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.10"), "1.10"),
        (Color.RED, "red"),
        (PurePosixPath("/a/b"), "/a/b"),
        (dt.date(2025, 1, 2), "2025-01-02"),
        (np.int64(7), 7),
        (np.float32(0.5), 0.5),
        ({3, 1, 2}, [1, 2, 3]),
        (frozenset({"b", "a"}), ["a", "b"]),
        (float("nan"), "NaN"),
        ({"v": -math.inf}, {"v": "-Infinity"}),
        ({(1, 2): "pair"}, {"(1, 2)": "pair"}),
        ((1, "a"), [1, "a"]),
    ],
)
def test_each_special_value_has_its_documented_json_form(value: Any, expected: Any) -> None:
    assert json.loads(to_json(value)) == expected


def test_circular_containers_are_marked_not_followed() -> None:
    data: dict[str, Any] = {"name": "loop"}
    data["self"] = data
    items: list[Any] = [1]
    items.append(items)

    assert json.loads(to_json(data)) == {"name": "loop", "self": "<circular>"}
    assert json.loads(to_json(items)) == [1, "<circular>"]


def test_shared_but_not_circular_values_are_stored_in_full() -> None:
    shared = {"k": 1}
    assert json.loads(to_json({"a": shared, "b": shared, "c": {1, "x"}})) == {
        "a": {"k": 1},
        "b": {"k": 1},
        "c": json.loads(to_json({1, "x"})),
    }


def test_objects_fall_back_to_a_clipped_repr_even_when_repr_fails() -> None:
    class Thing:
        def __repr__(self) -> str:
            return "T" * 5_000

    assert json.loads(to_json(Thing())).endswith("...[truncated]")
    assert len(json.loads(to_json(Thing()))) < 1_100
    assert json.loads(to_json(BrokenRepr())) == "<BrokenRepr object>"


def test_a_model_whose_dump_fails_falls_back_to_its_repr() -> None:
    class Model:
        def model_dump(self, mode: str) -> Any:
            raise RuntimeError("cannot dump")

        def __repr__(self) -> str:
            return "Model()"

    assert json.loads(to_json({"m": Model()})) == {"m": "Model()"}


def test_large_bytes_store_a_prefix_and_the_full_size() -> None:
    stored = json.loads(to_json(b"x" * 10_000))
    assert stored["size"] == 10_000
    assert len(base64.b64decode(stored["__bytes__"])) == 1_024


def test_clip_cuts_to_the_byte_limit_without_splitting_a_character() -> None:
    text, original = clip("é" * 1_000, 100)

    assert original == 2_000
    assert len(text.encode()) <= 100
    assert text.endswith("...[truncated]")
    assert clip("short", 100) == ("short", None)
