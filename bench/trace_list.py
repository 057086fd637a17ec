"""Trace list latency over about a million stored spans.

Run: ``python bench/trace_list.py [--traces N]``. Stores N traces of 10 spans (default
100,000 traces, 1,000,000 spans) through a collector subprocess over OTLP/HTTP protobuf,
then times ``GET /api/v1/traces?limit=50&filter=...`` and prints the median and p95.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from ingest import PROTOBUF_HEADERS, make_request, running_collector

TRACES_PER_REQUEST = 500
SPANS_PER_TRACE = 10
WARMUP_QUERIES = 5
FILTERS = (
    "status = 'ERROR' AND duration_ms > 100",
    "",
    "span_count >= 10 AND total_tokens > 1000",
)


def load(url: str, trace_count: int, workers: int) -> float:
    """Generate and POST ``trace_count`` traces; return the elapsed seconds."""
    starts = range(0, trace_count, TRACES_PER_REQUEST)
    with httpx.Client(timeout=600) as client:

        def send(first_trace: int) -> None:
            count = min(TRACES_PER_REQUEST, trace_count - first_trace)
            body = make_request(
                first_trace, count, seed=first_trace, spans_per_trace=SPANS_PER_TRACE
            )
            client.post(
                f"{url}/v1/traces", content=body, headers=PROTOBUF_HEADERS
            ).raise_for_status()

        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(send, starts))
        return time.perf_counter() - started


def time_queries(url: str, filter_text: str, runs: int) -> list[float]:
    """Milliseconds per trace-list request, after a few warm-up requests."""
    timings: list[float] = []
    params = {"limit": 50, "filter": filter_text}
    with httpx.Client(timeout=60) as client:
        for index in range(WARMUP_QUERIES + runs):
            started = time.perf_counter()
            response = client.get(f"{url}/api/v1/traces", params=params)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if index >= WARMUP_QUERIES:
                timings.append(elapsed_ms)
        page = response.json()
    print(f"  {filter_text or '(no filter)'!r}: {len(page['traces'])} traces on the first page")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--traces", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--settle-s", type=float, default=20.0, help="wait for background merges")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lanterna-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        with running_collector(home) as url:
            elapsed = load(url, args.traces, args.workers)
            spans = args.traces * SPANS_PER_TRACE
            print(f"stored {spans:,} spans in {elapsed:.1f} s ({spans / elapsed:,.0f} spans/s)")
            time.sleep(args.settle_s)
            for filter_text in FILTERS:
                timings = sorted(time_queries(url, filter_text, args.runs))
                p95 = timings[int(0.95 * len(timings)) - 1]
                print(
                    f"  median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
                    f"over {len(timings)} requests (target median < 20 ms)"
                )


if __name__ == "__main__":
    main()
