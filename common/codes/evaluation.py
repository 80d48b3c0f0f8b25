"""Problem codes of rule evaluation and the durable-rules cross-check (rules.evaluation): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "div-zero": "派生值计算时除数为零，结果记为空（可在考核细则中为它设置 if_zero）",
    "check": "考核细则 checks 中的数据检查没有通过；级别为错误时该单位不予计分",
    "by-value": "按列取分的规则遇到没有对应分值的取值，该行不计分",
    "table-no-match": "判定表没有匹配的行，按起算分计",
    "veto-not-applicable": "否决项读取的数据填了“不涉及”，该否决项无法判定",
    "finding-not-applicable": "考核扣分记录所指的项目对该单位不适用，该记录未计分",
    "cross-check": "规则引擎 durable-rules 与校验计算的判断不一致，该单位不予计分",
    "rule-engine": "规则引擎无法核对考核细则中的某个条件（或引擎本身出错），本次评估停止",
    "rule-engine-unit": "规则引擎无法核对某单位的数据（数值超出引擎能精确比较的范围、文本无效，或多次重试仍未处理完），"
                        "该单位不予计分",
    "div-zero-rule": "规则、检查、判定表或排名的表达式计算时除数为零，结果为空，该处不起作用（警告）",
}
