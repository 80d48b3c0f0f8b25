"""Problem codes of scoring, grades, ranks and cases files (scoring): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "quota-tie": "并列的单位跨越名额线，均暂列较高等次，须考核组研究确定（警告）",
    "quota-class-unused": "分类名额写的类别没有任何单位属于它（多半是笔误），该类的名额不起作用（警告）",
    "assessed-missing": "评分单位打分的项目，有单位在考核扣分记录里没有记录，按细则未写明时的做法计分（警告）",
    "assessed-missing-error": "评分单位打分的项目没有该单位的记录，细则规定为错误（missing: error），该单位不计分",
    "cases-schema": "案例文件的格式不对（未知的键、案例不是键值映射、缺少 cases 列表或细则）",
    "case-failed": "案例的实际结果与预期不符",
}
