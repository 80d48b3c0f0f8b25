"""The 填报说明 sheet: what to fill in and how, then every input and ledger column with its requirement.

It is each template's first tab (the workbook still opens on 填报数据), written from the scheme like
every other sheet, so it never disagrees with the validation rules.
"""

from __future__ import annotations

from openpyxl import Workbook

from intake.layout import (
    NA_WORD,
    SHEET_FINDINGS,
    SHEET_GUIDE,
    SHEET_REGISTER,
    SHEET_SELF,
    SHEET_UNIT,
    SHEET_VALUES,
    TYPE_NAMES,
    UNIT_ID,
    V_RULE,
    V_VALUE,
    column_requirement,
    input_requirement,
    sheet_name,
)
from intake.sheet_style import BOLD, TITLE_FONT, SheetWriter
from rules.language.scheme import Scheme


def guide(s: Scheme, wb: Workbook, per_unit: bool, deadline: str | None) -> None:
    """Add the guide as the first sheet of `wb`; `per_unit` for a unit's own workbook, else a consolidated one."""
    m = s.meta
    ws = wb.create_sheet(SHEET_GUIDE, 0)
    sh = SheetWriter(ws, {1: 110})
    lines: list[tuple[str, bool]] = [(f"{m.title} 填报模板", True)]
    period = f"{m.period.start.isoformat()} 至 {m.period.end.isoformat()}" if m.period else "见考核细则"
    lines += [(f"考核细则：{m.id}；考核时段：{period}", False),
              (f"报送期限：{deadline or '按市安委办通知要求'}", False), ("", False),
              ("一、要填写的工作表", True)]
    if per_unit:
        lines.append((f"· {SHEET_UNIT}：本单位编号、名称和类别（已填好并锁定，请勿修改；如有误请联系市安委办）。", False))
        lines.append((f"· {SHEET_VALUES}：每行一个填报项目，在“{V_VALUE}”列填写；"
                      f"“{V_RULE}”列写明类型、范围和能否留空，选中单元格也会提示。", False))
    else:
        lines.append((f"· {SHEET_REGISTER}：全部被考核单位，每行一个（单位编号、名称、类别）。", False))
        lines.append((f"· {SHEET_VALUES}：每行一个单位，每列一个填报项目（列名的批注写明要求）。", False))
    for inp in s.tables.values():
        key = f"；“{inp.key}”不能重复" if inp.key else ""
        lines.append((f"· {sheet_name(inp.label)}：{inp.label}，每行一条记录{key}。"
                      + ("" if per_unit else f"第一列填{UNIT_ID}。"), False))
    lines.append((f"· {SHEET_SELF}（可选）：本单位对每个考核项目的自评得分；评分结果会列出与自评不一致的项目及原因。", False))
    lines.append((f"· {SHEET_FINDINGS}：由考核组、评分单位填写（暗访督查扣分、评分单位打分），被考核单位无需填写。", False))
    lines += [("", False), ("二、怎么填", True),
              ("· 只在白色单元格填写；灰色单元格（编号、名称、要求和说明）已锁定。", False),
              ("· 数字不带单位；百分数写 87% 或 0.87（不要只写 87）；日期写 2020-12-31；是/否从下拉列表选择。", False),
              (f"· {NA_WORD}：本单位确实没有该项工作（如辖区内没有煤矿），填“{NA_WORD}”，读取它的考核项目不扣分"
               f"（按细则规定折算）。不要用 0 代替：0 表示有此项工作、数量为零。台账中不能填“{NA_WORD}”。", False),
              ("· 留空：标“必填”的不能留空；标“可留空”的留空表示没有（如尚未整改完成的隐患，整改完成日期留空）；"
               "标“留空按…计”的留空时按该值计。", False),
              ("· 台账每行一条记录：不要合并单元格、不要插入小计或空行；可以复制粘贴，但请粘贴为“值”。", False),
              ("· 单元格里的公式只读取其计算结果；宏不会被运行。", False),
              ("", False), ("三、填报项目一览", True)]
    row = 1
    for text, bold in lines:
        sh.put(row, 1, text)
        if bold:
            ws.cell(row=row, column=1).font = TITLE_FONT if row == 1 else BOLD
        row += 1
    heads = ["编号", "填报项目", "类型", "计量单位", "填写要求", "说明"]
    for j, h in enumerate(heads, start=1):
        sh.put(row, j, h, header=True)
    row += 1
    for name, inp in s.scalar_inputs.items():
        for j, v in enumerate([name, inp.label, TYPE_NAMES.get(inp.type, inp.type), inp.unit or "",
                               input_requirement(inp), inp.description or ""], start=1):
            sh.put(row, j, v)
        row += 1
    for inp in s.tables.values():
        row += 1
        sh.put(row, 1, f"台账：{inp.label}（工作表“{sheet_name(inp.label)}”）")
        ws.cell(row=row, column=1).font = BOLD
        row += 1
        for c, col in (inp.columns or {}).items():
            req = column_requirement(col) + ("；不能重复" if c == inp.key else "")
            for j, v in enumerate([c, col.label or c, TYPE_NAMES.get(col.type, col.type), col.unit or "", req,
                                   col.description or ""], start=1):
                sh.put(row, j, v)
            row += 1
    sh.caps = {1: 16, 2: 50, 3: 10, 4: 10, 5: 50, 6: 50}
    sh.widths[1] = 16  # the notes above span the row: column A keeps a table width
    sh.fit()
    ws.sheet_view.showGridLines = False
