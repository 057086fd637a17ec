"""Dependencies between Lanterna's parts point one way; a reverse edge fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]

# Which top-level packages each part may import from Lanterna itself.
_ALLOWED: dict[str, set[str]] = {
    "sdk/lanterna": {"lanterna"},
    "collector/lanterna_collector": {"lanterna_collector", "lanterna"},
    "evaluator/lanterna_evaluator": {"lanterna_evaluator", "lanterna"},
    "dashboard/lanterna_dashboard": {"lanterna_dashboard"},
    "cli/lanterna_cli": {"lanterna_cli", "lanterna", "lanterna_collector", "lanterna_dashboard"},
}
_OURS = {
    "lanterna",
    "lanterna_collector",
    "lanterna_evaluator",
    "lanterna_dashboard",
    "lanterna_cli",
}
# What the SDK may import from outside the standard library: it must stay light.
_SDK_THIRD_PARTY = {"opentelemetry", "httpx", "openinference", "openai"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("part", sorted(_ALLOWED))
def test_part_imports_only_what_it_may(part: str) -> None:
    offending = []
    for path in sorted((_ROOT / part).rglob("*.py")):
        reached = (_imported_roots(path) & _OURS) - _ALLOWED[part]
        offending.extend(f"{path.relative_to(_ROOT)} imports {name}" for name in sorted(reached))
    assert offending == []


def test_sdk_imports_nothing_heavy() -> None:
    import sys

    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    offending = []
    for path in sorted((_ROOT / "sdk/lanterna").rglob("*.py")):
        foreign = _imported_roots(path) - stdlib - _OURS - _SDK_THIRD_PARTY
        offending.extend(f"{path.relative_to(_ROOT)} imports {name}" for name in sorted(foreign))
    assert offending == []
