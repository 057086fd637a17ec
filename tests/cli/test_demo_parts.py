"""The demo's pieces on their own: the corpus, the retrieval and the built-in model's answers."""

from __future__ import annotations

import pytest
from lanterna_cli.demo.answers import compose_answer, lookup_line, passage_line
from lanterna_cli.demo.corpus import STDLIB_MODULES, load_corpus, split_into_passages
from lanterna_cli.demo.retrieval import PassageIndex
from lanterna_cli.demo.script import CONVERSATIONS

_MIN_MODULES_WITH_DOCS = 100


@pytest.fixture(scope="module")
def index() -> PassageIndex:
    return PassageIndex(load_corpus())


def test_corpus_holds_passages_from_over_a_hundred_stdlib_modules() -> None:
    passages = load_corpus()

    assert len({passage.module for passage in passages}) >= _MIN_MODULES_WITH_DOCS
    assert all(passage.module in STDLIB_MODULES for passage in passages)
    assert all(passage.text.strip() == passage.text and passage.text for passage in passages)


def test_modules_that_cannot_be_imported_are_left_out() -> None:
    assert load_corpus(("json", "no_such_module_anywhere")) == load_corpus(("json",))


def test_long_docstrings_are_cut_at_paragraphs_into_numbered_passages() -> None:
    paragraph = "word " * 150
    text = "\n\n".join([paragraph] * 4)

    passages = split_into_passages("demo", text)

    assert [passage.index for passage in passages] == [0, 1, 2, 3]
    assert all(passage.text == paragraph.strip() for passage in passages)


@pytest.mark.parametrize(
    ("question", "module"),
    [
        ("How do I parse JSON text into Python objects?", "json"),
        ("How do I create temporary files and directories?", "tempfile"),
        ("How do I do exact decimal arithmetic?", "decimal"),
    ],
)
def test_retrieval_finds_the_module_a_question_is_about(
    index: PassageIndex, question: str, module: str
) -> None:
    found = index.search(question, limit=5)

    assert module in {item.passage.module for item in found}
    assert [item.score for item in found] == sorted((item.score for item in found), reverse=True)


def test_retrieval_returns_nothing_for_words_no_passage_has(index: PassageIndex) -> None:
    assert index.search("zzyzx qwxrtp", limit=5) == []


def test_an_empty_corpus_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least one passage"):
        PassageIndex([])


def test_answer_quotes_the_first_passage_and_names_the_others() -> None:
    prompt = "\n".join(
        [
            "Question: how?",
            passage_line("json", "JSON is a format. It is text. It nests."),
            passage_line("csv", "CSV files hold rows."),
        ]
    )

    answer = compose_answer(prompt)

    assert answer == (
        "The `json` module is the place to look: JSON is a format. It is text. See also: `csv`."
    )


def test_answer_says_so_when_a_looked_up_module_does_not_exist() -> None:
    note = lookup_line({"module": "flux", "error": "ModuleNotFoundError: No module named 'flux'"})

    answer = compose_answer(f"{passage_line('re', 'Regular expressions.')}\n{note}")

    assert answer.startswith("There is no module `flux` here. The `re` module")


def test_answer_without_passages_admits_it_found_nothing() -> None:
    assert "found nothing" in compose_answer("Question: anything?")


def test_the_script_has_four_users_six_sessions_and_twenty_questions() -> None:
    assert len({conversation.user_id for conversation in CONVERSATIONS}) == 4
    assert len(CONVERSATIONS) == 6
    assert sum(len(conversation.questions) for conversation in CONVERSATIONS) == 20
