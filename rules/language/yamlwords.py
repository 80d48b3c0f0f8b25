"""YAML syntax errors in the words of the office staff who edit a scheme, not PyYAML's English.

PyYAML reports a syntax error as a `problem` ("expected ',' or ']', but got ':'") at a mark, often with a
`context` ("while parsing a flow sequence") at another mark, e.g. where an unclosed bracket opened. This module
turns the pair into one Chinese sentence naming both places and saying what to do. The table below covers every
problem text PyYAML's scanner, parser and composer can raise (tests/language/test_yaml_words.py reads PyYAML's
source to keep it so); a text this table does not know is still shown, in Chinese framing, with the original.
"""

from __future__ import annotations

import re
from typing import Any

QUOTE = "若这是文字，请给整个值加上引号（如 '…'）"

# the token PyYAML names (its repr without the quotes), as a user would see it in the file
_TOKENS = {
    "<block mapping start>": "新的一行“键: 值”", "<block sequence start>": "新的列表项“- ”", "<block end>": "这一层的结束",
    "<scalar>": "文字", "<block entry>": "列表项“- ”", "?": "新的一行“键: 值”", "<document start>": "“---”",
    "<stream end>": "文件末尾", "\\n": "行尾", "\\t": "制表符（Tab）", "\\x00": "文件末尾",
}


def _token(found: str) -> str:
    inner = found[1:-1] if len(found) >= 2 and found[0] == found[-1] and found[0] in "'\"" else found
    return _TOKENS.get(inner, f"“{inner}”")


def _at(mark: Any) -> str:
    return f"第{mark.line + 1}行第{mark.column + 1}列" if mark is not None else ""


def _open(exc: Any) -> str:
    return f"第{exc.context_mark.line + 1}行" if exc.context_mark is not None else "前面"


def _block_end(exc: Any, m: re.Match[str]) -> str:
    found = _token(m.group(1))
    if found in ("“]”", "“}”"):
        return f"多了一个{found}，前面没有与之配对的{'“[”' if found == '“]”' else '“{”'}"
    if found == "文字":
        return f"一个值的后面又接了文字（引号里的文字后面不能再写别的）：{QUOTE}"
    return f"缩进对不齐：这里的{found}与{_open(exc)}开始的同一层对不上，请检查这一行前面的空格数（同一层的键要左对齐）"


