"""Parse search filter text into a syntax tree with lark, turning every failure into FilterError."""

from __future__ import annotations

import difflib
import functools
import re
from importlib import resources
from typing import Final, cast

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from lanterna_collector.query._ast import And, Comparison, Node, Not, Operator, Or, Scalar
from lanterna_collector.query._errors import FilterError
from lanterna_collector.query._fields import (
    ALL_FIELD_NAMES,
    ATTRIBUTE_PREFIXES,
    ATTRIBUTES_FIELD,
    FIELDS_BY_NAME,
    KNOWN_FIELD_NAMES,
)

MAX_FILTER_CHARS: Final = 4096
MAX_NESTING: Final = 50
_GRAMMAR_FILE: Final = "filter.lark"
_EXCERPT_CHARS: Final = 20
_QUOTES: Final = frozenset({"'", '"'})
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "'": "'", '"': '"', "\\": "\\", "`": "`"}
_ESCAPE_RE: Final = re.compile(r"\\(.)", re.DOTALL)
# Splits a dotted field path at dots outside backticks.
_SEGMENT_RE: Final = re.compile(r"`(?:[^`\\]|\\.)*`|[^.`]+")
_MAX_INT64: Final = 2**63 - 1
_OPERATOR_WORDS: Final = "=, !=, <, <=, >, >=, CONTAINS, NOT CONTAINS, LIKE, ILIKE, IN or NOT IN"
_TERMINAL_NAMES: Final = {
    "_LPAR": "'('",
    "_RPAR": "')'",
    "_COMMA": "','",
    "_AND": "AND",
    "_OR": "OR",
    "$END": "the end of the filter",
}
_COMPARE_SYMBOLS: Final = {"==": Operator.EQ, "<>": Operator.NE}


@functools.cache
def _parser() -> Lark:
    grammar = resources.files(__package__).joinpath(_GRAMMAR_FILE).read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True)


def parse_filter(text: str) -> Node | None:
    """Parse filter text into a syntax tree; blank text gives ``None``.

    Raises:
        FilterError: for any text that is not a valid filter, with the 0-based position.
    """
    if not isinstance(text, str):
        raise FilterError(f"A filter must be text, got {type(text).__name__}.", 0)
    if len(text) > MAX_FILTER_CHARS:
        raise FilterError(
            f"The filter is {len(text)} characters long; the limit is {MAX_FILTER_CHARS}.",
            MAX_FILTER_CHARS,
        )
    if not text.strip():
        return None

    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from exc
    except LarkError as exc:  # lark's own failures outside parsing; none are expected
        raise FilterError(f"The filter could not be read: {exc}", 0) from exc

    _check_nesting(tree)
    return _build(tree)


