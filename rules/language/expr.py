"""The expression language of criteria files: its own tokenizer, parser, type checker and evaluator.

Criteria files are written by office staff and shared between cities, so an expression must never be
able to run code: nothing here calls `eval`/`exec`, and nothing outside the grammar below is accepted.

    expr    := or
    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := sum (CMP sum | 'not'? 'in' '[' literal (',' literal)* ']')?
    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER '%'? | STRING | true | false | null | NAME ('.' NAME)?
             | FUNC '(' expr (',' expr)* ')' | '(' expr ')'

Evaluation is vectorised: a name stands for a column of values (one per unit, or one per ledger row),
and the result is a column. The same code scores one unit, all units, or a million ledger rows, so an
expression means the same everywhere. Null semantics (documented in criteria/README.md): arithmetic
with null is null; comparisons with null are false except `== null` / `!= null`; `and`/`or`/`not` are
three-valued (Kleene); a `when` that is null does not fire.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------------------------- errors


class ExprError(Exception):
    """A Chinese message about an expression, with the offending text."""

    def __init__(self, message: str, text: str = ""):
        super().__init__(message)
        self.message = message
        self.text = text


# ------------------------------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Node:
    text: str = field(compare=False, repr=False)


@dataclass(frozen=True)
class Lit(Node):
    value: Any
    kind: str  # number | str | bool | null | date


@dataclass(frozen=True)
class Name(Node):
    name: str  # a plain name, 'entity.<field>' or 'period.end'


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Bin(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class In(Node):
    item: Node
    options: tuple[Lit, ...]
    negated: bool


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


FUNCTIONS = {"min", "max", "abs", "ceil", "floor", "round", "date", "days"}
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}

# --------------------------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<number>\d+(?:\.\d+)?%?)
      | (?P<string>'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”)
      | (?P<name>[^\W\d]\w*)
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
    """,
    re.VERBOSE | re.UNICODE,
)

_FULLWIDTH_HINTS = {"（": "(", "）": ")", "，": ",", "＞": ">", "＜": "<", "＝": "=", "％": "%", "≥": ">=",
                    "≤": "<=", "×": "*", "÷": "/"}


