"""The ``lanterna`` command: start the stack, the collector, the dashboard or the demo."""