def _check_nesting(tree: Tree[Token]) -> None:
    """Reject filters nested deeper than MAX_NESTING parentheses or NOTs, without recursion."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if node.data in ("group", "negation"):
            depth += 1
            if depth > MAX_NESTING:
                position = node.meta.start_pos
                raise FilterError(
                    f"The filter nests parentheses or NOT more than {MAX_NESTING} deep "
                    f"at position {position}; flatten it.",
                    position,
                )
        stack.extend((child, depth) for child in node.children if isinstance(child, Tree))


def _build(tree: Tree[Token]) -> Node:
    kind = tree.data
    if kind == "group":
        return _build(_only_tree(tree))
    if kind == "negation":
        return Not(_build(_only_tree(tree)))
    if kind == "and_expr":
        return And(tuple(_build(child) for child in _trees(tree)))
    if kind == "or_expr":
        return Or(tuple(_build(child) for child in _trees(tree)))
    if kind == "compare":
        return _comparison(tree)
    if kind == "member":
        return _membership(tree)
    raise FilterError(f"The filter has an unsupported part {kind!r}.", tree.meta.start_pos)


def _trees(tree: Tree[Token]) -> list[Tree[Token]]:
    return [child for child in tree.children if isinstance(child, Tree)]


def _only_tree(tree: Tree[Token]) -> Tree[Token]:
    return _trees(tree)[0]


def _comparison(tree: Tree[Token]) -> Comparison:
    field_token, operator_tree, value_tree = tree.children
    assert isinstance(field_token, Token)
    assert isinstance(operator_tree, Tree)
    assert isinstance(value_tree, Tree)
    field, key = resolve_field(field_token)
    op_tokens = [child for child in operator_tree.children if isinstance(child, Token)]
    value_token = _value_token(value_tree)
    return Comparison(
        field=field,
        op=_operator(op_tokens),
        value=_scalar(value_token),
        key=key,
        field_position=field_token.start_pos or 0,
        op_position=op_tokens[0].start_pos or 0,
        value_position=value_token.start_pos or 0,
    )


def _membership(tree: Tree[Token]) -> Comparison:
    field_token, membership_tree, *value_trees = tree.children
    assert isinstance(field_token, Token)
    assert isinstance(membership_tree, Tree)
    field, key = resolve_field(field_token)
    op_tokens = [child for child in membership_tree.children if isinstance(child, Token)]
    value_tokens = [_value_token(value) for value in value_trees if isinstance(value, Tree)]
    return Comparison(
        field=field,
        op=Operator.NOT_IN if len(op_tokens) == 2 else Operator.IN,
        value=tuple(_scalar(token) for token in value_tokens),
        key=key,
        field_position=field_token.start_pos or 0,
        op_position=op_tokens[0].start_pos or 0,
        value_position=value_tokens[0].start_pos or 0,
    )


def _value_token(value_tree: Tree[Token]) -> Token:
    token = value_tree.children[0]
    assert isinstance(token, Token)
    return token


def _operator(tokens: list[Token]) -> Operator:
    words = " ".join(str(token).upper() for token in tokens)
    return _COMPARE_SYMBOLS.get(words) or Operator(words)


def _scalar(token: Token) -> Scalar:
    if token.type == "STRING":
        return unescape(str(token)[1:-1])
    if token.type == "TRUE":
        return True
    if token.type == "FALSE":
        return False
    return _number(token)


def _number(token: Token) -> int | float:
    text = str(token)
    if re.fullmatch(r"[+-]?\d+", text):
        number = int(text)
        if abs(number) > _MAX_INT64:
            raise FilterError(
                f"The number {text!r} at position {token.start_pos} is too large; "
                f"whole numbers must lie within ±{_MAX_INT64}.",
                token.start_pos or 0,
            )
        return number
    return float(text)


def unescape(body: str) -> str:
    """Resolve backslash escapes; an unknown escape such as ``\\%`` is kept for LIKE."""
    return _ESCAPE_RE.sub(lambda match: _ESCAPES.get(match[1], match[0]), body)


def resolve_field(token: Token) -> tuple[str, str | None]:
    """Return the canonical field name and, for ``attributes.<key>``, the attribute key."""
    text = str(token)
    position = token.start_pos or 0
    canonical = FIELDS_BY_NAME.get(text.lower())
    if canonical is not None and canonical.name != ATTRIBUTES_FIELD:
        return canonical.name, None

    head, _, rest = text.partition(".")
    if head.lower() in ATTRIBUTE_PREFIXES:
        if not rest:
            raise FilterError(
                f"{text!r} at position {position} needs an attribute key, "
                "as in attributes.http.status_code or attributes.`key with dots`.",
                position,
            )
        segments = _SEGMENT_RE.findall(rest)
        key = ".".join(
            unescape(segment[1:-1]) if segment.startswith("`") else segment for segment in segments
        )
        return ATTRIBUTES_FIELD, key

    raise FilterError(_unknown_field_message(text, position), position)


def _unknown_field_message(text: str, position: int) -> str:
    message = f"Unknown field {text!r} at position {position}."
    matches = difflib.get_close_matches(text.lower(), ALL_FIELD_NAMES, n=3)
    close = list(dict.fromkeys(FIELDS_BY_NAME[match].name for match in matches))
    if close:
        message += " Did you mean " + " or ".join(repr(name) for name in close) + "?"
    return message + " Known fields: " + ", ".join(KNOWN_FIELD_NAMES) + ", and attributes.<key>."


def _syntax_error(text: str, exc: UnexpectedInput) -> FilterError:
    if isinstance(exc, UnexpectedCharacters):
        # lark declares ``pos_in_stream = None`` on the base class, but
        # UnexpectedCharacters always sets it to the lexer's int position.
        position = cast(int, exc.pos_in_stream)
        if text[position] in _QUOTES:
            excerpt = _excerpt(text, position, to_end=True)
            return FilterError(
                f"Unterminated string {excerpt!r} starting at position {position}; "
                f"close it with a matching {text[position]}.",
                position,
            )
        excerpt = _excerpt(text, position)
        return FilterError(
            f"Unexpected {excerpt!r} at position {position}: {_expectation(exc.allowed)}.",
            position,
        )

    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            return FilterError(
                f"The filter ends too early at position {len(text)}: {_expectation(exc.expected)}.",
                len(text),
            )
        position = token.start_pos or 0
        if token.type == "_RPAR" and "FIELD" in exc.expected:
            return FilterError(
                f"Empty parentheses or a missing condition before ')' at position {position}; "
                "put a condition such as name = 'x' there.",
                position,
            )
        return FilterError(
            f"Unexpected {str(token)!r} at position {position}: {_expectation(exc.expected)}.",
            position,
        )

    position = min(getattr(exc, "pos_in_stream", None) or len(text), len(text))
    return FilterError(f"The filter ends too early at position {position}.", position)


def _excerpt(text: str, position: int, *, to_end: bool = False) -> str:
    """The offending text from ``position``: one word, or the rest for an open string."""
    end = len(text) if to_end else position + (len(text[position:].split(maxsplit=1)[0]) or 1)
    excerpt = text[position:end]
    if len(excerpt) > _EXCERPT_CHARS:
        return excerpt[:_EXCERPT_CHARS] + "…"
    return excerpt


def _expectation(expected: set[str] | frozenset[str]) -> str:
    if "COMPARE_OP" in expected or "IN" in expected:
        return f"expected an operator ({_OPERATOR_WORDS})"
    if "STRING" in expected or "NUMBER" in expected:
        return "expected a value: a quoted string, a number, true or false"
    if "FIELD" in expected:
        return "expected a condition such as name = 'x', NOT or '('"
    if "_COMMA" in expected:
        return "expected ',' or ')'"
    if "_AND" in expected or "_OR" in expected or "$END" in expected:
        return "expected AND, OR, ')' or the end of the filter"
    if "_RPAR" in expected:
        return "expected ')'"
    return "expected one of " + ", ".join(
        sorted(_TERMINAL_NAMES.get(name, name) for name in expected)
    )
