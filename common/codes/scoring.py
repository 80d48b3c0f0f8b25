"""Problem codes of scoring, grades, ranks and cases files (scoring): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "quota-tie": "并列的单位跨越名额线，均暂列较高等次，须考核组研究确定（警告）",
    "cases-schema": "案例文件的格式不对（未知的键、案例不是键值映射、缺少 cases 列表或细则）",
    "case-failed": "案例的实际结果与预期不符",
}
