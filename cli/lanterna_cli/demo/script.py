"""Who asks the demo agent what: users, their sessions and their questions."""

from __future__ import annotations

from dataclasses import dataclass

from lanterna.testing._openai_server import SERVER_ERROR_MARKER

# One question is meant to fail at the model endpoint: a real endpoint does not
# know this model, and the built-in one answers HTTP 500 to the marker.
UNAVAILABLE_MODEL = "lanterna-demo-unavailable"


@dataclass(frozen=True)
class Question:
    """One question; ``stream`` asks for a streamed completion, ``model`` overrides the model."""

    text: str
    stream: bool = False
    model: str | None = None


@dataclass(frozen=True)
class Conversation:
    """A session: one user asking several questions in a row."""

    name: str
    user_id: str
    questions: tuple[Question, ...]


CONVERSATIONS: tuple[Conversation, ...] = (
    Conversation(
        "parsing-data",
        "ada",
        (
            Question("How do I parse JSON text into Python objects?"),
            Question("How can I read and write CSV files?", stream=True),
            Question("What does the `tomllib` module do?"),
            Question("How do I parse HTML documents?"),
        ),
    ),
    Conversation(
        "concurrency",
        "grace",
        (
            Question("How do I write concurrent code with async and await?", stream=True),
            Question("How do threads share work through a queue?"),
            Question("What does the `concurrent.futures` module do?"),
        ),
    ),
    Conversation(
        "files-and-paths",
        "linus",
        (
            Question("How do I work with filesystem paths as objects?"),
            Question("How do I create temporary files and directories?", stream=True),
            Question("What does the `flux_capacitor` module do?"),
            Question("How can I copy and remove directory trees?"),
        ),
    ),
    Conversation(
        "text-processing",
        "margaret",
        (
            Question("How do regular expressions match text?"),
            Question("How do I wrap and fill paragraphs of text?", stream=True),
            Question("How do I compare two sequences and show a diff?"),
        ),
    ),
    Conversation(
        "numbers",
        "ada",
        (
            Question("How do I do exact decimal arithmetic?"),
            Question("What does the `statistics` module do?", stream=True),
            Question(
                f"Summarise the fractions module. {SERVER_ERROR_MARKER}", model=UNAVAILABLE_MODEL
            ),
        ),
    ),
    Conversation(
        "networking",
        "grace",
        (
            Question("How do I start a simple HTTP server?"),
            Question("How do I split a URL into its parts?", stream=True),
            Question("What does the `socket` module do?"),
        ),
    ),
)