# (pattern on PyYAML's problem text, Chinese sentence); the sentence may be a function of (exc, match)
_WORDS: list[tuple[str, Any]] = [
    (r"expected ',' or '\]', but got (.*)",
     lambda e, m: f"{_open(e)}的“[”没有配对的“]”（在这里遇到了{_token(m.group(1))}）：方括号列表要在同一行内写完并闭合，"
                  "各项用逗号分开"),
    (r"expected ',' or '\}', but got (.*)",
     lambda e, m: f"{_open(e)}的“{{”没有配对的“}}”（在这里遇到了{_token(m.group(1))}）：花括号要在同一行内写完并闭合，"
                  "各项用逗号分开"),
    (r"expected <block end>, but found (.*)", _block_end),
    (r"expected <document start>, but found (.*)|expected '<document start>', but found (.*)",
     lambda e, m: "文件开头的写法不对：细则文件应以“scheme:”这样的“键: 值”开始"),
    (r"found character '\\t' that cannot start any token",
     lambda e, m: "用了制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格（编辑器里可设置“用空格代替 Tab”）"),
    (r"found character (.*) that cannot start any token",
     lambda e, m: f"值不能以{_token(m.group(1))}开头，{QUOTE}"),
    (r"found unexpected end of stream",
     lambda e, m: f"{_open(e)}开始的引号到文件末尾都没有结束：请补上配对的引号"),
    (r"found undefined alias (.*)",
     lambda e, m: f"“*{m.group(1).strip(chr(39))}”引用了没有定义的锚点；“*”在 YAML 里有特殊含义，{QUOTE}"),
    (r"found duplicate anchor (.*); first occurrence|second occurrence",
     lambda e, m: f"锚点重复定义；“&”在 YAML 里有特殊含义，{QUOTE}"),
    (r"mapping values are not allowed here",
     lambda e, m: f"这里不能出现“: ”：若冒号是文字的一部分，{QUOTE.removeprefix('若这是文字，')}；若要写新的键，请另起一行并对齐缩进"),
    (r"mapping keys are not allowed here",
     lambda e, m: f"这里不能出现“? ”，{QUOTE}"),
    (r"sequence entries are not allowed here",
     lambda e, m: "这里不能开始一个列表项“- ”：请检查缩进，列表项要写在键的下一行、比键多缩进"),
    (r"could not find expected ':'",
     lambda e, m: f"{_open(e)}的键后面缺少冒号“:”（或一段文字被拆成了多行，{QUOTE}）"),
    (r"invalid indentation or unclosed '\[' or '\{'",
     lambda e, m: "缩进不对，或“[”“{”没有闭合"),
    (r"found unknown escape character (.*)",
     lambda e, m: f"双引号里的“\\{m.group(1).strip(chr(39))}”不是有效的转义：文字里要写反斜杠“\\”时，请改用单引号 '…'"),
    (r"expected escape sequence of \d+ hexadecimal numbers, but found (.*)",
     lambda e, m: "双引号里的“\\x”“\\u”后面要跟十六进制数字：文字里要写反斜杠“\\”时，请改用单引号 '…'"),
    (r"but found another document|expected a single document in the stream|found unexpected document separator",
     lambda e, m: "一个文件只能写一份细则：请去掉单独一行的“---”（或把它后面的内容另存为一个文件）"),
    (r"expected alphabetic or numeric character, but found (.*)",
     lambda e, m: f"“&”“*”在 YAML 里有特殊含义，{QUOTE}"),
    (r"expected chomping or indentation indicators, but found (.*)|expected indentation indicator in the range 1-9.*",
     lambda e, m: f"“|”“>”在 YAML 里表示多行文字，后面不能直接跟文字；{QUOTE}"),
    (r"expected a comment or a line break, but found (.*)",
     lambda e, m: f"这里应当换行，却遇到了{_token(m.group(1))}：{QUOTE}"),
    (r"expected the node content, but found (.*)",
     lambda e, m: f"这里缺少值（遇到了{_token(m.group(1))}）：请补上值，或{QUOTE.removeprefix('若这是文字，')}"),
    (r"found undefined tag handle (.*)|found non-specific tag.*|expected '!', but found (.*)|"
     r"expected URI.*|expected '>', but found (.*)|duplicate tag handle (.*)",
     lambda e, m: f"“!”在 YAML 里有特殊含义，{QUOTE}"),
    (r"found incompatible YAML document.*|found duplicate YAML directive|expected a digit.*|"
     r"expected alphabetic or numeric character.*|expected ' ', but found (.*)",
     lambda e, m: f"以“%”开头的行在 YAML 里有特殊含义，{QUOTE}"),
    (r"found duplicate key", lambda e, m: "同一层里出现了重复的键"),
]
_COMPILED = [(re.compile(p), say) for p, say in _WORDS]


def known(problem: str) -> bool:
    """Whether this PyYAML problem text has Chinese words here."""
    return any(rx.fullmatch(problem) for rx, _ in _COMPILED)


def yaml_error_words(exc: Any) -> str:
    """One Chinese sentence for a PyYAML MarkedYAMLError: what is wrong, where (line and column), what to do."""
    problem = str(exc.problem or "")
    where = _at(exc.problem_mark)
    for rx, say in _COMPILED:
        m = rx.fullmatch(problem)
        if m is not None:
            return f"YAML 格式错误（{where}）：{say(exc, m)}"
    return f"YAML 格式错误（{where}）：无法识别的写法（解析器原文：{problem}），请检查缩进、冒号、括号和引号"
