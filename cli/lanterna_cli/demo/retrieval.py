"""TF-IDF retrieval over the demo's passages, with scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from lanterna_cli.demo.corpus import Passage


@dataclass(frozen=True)
class ScoredPassage:
    """A passage and how well it matches a query (cosine similarity, 0 to 1)."""

    passage: Passage
    score: float

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-friendly form recorded on spans."""
        return {
            "module": self.passage.module,
            "index": self.passage.index,
            "score": round(self.score, 4),
            "text": self.passage.text,
        }


class PassageIndex:
    """Finds the passages closest to a question by TF-IDF cosine similarity."""

    def __init__(self, passages: list[Passage]) -> None:
        if not passages:
            raise ValueError("the passage index needs at least one passage; the corpus was empty")
        self._passages = passages
        # Module names are part of each document so that "the json module" finds json.
        documents = [f"{p.module} {p.module.replace('.', ' ')} {p.text}" for p in passages]
        self._vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform(documents)

    def __len__(self) -> int:
        return len(self._passages)

    def search(self, query: str, limit: int) -> list[ScoredPassage]:
        """Return up to ``limit`` passages with a positive score, best first."""
        query_vector = self._vectorizer.transform([query])
        scores = linear_kernel(query_vector, self._matrix).ravel()
        best = scores.argsort()[::-1][:limit]
        return [
            ScoredPassage(self._passages[int(i)], float(scores[i])) for i in best if scores[i] > 0
        ]
