"""The registry of problem codes: every `code=` a Problem carries, with its Chinese meaning.

Codes are stable: users search for them, cases files expect them, and criteria/README.md lists them all.
Each area of the pipeline keeps its own table in a module of this package, so a change to one area touches
one table. A code is registered once, in the area that reports it first in the pipeline.
"""

from __future__ import annotations

from common.codes import alerts, criteria, data, evaluation, results, scoring, selfcheck, web

AREAS: dict[str, dict[str, str]] = {
    "考核细则": criteria.CODES,
    "填报数据": data.CODES,
    "规则评估": evaluation.CODES,
    "评分": scoring.CODES,
    "结果文件与输出": results.CODES,
    "自查": selfcheck.CODES,
    "年中预警": alerts.CODES,
    "网页服务": web.CODES,
}

CODES: dict[str, str] = {code: meaning for table in AREAS.values() for code, meaning in table.items()}


def meaning(code: str) -> str:
    """The Chinese meaning of a code ('' for a code nobody registered; tests keep that set empty)."""
    return CODES.get(code, "")


def codes_table() -> str:
    """The registry as a Markdown table (what `assess codes` prints and criteria/README.md includes)."""
    lines = ["| 代码 | 方面 | 含义 |", "| --- | --- | --- |"]
    for area, table in AREAS.items():
        for code, text in table.items():
            lines.append(f"| `{code}` | {area} | {text.replace('|', '｜')} |")
    return "\n".join(lines) + "\n"
