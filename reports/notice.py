"""The 通报 draft (通报.md; 通报.docx is rendered from the same blocks by `reports.noticedocx.notice_docx`), in the structure of the office's notices.

Every number in the draft is read from the results (via `summary`); what only the office can write is
left as a clearly marked placeholder 【请填写：……】. The draft is built once as blocks, then rendered to
Markdown and to Word, so both say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.summary import Summary, base_title, fixed, problem_level, summarise, unsigned_text
from scoring.pipeline import Results
from scoring.totals import UnitResult

TOP_ITEMS = 10
PLACEHOLDER = re.compile(r"【请填写：[^】]*】")
DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (ordinals of headings)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return f"{'' if tens == 1 else DIGITS[tens]}十{DIGITS[ones] if ones else ''}"
    return str(n)


def ask(what: str) -> str:
    return f"【请填写：{what}】"


ANNEX_TITLE = "各单位考核得分明细"
WORD_ONLY = {"ranking", "annex"}   # tables the Word document carries; the Markdown draft stays text


@dataclass(frozen=True)
class Block:
    kind: str   # title | note | heading | subheading | para | item | sign | ranking | annex
    text: str


def notice_title(results: Results) -> str:
    return f"关于{base_title(results.scheme)}结果的通报"


def _scored(units: list[UnitResult], places: int) -> str:
    return "、".join(f"{r.name}（{fixed(r.total, places)}分）" for r in units)


def _overall(sm: Summary) -> list[Block]:
    p = sm.places
    out = [Block("heading", "一、总体情况")]
    parts = [f"本次共考核{sm.count}个单位"]
    if sm.average is not None:
        parts.append(f"平均得分{fixed(sm.average, p)}分")
    text = "，".join(parts) + "。"
    dist = "、".join(f"{g}{len(members)}个" for g, members in sm.grades)
    if dist:
        text += f"按考核等次分：{dist}。"
    if sm.best:
        text += f"得分最高的是{_scored(sm.best, p)}"
        text += f"，得分最低的是{_scored(sm.worst, p)}。" if sm.worst else "。"
    if sm.vetoed:
        text += f"有{len(sm.vetoed)}个单位触发否决或限制评优事项。"
    out.append(Block("para", text))
    out.append(Block("para", ask("对全年安全生产工作和考核总体情况的评价，如责任落实、专项整治、隐患整改等方面的成效")))
    return out


def _grade_lists(sm: Summary) -> list[Block]:
    p = sm.places
    out = [Block("heading", "二、考核等次")]
    for i, (g, members) in enumerate(sm.grades, 1):
        names = _scored(members, p) if members else "无"
        out.append(Block("para", f"（{cn_number(i)}）{g}（{len(members)}个）：{names}。"))
    notes = [(r, n) for _, members in sm.grades for r in members for n in r.grade_notes]
    if notes:
        out.append(Block("para", "等次说明：" + "；".join(f"{r.name}，{n}" for r, n in notes) + "。"))
    out.append(Block("ranking", "各单位考核得分和名次如下："))
    return out


def _problems(sm: Summary, names: dict[str, str]) -> list[Block]:
    p = sm.places
    out = [Block("heading", "三、存在的主要问题")]
    out.append(Block("subheading", "（一）失分较多的考核项目"))
    shown = sm.losses[:TOP_ITEMS]
    if shown:
        out.append(Block("para", f"从评分结果看，共有{len(sm.losses)}个考核项目有单位失分，失分单位较多的"
                                 f"{len(shown)}个项目依次是："))
        for i, x in enumerate(shown, 1):
            clause = f"，条款{x.item.clause}" if x.item.clause else ""
            out.append(Block("item", f"{i}. {x.item.name}（{x.item.id}{clause}，满分{unsigned_text(x.item.points, p)}分）："
                                     f"{x.count}个单位失分，合计失分{fixed(x.lost, p)}分。失分单位："
                                     f"{'、'.join(r.name for r in x.units)}。"))
    else:
        out.append(Block("para", "各单位各考核项目均未失分。"))
    out.append(Block("para", ask("对上述问题的分析，如责任落实不严不细、工作进展不平衡、“上热下冷”等")))
    out.append(Block("subheading", "（二）否决和限制评优情况"))
    if sm.vetoed:
        for i, (r, marks) in enumerate(sm.vetoed, 1):
            what = "；".join(f"{m.name}（{m.effect}）：{m.reason.rstrip('。；; ')}" if m.reason else f"{m.name}（{m.effect}）"
                            for m in marks)
            out.append(Block("item", f"{i}. {r.name}：{what}。"))
    else:
        out.append(Block("para", "本次考核没有单位触发否决或限制评优事项。"))
    out.append(Block("subheading", "（三）数据问题"))
    if sm.problems:
        errors = sum(1 for pr in sm.problems if pr.level == "error")
        out.append(Block("para", f"评分中发现数据问题{len(sm.problems)}个（错误{errors}个、警告"
                                 f"{len(sm.problems) - errors}个），已在评分结果的“数据问题”表中逐条列出："))
        for i, pr in enumerate(sm.problems, 1):
            unit = f"{names.get(pr.entity, pr.entity)}：" if pr.entity else ""
            out.append(Block("item", f"{i}. （{problem_level(pr)}）{unit}{pr.message}"))
        out.append(Block("para", ask("对数据问题的处理意见，如请有关单位核实更正")))
    else:
        out.append(Block("para", "评分中未发现数据问题。"))
    return out


def notice_blocks(results: Results) -> list[Block]:
    sm = summarise(results)
    title = results.scheme.meta.title
    blocks = [
        Block("title", notice_title(results)),
        Block("note", ask("起草说明，印发前删除：本稿由评分结果自动生成，文中数字均取自评分结果；"
                          "带“请填写”的地方由起草单位补充或删除")),
        Block("para", ask("主送单位，如各县区人民政府、市安委会各成员单位") + "："),
        Block("para", ask("开头语，如考核依据、组织方式和时间、全年安全生产形势") +
              f"按照《{title}》，对{sm.count}个单位进行了考核。现将考核结果通报如下："),
        *_overall(sm),
        *_grade_lists(sm),
        *_problems(sm, {r.entity: r.name for r in results.units}),
        Block("heading", "四、下一步工作要求"),
        Block("para", ask("下一步工作安排和要求，如强化责任落实、隐患整改闭环、重点行业领域专项整治等")),
        Block("annex", ANNEX_TITLE),
        Block("sign", ask("发文单位")),
        Block("sign", ask("成文日期")),
    ]
    return blocks


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    """Text as Markdown shows it literally: markup characters escaped, a line break in a name kept inside
    its paragraph (a new line there could start a heading or a list)."""
    return MD_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()) if "\n" in text or "\r" in text else text)


def notice_markdown(results: Results) -> str:
    out = []
    for b in notice_blocks(results):
        if b.kind in WORD_ONLY:
            continue
        t = _md(b.text)
        if b.kind == "title":
            out.append(f"# {t}")
        elif b.kind == "heading":
            out.append(f"## {t}")
        elif b.kind == "subheading":
            out.append(f"### {t}")
        elif b.kind == "note":
            out.append(f"> {t}")
        else:
            out.append(t)
    return "\n\n".join(out) + "\n"
