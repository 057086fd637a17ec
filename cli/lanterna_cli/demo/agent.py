"""A traced retrieval agent that answers questions about the Python standard library.

Each answer is one trace: ``answer`` (AGENT) runs ``plan`` (CHAIN), maybe
``lookup_module`` (TOOL), ``retrieve`` (RETRIEVER), ``rerank`` (RERANKER),
``generate`` (CHAIN around the OpenAI call, which autolog records as the LLM
span) and ``parse`` (PARSER).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import lanterna
import openai
from lanterna import SpanType

from lanterna_cli.demo.answers import lookup_line, passage_line
from lanterna_cli.demo.retrieval import PassageIndex

_MODULE_MENTION = re.compile(r"`([\w.]+)`")
_RETRIEVE_LIMIT = 8
_RERANK_LIMIT = 3
_MODULE_NAME_BONUS = 0.5
_SUMMARY_CHARS = 200
_SYSTEM_PROMPT = (
    "You answer questions about the Python standard library. Use only the passages given, "
    "each on its own line as [module] text, and name the module you rely on."
)


class RetrievalAgent:
    """Answers questions from stdlib docstrings with retrieval and one LLM call."""

    def __init__(self, index: PassageIndex, client: openai.OpenAI, model: str) -> None:
        self._index = index
        self._client = client
        self._model = model

    @lanterna.trace(span_type=SpanType.AGENT)
    def answer(
        self, question: str, stream: bool = False, model: str | None = None
    ) -> dict[str, Any]:
        """Plan, look modules up, retrieve, rerank, generate and parse one answer."""
        plan = self.plan(question)
        facts = [self._safe_lookup(name) for name in plan["lookup_modules"]]
        passages = self.retrieve(plan["search_query"])
        best = self.rerank(question, passages)
        text = self.generate(question, best, facts, stream=stream, model=model or self._model)
        return self.parse(text)

    @lanterna.trace(span_type=SpanType.CHAIN)
    def plan(self, question: str) -> dict[str, Any]:
        """Decide what to search for and which modules to look up directly."""
        mentioned = _MODULE_MENTION.findall(question)
        search_query = _MODULE_MENTION.sub(r"\1", question)
        return {"search_query": search_query, "lookup_modules": mentioned}

    @lanterna.trace(span_type=SpanType.TOOL)
    def lookup_module(self, name: str) -> dict[str, Any]:
        """Import a module by name and summarise it; raises if there is no such module."""
        module = importlib.import_module(name)
        summary = (module.__doc__ or "").strip().split("\n", 1)[0][:_SUMMARY_CHARS]
        public_names = [n for n in dir(module) if not n.startswith("_")]
        return {"module": name, "summary": summary, "public_names": len(public_names)}

    def _safe_lookup(self, name: str) -> dict[str, Any]:
        # A failed tool call is recorded on its own span; the agent answers anyway.
        try:
            return self.lookup_module(name)
        except ImportError as error:
            return {"module": name, "error": f"{type(error).__name__}: {error}"}

    @lanterna.trace(span_type=SpanType.RETRIEVER)
    def retrieve(self, query: str) -> list[dict[str, Any]]:
        """Return the passages closest to ``query`` with their module names and scores."""
        return [found.to_dict() for found in self._index.search(query, _RETRIEVE_LIMIT)]

    @lanterna.trace(span_type=SpanType.RERANKER)
    def rerank(self, question: str, passages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Prefer passages from modules the question names; keep the best three."""
        words = set(re.findall(r"[\w.]+", question.lower()))

        def boosted(passage: dict[str, Any]) -> float:
            bonus = _MODULE_NAME_BONUS if passage["module"] in words else 0.0
            return float(passage["score"]) + bonus

        ranked = sorted(passages, key=boosted, reverse=True)[:_RERANK_LIMIT]
        return [{**passage, "rerank_score": round(boosted(passage), 4)} for passage in ranked]

    @lanterna.trace(span_type=SpanType.CHAIN)
    def generate(
        self,
        question: str,
        passages: list[dict[str, Any]],
        facts: list[dict[str, Any]],
        stream: bool,
        model: str,
    ) -> str:
        """Ask the model, streamed or not, with the passages as context."""
        context = "\n".join(passage_line(p["module"], p["text"]) for p in passages)
        notes = "\n".join(lookup_line(fact) for fact in facts)
        messages: list[Any] = [
            {"role": "system", "content": _SYSTEM_PROMPT},
            {"role": "user", "content": f"Question: {question}\n{context}\nNotes:\n{notes}"},
        ]
        if not stream:
            completion = self._client.chat.completions.create(model=model, messages=messages)
            return completion.choices[0].message.content or ""

        stream_options: Any = {"include_usage": True}
        with self._client.chat.completions.create(
            model=model, messages=messages, stream=True, stream_options=stream_options
        ) as chunks:
            return "".join(
                chunk.choices[0].delta.content or ""
                for chunk in chunks
                if chunk.choices and chunk.choices[0].delta
            )

    @lanterna.trace(span_type=SpanType.PARSER)
    def parse(self, text: str) -> dict[str, Any]:
        """Split the model's text into the answer and the modules it cites."""
        cited = sorted(set(_MODULE_MENTION.findall(text)))
        return {"answer": text, "cited_modules": cited}
