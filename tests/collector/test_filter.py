"""Parsing and compiling search filters, without a database."""

from __future__ import annotations

import random
import re

import pytest
from lanterna_collector.query import (
    MAX_FILTER_CHARS,
    MAX_NESTING,
    And,
    Comparison,
    CompiledFilter,
    FilterError,
    Not,
    Operator,
    Or,
    compile_trace_filter,
    parse_filter,
)

_PLACEHOLDER = re.compile(r"\{(\w+):[\w()]+\}")


def _eq(field: str, value: object, key: str | None = None) -> Comparison:
    return Comparison(field, Operator.EQ, value, key)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_blank_filter_parses_to_nothing_and_compiles_to_match_all(text: str) -> None:
    assert parse_filter(text) is None
    assert compile_trace_filter(text) == CompiledFilter("1", {})


def test_and_binds_tighter_than_or() -> None:
    tree = parse_filter("name = 'a' OR name = 'b' AND user = 'c'")

    assert tree == Or((_eq("name", "a"), And((_eq("name", "b"), _eq("user_id", "c")))))


def test_parentheses_override_precedence() -> None:
    tree = parse_filter("(name = 'a' OR name = 'b') AND user = 'c'")

    assert tree == And((Or((_eq("name", "a"), _eq("name", "b"))), _eq("user_id", "c")))


def test_not_applies_to_the_next_condition_only() -> None:
    tree = parse_filter("NOT name = 'a' AND not (user = 'b')")

    assert tree == And((Not(_eq("name", "a")), Not(_eq("user_id", "b"))))


def test_keywords_are_case_insensitive_and_field_names_are_too() -> None:
    lower = parse_filter("name contains 'x' and not status in ('ok') or Tags = 'y'")
    upper = parse_filter("NAME CONTAINS 'x' AND NOT STATUS IN ('ok') OR TAGS = 'y'")

    assert lower == upper
    assert isinstance(lower, Or)


def test_field_names_that_start_with_a_keyword_are_fields() -> None:
    with pytest.raises(FilterError, match="Unknown field 'notes'"):
        parse_filter("notes = 'x'")
    assert parse_filter("input contains 'x'") == Comparison("inputs", Operator.CONTAINS, "x")


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("trace.name", "name"),
        ("latency_ms", "duration_ms"),
        ("session", "session_id"),
        ("user", "user_id"),
        ("tag", "tags"),
        ("timestamp", "start_time"),
        ("span_type", "span.type"),
        ("span_name", "span.name"),
        ("input", "inputs"),
        ("output", "outputs"),
    ],
)
def test_field_aliases_resolve_to_one_canonical_name(alias: str, canonical: str) -> None:
    tree = parse_filter(f"{alias} = 'x'")

    assert isinstance(tree, Comparison)
    assert tree.field == canonical


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("=", Operator.EQ),
        ("==", Operator.EQ),
        ("!=", Operator.NE),
        ("<>", Operator.NE),
        ("<", Operator.LT),
        ("<=", Operator.LE),
        (">", Operator.GT),
        (">=", Operator.GE),
        ("CONTAINS", Operator.CONTAINS),
        ("not contains", Operator.NOT_CONTAINS),
        ("LIKE", Operator.LIKE),
        ("NOT LIKE", Operator.NOT_LIKE),
        ("ilike", Operator.ILIKE),
        ("not ilike", Operator.NOT_ILIKE),
    ],
)
def test_every_comparison_operator_is_read(text: str, op: Operator) -> None:
    tree = parse_filter(f"attributes.k {text} 'v'")

    assert tree == Comparison("attributes", op, "v", "k")


