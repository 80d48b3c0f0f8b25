"""Problem codes of rule evaluation and the durable-rules cross-check (rules.evaluation): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "div-zero-rule": "规则、检查、判定表或排名的表达式计算时除数为零，结果为空，该处不起作用（警告）",
}
