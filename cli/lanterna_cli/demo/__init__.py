"""The demo: a traced retrieval agent over the standard library's documentation."""

from lanterna_cli.demo.runner import DemoError, DemoOptions, DemoReport, run_demo

__all__ = ["DemoError", "DemoOptions", "DemoReport", "run_demo"]