@dataclass
class Token:
    kind: str
    value: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos]
            hint = ""
            if ch in _FULLWIDTH_HINTS:
                hint = f"，请改用半角“{_FULLWIDTH_HINTS[ch]}”"
            elif ch == "=":
                hint = "，比较相等请用“==”"
            elif ch in "&|!":
                hint = "，逻辑运算请用 and / or / not"
            raise ExprError(f"表达式第{pos + 1}个字符“{ch}”无法识别{hint}", text)
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --------------------------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        return tok.kind == kind and (value is None or tok.value == value)

    def expect(self, kind: str, value: str, what: str) -> Token:
        if not self.at(kind, value):
            tok = self.peek()
            got = "表达式结尾" if tok.kind == "end" else f"“{tok.value}”"
            raise ExprError(f"此处应为{what}，实际为{got}（第{tok.pos + 1}个字符）", self.text)
        return self.take()

    def span(self, start: int) -> str:
        end = self.tokens[self.i - 1].pos + len(self.tokens[self.i - 1].value) if self.i else 0
        return self.text[start:end].strip()

    def parse(self) -> Node:
        if self.at("end"):
            raise ExprError("表达式为空", self.text)
        node = self.or_()
        if not self.at("end"):
            tok = self.peek()
            raise ExprError(f"表达式在第{tok.pos + 1}个字符“{tok.value}”处多出内容", self.text)
        return node

    def or_(self) -> Node:
        start = self.peek().pos
        node = self.and_()
        while self.at("name", "or"):
            self.take()
            node = Bin(self.span(start), "or", node, self.and_())
        return node

    def and_(self) -> Node:
        start = self.peek().pos
        node = self.not_()
        while self.at("name", "and"):
            self.take()
            node = Bin(self.span(start), "and", node, self.not_())
        return node

    def not_(self) -> Node:
        start = self.peek().pos
        if self.at("name", "not"):
            self.take()
            operand = self.not_()
            return Unary(self.span(start), "not", operand)
        return self.cmp()

    def cmp(self) -> Node:
        start = self.peek().pos
        left = self.sum()
        if self.peek().kind == "op" and self.peek().value in COMPARISONS:
            op = self.take().value
            right = self.sum()
            if self.peek().kind == "op" and self.peek().value in COMPARISONS:
                raise ExprError("不支持连续比较（如 a < b < c），请写成 a < b and b < c", self.text)
            return Bin(self.span(start), op, left, right)
        negated = False
        if self.at("name", "not") and self.tokens[self.i + 1].kind == "name" \
                and self.tokens[self.i + 1].value == "in":
            self.take()
            negated = True
        if self.at("name", "in"):
            self.take()
            self.expect("op", "[", "“[”")
            options: list[Lit] = []
            while True:
                opt = self.unary()
                if not isinstance(opt, Lit):
                    raise ExprError("in [...] 的列表中只能写常量（数字、'文本'、true/false）", self.text)
                options.append(opt)
                if self.at("op", ","):
                    self.take()
                    continue
                self.expect("op", "]", "“]”")
                break
            return In(self.span(start), left, tuple(options), negated)
        return left

    def sum(self) -> Node:
        start = self.peek().pos
        node = self.product()
        while self.peek().kind == "op" and self.peek().value in ("+", "-"):
            op = self.take().value
            node = Bin(self.span(start), op, node, self.product())
        return node

    def product(self) -> Node:
        start = self.peek().pos
        node = self.unary()
        while self.peek().kind == "op" and self.peek().value in ("*", "/"):
            op = self.take().value
            node = Bin(self.span(start), op, node, self.unary())
        return node

    def unary(self) -> Node:
        start = self.peek().pos
        if self.at("op", "-"):
            self.take()
            operand = self.unary()
            if isinstance(operand, Lit) and operand.kind == "number":
                return Lit(self.span(start), -operand.value, "number")
            return Unary(self.span(start), "-", operand)
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        start = tok.pos
        if tok.kind == "number":
            self.take()
            if tok.value.endswith("%"):
                return Lit(tok.value, Decimal(tok.value[:-1]) / 100, "number")
            return Lit(tok.value, Decimal(tok.value), "number")
        if tok.kind == "string":
            self.take()
            return Lit(tok.value, tok.value[1:-1], "str")
        if tok.kind == "op" and tok.value == "(":
            self.take()
            node = self.or_()
            self.expect("op", ")", "“)”")
            return node
        if tok.kind == "name":
            self.take()
            word = tok.value
            if word == "true" or word == "false":
                return Lit(word, word == "true", "bool")
            if word == "null":
                return Lit(word, None, "null")
            if word in ("and", "or", "not", "in"):
                raise ExprError(f"关键字“{word}”的位置不对（第{tok.pos + 1}个字符）", self.text)
            if self.at("op", "("):
                if word not in FUNCTIONS:
                    raise ExprError(f"不支持函数“{word}”；可用函数：{'、'.join(sorted(FUNCTIONS))}", self.text)
                self.take()
                args: list[Node] = []
                if not self.at("op", ")"):
                    while True:
                        args.append(self.or_())
                        if self.at("op", ","):
                            self.take()
                            continue
                        break
                self.expect("op", ")", "“)”")
                return self.make_call(word, args, self.span(start))
            if self.at("op", "."):
                self.take()
                attr = self.peek()
                if attr.kind != "name":
                    raise ExprError(f"“{word}.”之后应为名称", self.text)
                self.take()
                if self.at("op", "."):
                    raise ExprError(f"名称“{self.span(start)}.”层级过多：只支持 entity.字段 和 period.start/end",
                                    self.text)
                if self.at("op", "("):
                    raise ExprError("不支持调用方法；只能使用内置函数", self.text)
                return Name(self.span(start), f"{word}.{attr.value}")
            if self.at("op", "["):
                raise ExprError(f"不支持下标写法“{word}[...]”", self.text)
            return Name(word, word)
        got = "表达式结尾" if tok.kind == "end" else f"“{tok.value}”"
        raise ExprError(f"此处应为数值、名称或括号，实际为{got}（第{tok.pos + 1}个字符）", self.text)

    def make_call(self, func: str, args: list[Node], text: str) -> Node:
        arity = {"abs": (1, 1), "ceil": (1, 1), "floor": (1, 1), "round": (1, 2), "date": (1, 1),
                 "days": (2, 2), "min": (2, 99), "max": (2, 99)}[func]
        if not arity[0] <= len(args) <= arity[1]:
            want = str(arity[0]) if arity[0] == arity[1] else f"{arity[0]}个以上"
            raise ExprError(f"函数 {func} 需要{want}个参数，实际{len(args)}个", text)
        if func == "date":
            arg = args[0]
            if not (isinstance(arg, Lit) and arg.kind == "str"):
                raise ExprError("date(...) 的参数必须是 'YYYY-MM-DD' 形式的文本常量", text)
            try:
                return Lit(text, dt.date.fromisoformat(arg.value), "date")
            except ValueError:
                raise ExprError(f"日期“{arg.value}”无效，请写成 'YYYY-MM-DD'", text) from None
        if func == "round" and len(args) == 2 and not (isinstance(args[1], Lit) and args[1].kind == "number"):
            raise ExprError("round(x, n) 的 n 必须是整数常量", text)
        return Call(text, func, tuple(args))


