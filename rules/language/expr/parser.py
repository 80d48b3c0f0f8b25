"""Tokenizer and parser of the expression language.

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

The grammar is parsed by precedence climbing: a chain (`a + b + c …`) is a loop, and only brackets,
`not`, `-` and function arguments recurse, each one level of `MAX_DEPTH`. Text longer than `MAX_LENGTH`
is refused before it is read, so a hostile file costs neither time nor memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rules.language.expr.functions import FUNCTIONS
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
)

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


# Binding power of the binary operators; `not` binds between `and` and the comparisons.
_OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY = 1, 2, 3, 4, 5, 6, 7
_BINARY = {"or": _OR, "and": _AND, "+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT,
           **dict.fromkeys(COMPARISONS, _CMP)}
_KEYWORDS = ("and", "or", "not", "in")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.nesting = 0          # brackets, not, minus and function calls open around the current token
        self.depth: dict[int, int] = {}  # id(node) -> depth of the tree under it, for the nodes built here

    # -- tokens

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

    # -- depth

    def too_deep(self, pos: int) -> ExprError:
        return ExprError(f"表达式嵌套过深（超过{MAX_DEPTH}层，在第{pos + 1}个字符处）：括号、not、负号或函数套得太多，"
                         f"或一串 and / or / + 连写的项太多；请拆成几个派生值", self.text)

    def enter(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.too_deep(self.peek().pos)

    def leave(self) -> None:
        self.nesting -= 1

    def made(self, node: Node, *parts: Node) -> Node:
        """Record a new node's depth (one more than its deepest part); refuse a tree deeper than MAX_DEPTH."""
        d = 1 + max((self.depth.get(id(p), 1) for p in parts), default=0)
        if d > MAX_DEPTH:
            raise self.too_deep(self.tokens[self.i - 1].pos)
        self.depth[id(node)] = d
        return node

    # -- grammar

    def parse(self) -> Node:
        if self.at("end"):
            raise ExprError("表达式为空", self.text)
        node = self.expr(_OR)
        if not self.at("end"):
            tok = self.peek()
            raise ExprError(f"表达式在第{tok.pos + 1}个字符“{tok.value}”处多出内容", self.text)
        return node

    def binary_op(self) -> tuple[str, int] | None:
        tok = self.peek()
        if (tok.kind == "op" or (tok.value in ("and", "or") and tok.kind == "name")) and tok.value in _BINARY:
            return tok.value, _BINARY[tok.value]
        if tok.kind == "name" and (tok.value == "in" or (tok.value == "not" and self.tokens[self.i + 1].kind == "name"
                                   and self.tokens[self.i + 1].value == "in")):
            return "in", _CMP
        return None

    def expr(self, least: int) -> Node:
        """An expression of operators binding at least as tightly as `least`; chains are a loop."""
        start = self.peek().pos
        node, limit = self.prefix(least)
        while True:
            found = self.binary_op()
            if found is None:
                return node
            op, power = found
            # An operator binding tighter than the last one joined here was refused by that one's right side
            # (a comparison closes its level: `a < b < c`, `a < b in [...]`); it is left for the caller to report.
            if power < least or power > limit or power == limit == _CMP:
                return node
            limit = power
            if op == "in":
                node = self.membership(node, start)
                continue
            self.take()
            # The text of a chain link ends at its operator ("a +"), as it always has: messages and the rank
            # reason of an existing scheme read the same.
            text = self.span(start) if power != _CMP else ""
            right = self.expr(power + 1)
            if power == _CMP:
                if self.peek().kind == "op" and self.peek().value in COMPARISONS:
                    raise ExprError("不支持连续比较（如 a < b < c），请写成 a < b and b < c", self.text)
                text = self.span(start)
            node = self.made(Bin(text, op, node, right), node, right)

    def membership(self, item: Node, start: int) -> Node:
        negated = self.at("name", "not")
        if negated:
            self.take()
        self.take()  # in
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
        return self.made(In(self.span(start), item, tuple(options), negated), item)

    def prefix(self, least: int) -> tuple[Node, float]:
        """The first operand of an expression, and the loosest operator that may extend it."""
        if least <= _NOT and self.at("name", "not"):
            start = self.take().pos
            self.enter()
            operand = self.expr(_NOT)
            self.leave()
            return self.made(Unary(self.span(start), "not", operand), operand), _NOT
        return self.unary(), float("inf")

    def unary(self) -> Node:
        if not self.at("op", "-"):
            return self.atom()
        start = self.take().pos
        self.enter()
        operand = self.unary()
        self.leave()
        if isinstance(operand, Lit) and operand.kind == "number":
            return Lit(self.span(start), -operand.value, "number")
        return self.made(Unary(self.span(start), "-", operand), operand)

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
            self.enter()
            node = self.expr(_OR)
            self.leave()
            self.expect("op", ")", "“)”")
            return node
        if tok.kind == "name":
            self.take()
            word = tok.value
            if word == "true" or word == "false":
                return Lit(word, word == "true", "bool")
            if word == "null":
                return Lit(word, None, "null")
            if word in _KEYWORDS:
                raise ExprError(f"关键字“{word}”的位置不对（第{tok.pos + 1}个字符）", self.text)
            if self.at("op", "("):
                return self.call(word, start)
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

    def call(self, word: str, start: int) -> Node:
        fn = FUNCTIONS.get(word)
        if fn is None:
            raise ExprError(f"不支持函数“{word}”；可用函数：{'、'.join(sorted(FUNCTIONS))}", self.text)
        self.take()
        self.enter()
        args: list[Node] = []
        if not self.at("op", ")"):
            while True:
                args.append(self.expr(_OR))
                if self.at("op", ","):
                    self.take()
                    continue
                break
        self.expect("op", ")", "“)”")
        self.leave()
        text = self.span(start)
        lo, hi = fn.arity
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo}个以上"
            raise ExprError(f"函数 {word} 需要{want}个参数，实际{len(args)}个", text)
        if fn.check is not None:
            folded = fn.check(args, text)
            if folded is not None:
                return folded
        return self.made(Call(text, word, tuple(args)), *args)


def parse(text: str) -> Node:
    if not isinstance(text, str):
        raise ExprError("表达式必须是文本", str(text))
    if len(text) > MAX_LENGTH:
        raise ExprError(f"表达式过长（{len(text)}个字符，最多{MAX_LENGTH}个）；请拆成几个派生值", text[:200])
    return _Parser(text).parse()
