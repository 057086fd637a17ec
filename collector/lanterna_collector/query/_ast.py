"""The syntax tree of a search filter: comparisons joined by AND, OR and NOT."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

Scalar = str | int | float | bool


class Operator(StrEnum):
    """A comparison operator, spelled as the filter grammar spells it."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    CONTAINS = "CONTAINS"
    NOT_CONTAINS = "NOT CONTAINS"
    LIKE = "LIKE"
    NOT_LIKE = "NOT LIKE"
    ILIKE = "ILIKE"
    NOT_ILIKE = "NOT ILIKE"
    IN = "IN"
    NOT_IN = "NOT IN"

    @property
    def positive(self) -> Operator:
        """The operator this one negates, or itself when it is not a negation."""
        return _POSITIVE.get(self, self)

    @property
    def is_negated(self) -> bool:
        return self in _POSITIVE


_POSITIVE: dict[Operator, Operator] = {
    Operator.NE: Operator.EQ,
    Operator.NOT_CONTAINS: Operator.CONTAINS,
    Operator.NOT_LIKE: Operator.LIKE,
    Operator.NOT_ILIKE: Operator.ILIKE,
    Operator.NOT_IN: Operator.IN,
}

ORDERING_OPERATORS = frozenset({Operator.LT, Operator.LE, Operator.GT, Operator.GE})
TEXT_OPERATORS = frozenset({Operator.CONTAINS, Operator.LIKE, Operator.ILIKE})


@dataclass(frozen=True)
class Comparison:
    """One condition: ``field op value``.

    ``field`` is the canonical field name (aliases are resolved by the parser); for
    ``attributes.<key>`` it is ``"attributes"`` and ``key`` holds the attribute key.
    ``value`` is a tuple for ``IN`` and ``NOT IN``. Positions are 0-based offsets into the
    filter text, kept for error messages and ignored by equality.
    """

    field: str
    op: Operator
    value: Scalar | tuple[Scalar, ...]
    key: str | None = None
    field_position: int = dataclasses.field(default=0, compare=False)
    op_position: int = dataclasses.field(default=0, compare=False)
    value_position: int = dataclasses.field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    """True when every operand is true."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """True when any operand is true."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """True when the operand is false."""

    operand: Node


Node = Comparison | And | Or | Not
