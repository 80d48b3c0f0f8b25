"""The rows of the findings table (考核扣分记录): each must name a real item, bonus or penalty and carry
the one figure that kind of target takes, within the range an assessed item allows."""

from __future__ import annotations

from typing import Any

from common.problems import did_you_mean
from intake.cell_problems import Assembly, shown_value
from intake.convert import shown
from intake.dataset import Ledger


def check_findings(asm: Assembly, ledger: Ledger) -> None:
    """Findings must name a real item, bonus or penalty, and carry one figure."""
    targets = [i.id for i in asm.scheme.items] + [a.id for a in asm.scheme.adjustments()]
    df = ledger.frame
    totals: dict[tuple[str, str], Any] = {}   # (unit, assessed item) -> its figure so far
    for _, r in df.iterrows():
        where = {"file": r["_path"], "sheet": r["_sheet"], "row": int(r["_row"]), "entity": r["entity"]}
        target = r["考核项目"]
        if target not in targets:
            by_name = {i.name: i.id for i in asm.scheme.items} | {a.name: a.id for a in asm.scheme.adjustments()}
            hint = (f"（“{target}”是项目名称，请填写项目编号 {by_name[str(target)]}）" if str(target) in by_name
                    else did_you_mean(str(target), targets))
            asm.problems.add(f"考核项目“{shown(target)}”不存在{hint}", column="考核项目",
                             value=shown_value(target), code="unknown-item", **where)
            continue
        figs = [c for c in ("扣分", "得分") if r[c] is not None]
        if len(figs) != 1:
            both = "、".join(f"{c}={r[c]}" for c in ("扣分", "得分") if r[c] is not None) or "均为空"
            asm.problems.add(f"每行须且只须填写“扣分”或“得分”之一（现为{both}）", column="扣分", value=r["扣分"],
                             code="finding-figure", **where)
            continue
        item = asm.scheme.item(str(target))
        if item is not None and item.assessed is not None:
            a = item.assessed
            col = "扣分" if a.mode == "deduct" else "得分"
            if figs[0] != col:
                asm.problems.add(f"项目{target}由评分单位填写“{col}”，不是“{figs[0]}”", column=figs[0], code="finding-figure",
                                 **where)
                continue
            v = r[col]
            key = (str(r["entity"]), str(target))
            if a.mode == "score" and key in totals:
                asm.problems.add(f"单位“{r['entity']}”的项目{target}已有一条评定得分记录；评定得分每个单位只能有一条，"
                                 "请合并为一条", column=col, value=v, code="finding-duplicate", **where)
                continue
            totals[key] = v
            # The range bounds each record (one assessor's judgement, “每次扣0.5—2分”); the item's
            # points and cap bound their sum (“扣完为止”). A 0 says “checked, nothing to deduct / award”:
            # the record that tells a unit scored in full from a lead department that forgot to report.
            if not (a.lo <= v <= a.hi or (v == 0 and a.mode != "score")):
                zero = f"（或填0表示已考核、无{col}）" if a.mode != "score" else ""
                asm.problems.add(f"项目{target}的{col}应在 {a.lo}—{a.hi} 分之间{zero}，实际为{v}", column=col, value=v,
                                 code="finding-range", **where)
        elif item is not None and figs[0] == "得分":
            asm.problems.add(f"项目{target}不是评分单位打分项（assessed），只能填写“扣分”", column="得分", value=r["得分"],
                             code="finding-figure", **where)
        elif item is None:
            want = "得分" if any(b.id == target for b in asm.scheme.bonuses) else "扣分"
            if figs[0] != want:
                asm.problems.add(f"{'加分项' if want == '得分' else '扣分项'}{target}应填写“{want}”", column=figs[0],
                                 code="finding-figure", **where)