def test_in_and_not_in_read_a_list_of_values() -> None:
    assert parse_filter("name IN ('a', \"b\")") == Comparison("name", Operator.IN, ("a", "b"))
    assert parse_filter("duration_ms not in (1,2.5)") == Comparison(
        "duration_ms", Operator.NOT_IN, (1, 2.5)
    )


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("2.5", 2.5),
        ("-0.25", -0.25),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("true", True),
        ("FALSE", False),
        ("'single'", "single"),
        ('"double"', "double"),
        ("''", ""),
    ],
)
def test_values_are_read_with_their_types(literal: str, value: object) -> None:
    tree = parse_filter(f"attributes.k = {literal}")

    assert isinstance(tree, Comparison)
    assert tree.value == value
    assert type(tree.value) is type(value)


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (r"'it\'s'", "it's"),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'back\\slash'", "back\\slash"),
        (r"'line\nbreak'", "line\nbreak"),
        (r"'tab\there'", "tab\there"),
        ("'a \"mixed\" quote'", 'a "mixed" quote'),
        (r"'100\%'", r"100\%"),
    ],
)
def test_string_escapes_are_resolved_and_unknown_ones_kept_for_like(
    literal: str, value: str
) -> None:
    tree = parse_filter(f"name = {literal}")

    assert isinstance(tree, Comparison)
    assert tree.value == value


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("attributes.http.status_code", "http.status_code"),
        ("attributes.`my key.with dots`", "my key.with dots"),
        ("attributes.gen_ai.`odd key`.x", "gen_ai.odd key.x"),
        (r"attributes.`back\`tick`", "back`tick"),
        ("attributes.llm.input_messages.0.message.role", "llm.input_messages.0.message.role"),
        ("attributes.x-request-id", "x-request-id"),
        ("Attributes.Case.Kept", "Case.Kept"),
    ],
)
def test_attribute_keys_keep_dots_backticks_and_case(field: str, key: str) -> None:
    tree = parse_filter(f"{field} = 'v'")

    assert tree == Comparison("attributes", Operator.EQ, "v", key)


def test_compiled_sql_holds_placeholders_and_never_the_values() -> None:
    compiled = compile_trace_filter(
        "name = 'secret-name' AND duration_ms > 12.5 AND span_count >= 3 "
        "AND attributes.`k'ey` contains 'needle'"
    )

    assert "secret-name" not in compiled.sql
    assert "needle" not in compiled.sql
    assert "k'ey" not in compiled.sql
    assert set(compiled.parameters.values()) == {"secret-name", 12.5, 3, "k'ey", "needle"}
    names = set(_PLACEHOLDER.findall(compiled.sql)) - {"project"}
    assert names == set(compiled.parameters)
    assert all(name.startswith("f_") for name in compiled.parameters)


def test_numbers_bind_as_int64_or_float64() -> None:
    compiled = compile_trace_filter("span_count = 2 AND cost_usd < 0.5")

    assert "span_count = {f_0:Int64}" in compiled.sql
    assert "cost_usd < {f_1:Float64}" in compiled.sql


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("status = 'error'", "ERROR"),
        ("status = ' Ok '", "OK"),
        ("span.status = 'ok'", "OK"),
        ("span.type = 'llm'", "LLM"),
        ("span_type = 'Retriever'", "RETRIEVER"),
    ],
)
def test_status_and_span_type_values_are_upper_cased(text: str, value: str) -> None:
    assert compile_trace_filter(text).parameters["f_0"] == value


@pytest.mark.parametrize(
    ("value", "unix_nano"),
    [
        ("1970-01-01", 0),
        ("1600-01-01", 0),
        ("9999-12-31", 2**64 - 1),
        ("2026-01-01", 1_767_225_600_000_000_000),
        ("2026-01-01T10:00:00Z", 1_767_261_600_000_000_000),
        ("2026-01-01T11:00:00+01:00", 1_767_261_600_000_000_000),
        ("2026-01-01T10:00:00.000001", 1_767_261_600_000_001_000),
    ],
)
def test_times_compile_to_unix_nanoseconds_in_utc(value: str, unix_nano: int) -> None:
    compiled = compile_trace_filter(f"start_time >= '{value}'")

    assert compiled.sql == "start_time_unix_nano >= {f_0:UInt64}"
    assert compiled.parameters == {"f_0": unix_nano}


def test_trace_fields_compile_against_the_trace_row() -> None:
    compiled = compile_trace_filter("tags = 'prod' AND name != 'x'")

    assert compiled.sql == "(has(tags, {f_0:String}) AND (NOT (name = {f_1:String})))"


def test_span_fields_compile_to_a_project_scoped_span_subquery() -> None:
    compiled = compile_trace_filter("model = 'gpt-4o'")

    assert compiled.sql == (
        "trace_id IN (SELECT trace_id FROM spans WHERE project = {project:String} "
        "AND model = {f_0:String})"
    )


