"""Automatic tracing of third-party clients through OpenTelemetry instrumentations.

Each supported library is traced by a well-kept instrumentation, imported only
when asked for, so that the SDK itself stays free of those packages.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, Final

from opentelemetry import trace

from lanterna import _provider

logger = logging.getLogger(__name__)

# Library name -> (instrumentation module, instrumentor class, pip extra to install).
_INSTRUMENTATIONS: Final = {
    "openai": ("openinference.instrumentation.openai", "OpenAIInstrumentor", "openai"),
}

_instrumentors: dict[str, Any] = {}


def autolog(library: str, *, enabled: bool = True) -> None:
    """Trace every call of a client library, such as the ``openai`` client.

    The spans (sync, async and streaming calls) carry the model, the messages,
    the completion and the token counts in OpenInference attributes
    (``llm.model_name``, ``llm.token_count.*``, ``input.value``, ...) and nest
    under the current Lanterna span. Calling it again is harmless.

    Args:
        library: The library to trace; currently ``"openai"``.
        enabled: False switches the tracing of that library off again.

    Raises:
        ValueError: ``library`` is not one Lanterna knows.
        ImportError: The instrumentation is not installed; the message names
            the extra to install.
    """
    if library not in _INSTRUMENTATIONS:
        known = ", ".join(sorted(_INSTRUMENTATIONS))
        raise ValueError(f"autolog does not know the library {library!r}; known: {known}.")
    module_name, class_name, extra = _INSTRUMENTATIONS[library]
    if not enabled:
        instrumentor = _instrumentors.pop(library, None)
        if instrumentor is not None:
            instrumentor.uninstrument()
        return
    if library in _instrumentors:
        return
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(
            f"autolog({library!r}) needs the {module_name!r} package; "
            f"install it with: pip install 'lanterna[{extra}]'"
        ) from exc
    _provider.runtime()  # make sure Lanterna's processor is on the global provider
    instrumentor = getattr(module, class_name)()
    instrumentor.instrument(tracer_provider=trace.get_tracer_provider())
    _instrumentors[library] = instrumentor
    logger.info("Tracing the %s client.", library)
