"""Fixtures for the browser tests: seeded data, a dashboard process and a Chromium page."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from dashboard_process import PAGE_SIZE, RunningDashboard, start_dashboard, stop_dashboard
from dashboard_seed import Seed, seed_traces
from playwright.sync_api import Browser, Page

ARTIFACTS_DIR: Final = Path(__file__).resolve().parent / "_artifacts"


@pytest.fixture(scope="module")
def seed(collector: Any) -> Seed:
    """Four traces in a project of their own, so other tests' data never shows up."""
    return seed_traces(collector.url)


@pytest.fixture(scope="module")
def dashboard(
    collector: Any, seed: Seed, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningDashboard]:
    """The dashboard reading the seeded project, with pages of three rows to exercise paging."""
    running = start_dashboard(
        tmp_path_factory.mktemp("dashboard"),
        collector.url,
        {"LANTERNA_PROJECT": seed.project, "LANTERNA_PAGE_SIZE": str(PAGE_SIZE)},
    )
    yield running
    stop_dashboard(running)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab where any JavaScript dialog (an alert from injected HTML) fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
    assert dialogs == [], f"a JavaScript dialog opened: {dialogs}"


@pytest.fixture
def screenshot(page: Page, tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Call ``screenshot(name)`` to save the full page into the test folder and the artifacts."""

    def take(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        shutil.copy(path, ARTIFACTS_DIR / path.name)
        return path

    yield take