def test_negated_span_conditions_mean_no_span_of_the_trace_matches() -> None:
    compiled = compile_trace_filter("model != 'gpt-4o'")

    assert compiled.sql.startswith("trace_id NOT IN (SELECT trace_id FROM spans")
    assert "model = {f_0:String}" in compiled.sql


def test_numeric_attribute_comparisons_convert_the_text_value() -> None:
    compiled = compile_trace_filter("attributes.http.status_code >= 500")

    assert "toFloat64OrNull(attributes[{f_0:String}]) >= {f_1:Int64}" in compiled.sql
    assert compiled.parameters == {"f_0": "http.status_code", "f_1": 500}


def test_text_search_is_case_insensitive_over_inputs_and_outputs() -> None:
    compiled = compile_trace_filter("text contains 'Paris'")

    assert "positionCaseInsensitiveUTF8(inputs, {f_0:String}) > 0" in compiled.sql
    assert "positionCaseInsensitiveUTF8(outputs, {f_0:String}) > 0" in compiled.sql


# Each case: filter text, 0-based position of the problem, a fragment of the message.
_ERRORS = [
    ("name = 'abc", 7, 'Unterminated string "\'abc"'),
    ('name = "abc', 7, "Unterminated string"),
    ("nme = 'x'", 0, "Unknown field 'nme' at position 0. Did you mean 'name'?"),
    ("name = 'x' AND duraton_ms > 1", 15, "Did you mean 'duration_ms'"),
    ("colour = 'x'", 0, "Known fields: name, status"),
    ("name ~ 'x'", 5, "Unexpected '~' at position 5: expected an operator"),
    ("name = = 'x'", 7, "expected a value"),
    ("name = 'x' garbage", 11, "Unexpected 'garbage' at position 11"),
    ("name = 'x')", 10, "Unexpected ')' at position 10"),
    ("()", 1, "Empty parentheses"),
    ("name = 'x' AND ()", 16, "Empty parentheses"),
    ("(name = 'x'", 11, "ends too early at position 11: expected ')'"),
    ("name = 'x' AND", 14, "ends too early"),
    ("name", 4, "expected an operator"),
    ("AND name = 'x'", 0, "Unexpected 'AND' at position 0"),
    ("name IN ()", 9, "expected a value"),
    ("name IN ('a' 'b')", 13, "expected ',' or ')'"),
    ("duration_ms > 'abc'", 14, "duration_ms compares with a number, got the string 'abc'"),
    ("name = 5", 7, "name compares with a quoted string, got the number 5"),
    ("user = true", 7, "got the boolean true"),
    ("duration_ms IN (1, 'two')", 16, "got the string 'two'"),
    ("duration_ms contains 5", 12, "'CONTAINS' at position 12 does not apply to duration_ms"),
    ("name > 'a'", 5, "'>' at position 5 does not apply to name"),
    ("tags < 'a'", 5, "does not apply to tags"),
    (r"name LIKE 'a\\'", 10, "ends with a lone backslash"),
    (r"attributes.k NOT ILIKE '\\'", 23, "ends with a lone backslash"),
    ("status = 'broken'", 9, "Unknown status 'broken' at position 9; status is one of 'OK'"),
    ("span.status = 'meh'", 14, "'OK', 'ERROR'"),
    ("status contains 'E'", 7, "does not apply to status"),
    ("start_time > '2026-13-01'", 13, "ISO 8601 date"),
    ("timestamp > 'yesterday'", 12, "got 'yesterday'"),
    ("start_time > 5", 13, "got the number 5"),
    ("attributes = 'x'", 0, "needs an attribute key"),
    ("attributes.k > 'a'", 13, "does not apply to attributes.k"),
    ("attributes.k contains 5", 13, "does not apply to attributes.k"),
    ("name = 99999999999999999999", 7, "too large"),
    ("duration_ms > 1e999", 14, "finite number"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), _ERRORS)
def test_bad_filters_raise_filter_error_with_position_and_clear_message(
    text: str, position: int, fragment: str
) -> None:
    with pytest.raises(FilterError) as caught:
        compile_trace_filter(text)

    assert caught.value.position == position
    assert fragment in caught.value.message
    assert str(caught.value) == caught.value.message


def test_filter_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown field"):
        compile_trace_filter("bogus = 1")


