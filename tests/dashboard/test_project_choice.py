"""Which project the dashboard opens on when the URL names none."""

from __future__ import annotations

from lanterna_dashboard.models import ProjectSummary
from lanterna_dashboard.project_choice import default_project, project_options


def _projects(*names: str) -> list[ProjectSummary]:
    return [ProjectSummary(name=name, trace_count=1) for name in names]


def test_configured_project_wins_even_when_it_holds_no_traces() -> None:
    assert default_project("staging", _projects("support-bot", "default")) == "staging"


def test_default_project_is_chosen_when_it_holds_traces() -> None:
    assert default_project(None, _projects("support-bot", "default")) == "default"


def test_most_recently_active_project_is_chosen_when_default_is_empty() -> None:
    assert default_project(None, _projects("support-bot", "batch-jobs")) == "support-bot"


def test_without_any_project_the_default_one_is_shown() -> None:
    assert default_project(None, []) == "default"


def test_options_keep_a_project_from_the_url_that_holds_no_traces() -> None:
    assert project_options("typo", _projects("a", "b")) == ["typo", "a", "b"]
    assert project_options("b", _projects("a", "b")) == ["a", "b"]
