"""How the demo's built-in model answers: it quotes the passages found in its prompt.

The demo prompt lists each retrieved passage on its own line as
``[module] text``; the answer names the best module and quotes the opening
sentences of its passage, so every answer is grounded in what was retrieved.
"""

from __future__ import annotations

import re

_PASSAGE_LINE = re.compile(r"^\[(?P<module>[\w.]+)\] (?P<text>.+)$", re.MULTILINE)
_FAILED_LOOKUP_LINE = re.compile(r"^Lookup of `(?P<module>[\w.]+)` failed", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SENTENCES_QUOTED = 2
_NO_CONTEXT_ANSWER = "I found nothing about that in the standard library's documentation."


def passage_line(module: str, text: str) -> str:
    """Format one retrieved passage the way :func:`compose_answer` reads it back."""
    return f"[{module}] {text}"


def lookup_line(fact: dict[str, object]) -> str:
    """Format the result of a module lookup the way :func:`compose_answer` reads it back."""
    if "error" in fact:
        return f"Lookup of `{fact['module']}` failed: {fact['error']}"
    return f"`{fact['module']}`: {fact['summary']} ({fact['public_names']} public names)"


def compose_answer(prompt: str) -> str:
    """Answer from the first passage in ``prompt`` and mention the other modules seen."""
    missing = [match["module"] for match in _FAILED_LOOKUP_LINE.finditer(prompt)]
    prefix = "".join(f"There is no module `{name}` here. " for name in missing)
    found = list(_PASSAGE_LINE.finditer(prompt))
    if not found:
        return prefix + _NO_CONTEXT_ANSWER
    best = found[0]
    sentences = _SENTENCE_END.split(best["text"].strip())
    quoted = " ".join(sentences[:_SENTENCES_QUOTED])
    answer = f"{prefix}The `{best['module']}` module is the place to look: {quoted}"
    others = sorted({match["module"] for match in found[1:]} - {best["module"]})
    if others:
        answer += " See also: " + ", ".join(f"`{name}`" for name in others) + "."
    return answer
