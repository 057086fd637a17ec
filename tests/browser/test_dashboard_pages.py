"""The dashboard in Chromium against a real collector: traces, one trace, sessions, errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest
from dashboard_process import RunningDashboard, free_port, start_dashboard, stop_dashboard
from dashboard_seed import LLM_MODEL, MARKDOWN_TEXT, SCRIPT_TEXT, Seed, seed_traces
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

_TIMEOUT_MS: Final = 30_000
# Where the first row's selection box sits inside a data frame (header row is 35 px high).
_ROW_MARKER_X_PX: Final = 15
_FIRST_ROW_Y_PX: Final = 52
Screenshot = Callable[[str], Path]


def _grid_cells(page: Page, text: str | re.Pattern[str]) -> Locator:
    """Data frame cells: Streamlit paints them on a canvas and mirrors them in a hidden table."""
    return page.locator('[data-testid="stDataFrame"] td', has_text=text)


def _apply_filter(page: Page, filter_text: str) -> None:
    box = page.get_by_label("Filter", exact=True)
    box.fill(filter_text)
    box.press("Enter")


def _click_first_row_selector(page: Page) -> None:
    """Tick the first row's selection box, which is painted on the grid's canvas."""
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + _ROW_MARKER_X_PX, box["y"] + _FIRST_ROW_Y_PX)


def _select_span(page: Page, span_name: str) -> None:
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=re.compile(re.escape(span_name))).click()


def _select_project(page: Page, project: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=project, exact=True).click()


def test_traces_page_lists_seeded_traces_and_a_filter_narrows_them(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    page.goto(dashboard.url)

    expect(page.get_by_role("heading", name="Traces")).to_be_visible(timeout=_TIMEOUT_MS)
    expect(page.get_by_label("Filter", exact=True)).to_have_attribute(
        "placeholder", "status = 'ERROR' AND duration_ms > 500"
    )
    # Newest first, three to a page.
    for trace in (seed.slow, seed.quick, seed.xss):
        expect(_grid_cells(page, trace.name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, seed.agent.name)).to_have_count(0)
    screenshot("traces")

    _apply_filter(page, "status = 'ERROR'")

    expect(_grid_cells(page, seed.agent.name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, seed.slow.name)).to_have_count(0, timeout=_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"filter=status"))
    screenshot("traces_filtered")


def test_next_and_previous_walk_the_pages_of_traces(
    page: Page, dashboard: RunningDashboard, seed: Seed
) -> None:
    page.goto(dashboard.url)
    expect(_grid_cells(page, seed.slow.name)).to_have_count(1, timeout=_TIMEOUT_MS)

    page.get_by_role("button", name="Next").click()

    expect(_grid_cells(page, seed.agent.name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, seed.slow.name)).to_have_count(0)
    expect(page.get_by_text("Page 2")).to_be_visible()
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    page.get_by_role("button", name="Previous").click()

    expect(_grid_cells(page, seed.slow.name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(page.get_by_text("Page 1")).to_be_visible()


def test_bad_filter_shows_the_collectors_message_and_marks_the_position(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    page.goto(dashboard.url)
    expect(_grid_cells(page, seed.slow.name)).to_have_count(1, timeout=_TIMEOUT_MS)

    _apply_filter(page, "name = 'unterminated")

    alert = page.get_by_test_id("stAlert")
    expect(alert).to_contain_text("Invalid filter", timeout=_TIMEOUT_MS)
    marked = page.get_by_test_id("stCode")
    expect(marked).to_contain_text("name = 'unterminated")
    expect(marked).to_contain_text("^")
    expect(page.get_by_text("Traceback")).to_have_count(0)
    screenshot("traces_bad_filter")


def test_trace_page_shows_the_tree_the_waterfall_and_the_llm_span(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    page.goto(f"{dashboard.url}/trace?trace_id={seed.agent.trace_id}")

    expect(page.get_by_text(seed.agent.name, exact=True)).to_be_visible(timeout=_TIMEOUT_MS)
    expect(page.get_by_test_id("stMetric").filter(has_text="Status")).to_contain_text("ERROR")
    for span_name in ("plan", "chat gpt-4o-mini", "lookup_order"):
        expect(_grid_cells(page, span_name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, "└─ chat gpt-4o-mini")).to_have_count(1)
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=_TIMEOUT_MS)

    _select_span(page, "chat gpt-4o-mini")

    expect(_grid_cells(page, LLM_MODEL).last).to_be_attached(timeout=_TIMEOUT_MS)
    json_views = page.get_by_test_id("stJson")
    expect(json_views.filter(has_text="Where is order 1234?")).to_have_count(1)
    expect(json_views.filter(has_text="Call lookup_order")).to_have_count(1)
    expect(json_views.filter(has_text="gen_ai.request.model")).to_have_count(1)
    screenshot("trace_llm_span")


def test_error_span_shows_its_exception_with_the_stack_and_labels_the_other_attributes(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    span_id = seed.agent.span_ids["lookup_order"]
    page.goto(f"{dashboard.url}/trace?trace_id={seed.agent.trace_id}&span_id={span_id}")

    expect(page.get_by_text("This span ended with an error.")).to_be_visible(timeout=_TIMEOUT_MS)
    expect(page.get_by_text("LookupError: order 1234 not found").first).to_be_visible()
    stack = page.get_by_test_id("stCode").filter(has_text="raise LookupError(order_id)")
    expect(stack).to_be_visible()
    others = page.get_by_test_id("stExpander").filter(has_text="Event attributes")
    expect(others).to_be_visible()
    others.click()
    expect(others.get_by_test_id("stJson")).to_contain_text("exception.escaped")
    screenshot("trace_error_span")


def test_user_text_with_html_and_markdown_is_shown_as_text(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    page.goto(f"{dashboard.url}/trace?trace_id={seed.xss.trace_id}")

    inputs = page.get_by_test_id("stJson").filter(has_text=SCRIPT_TEXT)
    expect(inputs).to_contain_text(MARKDOWN_TEXT, timeout=_TIMEOUT_MS)
    outputs = page.get_by_test_id("stCode").filter(has_text=f"plain {SCRIPT_TEXT}")
    expect(outputs).to_contain_text(MARKDOWN_TEXT)
    expect(page.locator("script", has_text="alert(1)")).to_have_count(0)
    expect(page.locator("strong", has_text="markdown")).to_have_count(0)
    expect(page.locator('a[href="http://example.invalid"]')).to_have_count(0)
    screenshot("trace_user_text")


def test_sessions_page_lists_the_session_and_opens_its_traces(
    page: Page, dashboard: RunningDashboard, seed: Seed, screenshot: Screenshot
) -> None:
    page.goto(f"{dashboard.url}/sessions")

    session_cell = _grid_cells(page, re.compile(f"^{seed.session_id}$"))
    expect(session_cell).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, re.compile(f"^{seed.user_id}$"))).to_have_count(1)
    screenshot("sessions")

    _click_first_row_selector(page)

    expect(page.get_by_label("Filter", exact=True)).to_have_value(
        f"session_id = '{seed.session_id}'", timeout=_TIMEOUT_MS
    )
    expect(_grid_cells(page, seed.slow.name)).to_have_count(1, timeout=_TIMEOUT_MS)


def test_unreachable_collector_is_explained_with_its_url(
    page: Page, tmp_path: Path, screenshot: Screenshot
) -> None:
    api_url = f"http://127.0.0.1:{free_port()}"
    dashboard = start_dashboard(tmp_path / "dashboard", api_url, {})
    try:
        page.goto(dashboard.url)

        alert = page.get_by_test_id("stAlert")
        expect(alert).to_contain_text("Cannot reach the Lanterna collector", timeout=_TIMEOUT_MS)
        expect(alert).to_contain_text(api_url)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        screenshot("collector_unreachable")
    finally:
        stop_dashboard(dashboard)


def test_project_chosen_in_the_sidebar_shows_its_traces_and_stays_in_links(
    page: Page, dashboard: RunningDashboard, seed: Seed, collector: Any, screenshot: Screenshot
) -> None:
    other = seed_traces(collector.url)
    page.goto(dashboard.url)
    expect(_grid_cells(page, seed.slow.name)).to_have_count(1, timeout=_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(f"project={seed.project}"))

    _select_project(page, other.project)

    expect(page).to_have_url(re.compile(f"project={other.project}"), timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, other.session_id)).to_have_count(3, timeout=_TIMEOUT_MS)
    expect(_grid_cells(page, seed.session_id)).to_have_count(0)
    screenshot("traces_other_project")

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Sessions").click()
    expect(_grid_cells(page, re.compile(f"^{other.session_id}$"))).to_have_count(
        1, timeout=_TIMEOUT_MS
    )
    expect(_grid_cells(page, re.compile(f"^{seed.session_id}$"))).to_have_count(0)
    expect(page).to_have_url(re.compile(f"project={other.project}"))


def test_malformed_trace_id_is_called_not_valid(
    page: Page, dashboard: RunningDashboard, screenshot: Screenshot
) -> None:
    page.goto(f"{dashboard.url}/trace?trace_id=not-a-trace")

    alert = page.get_by_test_id("stAlert")
    expect(alert).to_contain_text("This is not a valid trace id", timeout=_TIMEOUT_MS)
    expect(alert).to_contain_text("not 32 hex characters")
    expect(alert).not_to_contain_text("could not answer")
    screenshot("trace_malformed_id")


def test_unknown_trace_id_says_no_trace_was_found_in_the_project(
    page: Page, dashboard: RunningDashboard, seed: Seed
) -> None:
    page.goto(f"{dashboard.url}/trace?trace_id={'0' * 32}")

    alert = page.get_by_test_id("stAlert")
    expect(alert).to_contain_text("No trace with this id found", timeout=_TIMEOUT_MS)
    expect(alert).to_contain_text(seed.project)
