"""Entry point of the ``lanterna`` script.

The script is installed with the SDK alone, whose dependencies do not include
the command-line toolkit; this module therefore imports nothing beyond the
standard library until it knows the toolkit is there.
"""

from __future__ import annotations

import sys

_MISSING_EXTRA_MESSAGE = (
    "the lanterna command needs the server extra: pip install 'lanterna[all]' (missing module: {})"
)
_CLI_MODULES = ("typer", "pydantic_settings")


def main() -> None:
    """Run the command line, or explain in one line which extra to install."""
    for module_name in _CLI_MODULES:
        try:
            __import__(module_name)
        except ModuleNotFoundError:
            print(_MISSING_EXTRA_MESSAGE.format(module_name), file=sys.stderr)
            sys.exit(1)

    from lanterna_cli.app import app

    app()
