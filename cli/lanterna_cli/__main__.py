"""Run the ``lanterna`` command as ``python -m lanterna_cli``."""

from lanterna_cli.main import main

if __name__ == "__main__":
    main()