def parse(text: str) -> Node:
    if not isinstance(text, str):
        raise ExprError("表达式必须是文本", str(text))
    return _Parser(text).parse()


# ------------------------------------------------------------------------------------------ analysis


def names(node: Node) -> set[str]:
    """Every name an expression reads."""
    out: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, Name):
            out.add(n.name)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, Bin):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, In):
            walk(n.item)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)

    walk(node)
    return out


def null_tested(node: Node) -> set[str]:
    """Names an expression compares with null (`x == null`, `x != null`)."""
    out: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, Bin):
            if n.op in ("==", "!="):
                for a, b in ((n.left, n.right), (n.right, n.left)):
                    if isinstance(a, Name) and isinstance(b, Lit) and b.kind == "null":
                        out.add(a.name)
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Unary):
            walk(n.operand)
        elif isinstance(n, (In, Call)):
            for a in (n.item,) if isinstance(n, In) else n.args:
                walk(a)

    walk(node)
    return out


TYPE_LABELS = {"number": "数值", "bool": "是/否", "date": "日期", "str": "文本", "null": "空值", "any": "任意"}


def infer(node: Node, types: Callable[[str], str | None]) -> str:
    """The type of an expression ('number', 'bool', 'date', 'str', 'null', 'any'); raises ExprError.

    `types(name)` gives a name's type, or None when the name is undefined (the caller reports those
    with a "did you mean" first, so here they are 'any')."""

    def label(t: str) -> str:
        return TYPE_LABELS.get(t, t)

    def go(n: Node) -> str:
        if isinstance(n, Lit):
            return n.kind
        if isinstance(n, Name):
            return types(n.name) or "any"
        if isinstance(n, Unary):
            t = go(n.operand)
            if n.op == "not":
                if t not in ("bool", "any", "null"):
                    raise ExprError(f"not 只能用于是/否条件，“{n.operand.text}”是{label(t)}", n.text)
                return "bool"
            if t not in ("number", "any", "null"):
                raise ExprError(f"负号只能用于数值，“{n.operand.text}”是{label(t)}", n.text)
            return "number"
        if isinstance(n, Bin):
            lt, rt = go(n.left), go(n.right)
            if n.op in ("and", "or"):
                for side, t in ((n.left, lt), (n.right, rt)):
                    if t not in ("bool", "any", "null"):
                        raise ExprError(f"{n.op} 两边应为条件，“{side.text}”是{label(t)}", n.text)
                return "bool"
            if n.op in ("+", "-", "*", "/"):
                for side, t in ((n.left, lt), (n.right, rt)):
                    if t not in ("number", "any", "null"):
                        hint = "；日期相减请用 days(开始, 结束)" if t == "date" else ""
                        raise ExprError(f"“{n.op}”只能用于数值，“{side.text}”是{label(t)}{hint}", n.text)
                return "number"
            # comparisons
            if "any" in (lt, rt) or "null" in (lt, rt):
                if "null" in (lt, rt) and n.op not in ("==", "!="):
                    raise ExprError("与 null 只能用 == 或 != 比较", n.text)
                return "bool"
            if lt != rt:
                raise ExprError(f"不能比较{label(lt)}“{n.left.text}”与{label(rt)}“{n.right.text}”", n.text)
            if lt == "bool" and n.op not in ("==", "!="):
                raise ExprError("是/否值只能用 == 或 != 比较", n.text)
            return "bool"
        if isinstance(n, In):
            it = go(n.item)
            for opt in n.options:
                if it not in ("any",) and opt.kind != it:
                    raise ExprError(f"in 列表中的“{opt.text}”是{label(opt.kind)}，而“{n.item.text}”是{label(it)}",
                                    n.text)
            return "bool"
        if isinstance(n, Call):
            ts = [go(a) for a in n.args]
            if n.func == "days":
                for a, t in zip(n.args, ts, strict=True):
                    if t not in ("date", "any", "null"):
                        raise ExprError(f"days(开始, 结束) 的参数应为日期，“{a.text}”是{label(t)}", n.text)
                return "number"
            for a, t in zip(n.args, ts, strict=True):
                if t not in ("number", "any", "null"):
                    raise ExprError(f"函数 {n.func} 的参数应为数值，“{a.text}”是{label(t)}", n.text)
            return "number"
        raise ExprError("无法识别的表达式", n.text)  # pragma: no cover

    return go(node)


