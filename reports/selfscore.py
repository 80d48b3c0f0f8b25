"""The short table after the ranking: items where a unit's 自评分 differs from the office's score."""

from __future__ import annotations

from reports.terminal import fit_table
from scoring.pipeline import Results
from scoring.selfscore import self_score_diff


def self_score_table(results: Results) -> str:
    """Empty when no unit gave self-scores."""
    if not any(r.self_scores for r in results.units):
        return ""
    rows = []
    for r in results.units:
        for d in self_score_diff(results.scheme, r):
            why = "；".join(e["reason"] for e in d["events"]) or d.get("not_applicable") or "未扣分"
            rows.append([r.entity, r.name, f"{d['item']} {d['name']}", d["self"], d["office"] or "不适用",
                         d["diff"] or "", why])
    title = "\n自评分与考核得分"
    if not rows:
        return f"{title}：各单位自评分与考核得分一致。\n"
    table = fit_table(["编号", "单位", "项目", "自评分", "考核得分", "差值", "原因"], rows, keys=2,
                      caps=[None, None, 24, None, None, None, 60])
    return f"{title}不一致的项目（{len(rows)}项；逐项说明：assess explain 单位 项目）\n{table}\n"
