"""The expression language of criteria files: syntax tree and walker, parser, type checker, functions and
the vectorised evaluator, one module each.

Criteria files are written by office staff and shared between cities, so an expression must never be
able to run code: nothing here calls `eval`/`exec`, and nothing outside the grammar (see `parser`) is
accepted. The rest of the engine uses the names re-exported here (`from rules.language import expr as ex`).
"""

from rules.language.expr.evaluator import Col, Env, column, evaluate, truthy
from rules.language.expr.functions import FUNCTIONS, ROUND_PLACES, Function
from rules.language.expr.parser import Token, parse, tokenize
from rules.language.expr.syntax import (
    COMPARISONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Bin,
    Call,
    ExprError,
    In,
    Lit,
    Name,
    Node,
    Unary,
    children,
    depth,
    fold,
    names,
    null_tested,
    operands,
    shorten,
    walk,
)
from rules.language.expr.types import TYPE_LABELS, infer

__all__ = [
    "COMPARISONS", "FUNCTIONS", "MAX_DEPTH", "MAX_LENGTH", "ROUND_PLACES", "TYPE_LABELS", "Bin", "Call", "Col",
    "Env", "ExprError", "Function", "In", "Lit", "Name", "Node", "Token", "Unary", "children", "column", "depth",
    "evaluate", "fold", "infer", "names", "null_tested", "operands", "parse", "shorten", "tokenize", "truthy",
    "walk",
]
