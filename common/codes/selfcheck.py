"""Problem codes of self-check (selfcheck): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "forecast-unit": "预测（assess forecast）时数据中有多个单位，未用 -e 指明预测哪个单位",
}