# ----------------------------------------------------------------------------------------- evaluation


@dataclass
class Col:
    """A column of values: `data` holds values (object array, or bool array for conditions);
    `known` marks non-null positions (None: all known)."""

    data: np.ndarray
    known: np.ndarray | None = None

    def mask(self) -> np.ndarray:
        return np.ones(len(self.data), dtype=bool) if self.known is None else self.known


def _const(value: Any, n: int) -> Col:
    if value is None:
        return Col(np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
    if isinstance(value, bool):
        return Col(np.full(n, value, dtype=bool))
    arr = np.empty(n, dtype=object)
    arr[:] = [value] * n
    return Col(arr)


def column(values: Any) -> Col:
    """Wrap a sequence of Python values (None = null) as a Col."""
    arr = values if isinstance(values, np.ndarray) and values.dtype == object else np.asarray(
        values if isinstance(values, (list, np.ndarray)) else list(values), dtype=object)
    if arr.dtype != object:
        arr = arr.astype(object)
    known = ~pd.isna(arr)
    return Col(arr, None if known.all() else known)


class Env:
    """What names mean during one evaluation: `lookup(name) -> Col` of length `n`."""

    def __init__(self, n: int, lookup: Callable[[str], Col]):
        self.n = n
        self.lookup = lookup
        self.div_zero = np.zeros(n, dtype=bool)  # positions where a division by zero happened
        # results of compound sub-expressions by their structure (repr: operators, names, literal values with
        # their digits; not `text`, which may be partial), as conditions repeat `x == null`, date ranges...;
        # a result is never modified in place
        self.memo: dict[str, Col] = {}


def _both(a: Col, b: Col) -> np.ndarray:
    if a.known is None and b.known is None:
        return np.ones(len(a.data), dtype=bool)
    return a.mask() & b.mask()


def _to_bool(c: Col, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of a condition column; values must be booleans."""
    if c.data.dtype == bool:
        return c.data, c.mask()
    known = c.mask()
    vals = c.data[known]
    # every value a bool (Python's or numpy's), checked in C
    if len(vals) and pd.api.types.infer_dtype(vals, skipna=False) != "boolean":
        raise ExprError(f"“{text}”不是是/否条件", text)
    out = np.zeros(len(c.data), dtype=bool)
    out[known] = vals.astype(bool)
    return out, known


def _elementwise(fn: Callable[[Any], Any], arr: np.ndarray) -> np.ndarray:
    out = np.empty(len(arr), dtype=object)
    out[:] = [fn(v) for v in arr]
    return out


def _quantize(value: Any, places: int, rounding: str) -> Decimal:
    d = value if isinstance(value, Decimal) else Decimal(value)
    return d.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def _scalar(x: Node) -> np.ndarray | None:
    """A number, text or date literal as a 0-d object array: compared with a column without a column of
    copies (the same object comparisons)."""
    if isinstance(x, Lit) and x.kind in ("number", "str", "date"):
        out = np.empty((), dtype=object)
        out[()] = x.value
        return out
    return None


_COMPARE = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
            ">=": np.greater_equal}


def evaluate(node: Node, env: Env) -> Col:
    n = env.n
    memo = env.memo

    def go(x: Node) -> Col:
        if isinstance(x, Lit):
            return _const(x.value, n)
        if isinstance(x, Name):
            return env.lookup(x.name)
        key = repr(x)
        found = memo.get(key)
        if found is None:
            found = memo[key] = compound(x)
        return found

    def compound(x: Node) -> Col:
        if isinstance(x, Unary):
            c = go(x.operand)
            if x.op == "not":
                v, k = _to_bool(c, x.operand.text)
                return Col(~v & k, None if c.known is None else k)
            m = c.mask()
            out = np.full(n, None, dtype=object)
            out[m] = -c.data[m]
            return Col(out, c.known)
        if isinstance(x, Bin):
            if x.op in ("and", "or"):
                lv, lk = _to_bool(go(x.left), x.left.text)
                rv, rk = _to_bool(go(x.right), x.right.text)
                if x.op == "and":
                    false = (lk & ~lv) | (rk & ~rv)
                    true = lk & lv & rk & rv
                else:
                    true = (lk & lv) | (rk & rv)
                    false = lk & ~lv & rk & ~rv
                known = true | false
                return Col(true, None if known.all() else known)
            if x.op in COMPARISONS:
                if isinstance(x.right, Lit) and x.right.kind == "null":
                    a = go(x.left)
                    return Col(a.mask().copy() if x.op == "!=" else ~a.mask())
                if isinstance(x.left, Lit) and x.left.kind == "null":
                    b = go(x.right)
                    return Col(b.mask().copy() if x.op == "!=" else ~b.mask())
                left, right = _scalar(x.left), _scalar(x.right)
                if (left is None) != (right is None):  # a column and a constant
                    c = go(x.right if right is None else x.left)
                    m = c.mask()
                    out = np.zeros(n, dtype=bool)
                    if m.any():
                        try:
                            compare = _COMPARE[x.op]
                            constant = right if right is not None else left
                            assert constant is not None
                            res = compare(c.data[m], constant) if right is not None else compare(constant, c.data[m])
                        except TypeError:
                            raise ExprError(f"“{x.text}”两边的值类型不同，无法比较", x.text) from None
                        out[m] = np.asarray(res, dtype=bool)
                    return Col(out)
            a, b = go(x.left), go(x.right)
            if x.op in COMPARISONS:
                m = _both(a, b)
                out = np.zeros(n, dtype=bool)
                if m.any():
                    av, bv = a.data[m], b.data[m]
                    try:
                        res = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
                               ">": np.greater, ">=": np.greater_equal}[x.op](av, bv)
                    except TypeError:
                        raise ExprError(f"“{x.text}”两边的值类型不同，无法比较", x.text) from None
                    out[m] = np.asarray(res, dtype=bool)
                return Col(out)
            m = _both(a, b)
            out = np.full(n, None, dtype=object)
            if x.op == "/":
                bz = np.zeros(n, dtype=bool)
                bz[m] = _elementwise(lambda v: v == 0, b.data[m]).astype(bool)
                env.div_zero |= bz
                m = m & ~bz
            if m.any():
                op = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide}[x.op]
                av, bv = a.data[m], b.data[m]
                if x.op == "/":
                    # int / int would give a float: make the numerator decimal first.
                    av = _elementwise(lambda v: v if isinstance(v, Decimal) else Decimal(v), av)
                out[m] = op(av, bv)
            return Col(out, None if m.all() else m)
        if isinstance(x, In):
            c = go(x.item)
            m = c.mask()
            opts = [o.value for o in x.options]
            out = np.zeros(n, dtype=bool)
            if m.any():
                out[m] = pd.Series(c.data[m], dtype=object).isin(opts).to_numpy(dtype=bool)
            if x.negated:
                out = ~out & m
            return Col(out)
        if isinstance(x, Call):
            return _call(x, [go(a) for a in x.args], n)
        raise ExprError("无法识别的表达式", x.text)  # pragma: no cover

    try:
        return go(node)
    except (InvalidOperation, ArithmeticError) as exc:
        raise ExprError(f"计算“{node.text}”时出错：{exc.__class__.__name__}", node.text) from None


def _call(x: Call, args: list[Col], n: int) -> Col:
    m = np.ones(n, dtype=bool)
    for a in args:
        if a.known is not None:
            m &= a.known
    out = np.full(n, None, dtype=object)
    if not m.any():
        return Col(out, m)
    vals = [a.data[m] for a in args]
    f = x.func
    if f == "abs":
        out[m] = _elementwise(abs, vals[0])
    elif f == "ceil":
        out[m] = _elementwise(lambda v: _quantize(v, 0, ROUND_CEILING), vals[0])
    elif f == "floor":
        out[m] = _elementwise(lambda v: _quantize(v, 0, ROUND_FLOOR), vals[0])
    elif f == "round":
        places = int(x.args[1].value) if len(x.args) == 2 and isinstance(x.args[1], Lit) else 0
        out[m] = _elementwise(lambda v: _quantize(v, places, ROUND_HALF_UP), vals[0])
    elif f in ("min", "max"):
        pick = min if f == "min" else max
        out[m] = [pick(t) for t in zip(*vals, strict=True)]
    elif f == "days":
        out[m] = [(b - a).days for a, b in zip(vals[0], vals[1], strict=True)]
    return Col(out, None if m.all() else m)


def truthy(c: Col) -> np.ndarray:
    """Where a condition holds (null counts as not holding)."""
    if c.data.dtype == bool:
        return c.data & c.mask()
    v, k = _to_bool(c, "")
    return v & k


def per_round(value: Decimal, mode: str) -> Decimal:
    if mode == "ceil":
        return value.to_integral_value(rounding=ROUND_CEILING)
    if mode == "floor":
        return value.to_integral_value(rounding=ROUND_FLOOR)
    return value