def test_too_long_filter_is_rejected_before_parsing() -> None:
    condition = "name = 'x' OR "
    text = condition * (MAX_FILTER_CHARS // len(condition) + 1) + "name = 'y'"

    with pytest.raises(FilterError, match="limit is 4096") as caught:
        compile_trace_filter(text)
    assert caught.value.position == MAX_FILTER_CHARS


def test_filter_at_the_length_limit_is_accepted() -> None:
    text = "name = '" + "x" * (MAX_FILTER_CHARS - 9) + "'"

    assert len(text) == MAX_FILTER_CHARS
    assert compile_trace_filter(text).parameters == {"f_0": "x" * (MAX_FILTER_CHARS - 9)}


def test_nesting_up_to_the_limit_is_accepted() -> None:
    text = "(" * MAX_NESTING + "name = 'x'" + ")" * MAX_NESTING

    assert parse_filter(text) == _eq("name", "x")


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("(" * 51 + "name = 'x'" + ")" * 51, 50),
        ("NOT " * 51 + "name = 'x'", 200),
        # Each "NOT (" is two levels, so the 26th NOT is the 51st level.
        ("NOT (" * 26 + "name = 'x'" + ")" * 26, 125),
    ],
)
def test_nesting_past_the_limit_is_rejected_at_the_first_level_too_deep(
    text: str, position: int
) -> None:
    with pytest.raises(FilterError, match=f"more than {MAX_NESTING} deep") as caught:
        parse_filter(text)

    assert caught.value.position == position


def test_thousands_of_parentheses_give_a_filter_error_not_a_crash() -> None:
    text = "(" * 2000 + "name = 'x'" + ")" * 2000

    with pytest.raises(FilterError, match="deep"):
        parse_filter(text)


def test_non_text_input_is_a_filter_error() -> None:
    with pytest.raises(FilterError, match="must be text"):
        parse_filter(42)  # type: ignore[arg-type]


_FRAGMENTS = [
    "name",
    "status",
    "duration_ms",
    "attributes.a.b",
    "attributes.`x y`",
    "tags",
    "model",
    "span.type",
    "start_time",
    "text",
    "=",
    "!=",
    "<",
    ">=",
    "==",
    "<>",
    "CONTAINS",
    "NOT",
    "IN",
    "LIKE",
    "ILIKE",
    "AND",
    "OR",
    "(",
    ")",
    ",",
    "'a'",
    '"b"',
    "'",
    '"',
    "`",
    "\\",
    "-1",
    "2.5",
    "1e5",
    "true",
    "false",
    "'2026-01-01'",
    "'error'",
    "NULL",
    ";",
    "--",
    "\x00",
    "é",
    "😀",
    "\n",
    "",
    " ",
]


def test_random_token_soup_only_ever_raises_filter_error() -> None:
    rng = random.Random(20260101)
    outcomes = {"compiled": 0, "rejected": 0}

    for _ in range(3000):
        text = " ".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 12)))
        try:
            compiled = compile_trace_filter(text)
        except FilterError as error:
            assert 0 <= error.position <= len(text)
            assert error.message
            outcomes["rejected"] += 1
        else:
            assert compiled.sql
            outcomes["compiled"] += 1

    assert outcomes["rejected"] > 0


def test_random_characters_only_ever_raise_filter_error() -> None:
    rng = random.Random(7)
    alphabet = "abcnotAND()'\"`\\=<>!.,-_ 0123456789\t\né\x00%*"

    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        try:
            compile_trace_filter(text)
        except FilterError as error:
            assert 0 <= error.position <= len(text)


def test_generated_valid_filters_compile() -> None:
    rng = random.Random(3)
    leaves = [
        "name = 'a'",
        "status = 'error'",
        "duration_ms > 5",
        "tags IN ('x','y')",
        "attributes.k >= 2",
        "text contains 'q'",
        "start_time < '2026-01-01'",
        "span.type != 'llm'",
        "model NOT LIKE 'gpt%'",
    ]

    for _ in range(300):
        text = rng.choice(leaves)
        for _ in range(rng.randint(0, 6)):
            joiner = rng.choice([" AND ", " OR "])
            text = rng.choice([f"({text})", f"NOT ({text})", text]) + joiner + rng.choice(leaves)
        compiled = compile_trace_filter(text)
        assert compiled.sql.count("(") == compiled.sql.count(")")
