"""`assess report`: the results workbook, the offline HTML report and the 通报 draft.

Checked on the spec scheme and on a scheme written only here (grades, categories, decimals and names the
code has never seen), by reading the outputs back: openpyxl for the workbook, the HTML text, and the
numbers of the 通报 parsed out of the Markdown and compared with the results.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from common.problems import Problems
from reports.notice import PLACEHOLDER
from scoring.pipeline import Results, run
from tests.helpers import SPEC, SPEC_DATA, cli

ROOT = Path(__file__).parent.parent
COUNTY = ROOT / "criteria/2020/county.yaml"
COUNTY_DATA = ROOT / "examples/city-2020/counties"

OTHER = """\
scheme:
  id: other-test
  title: 某市企业安全生产标准化评审办法
  total: 50
  decimals: 1
  grades:
    - {name: 一级, min: 45}
    - {name: 二级, min: 35}
    - {name: 三级, min: 0}
entity_fields:
  sector: {label: 行业, values: [化工, 矿山, 商贸]}
inputs:
  drill_count: {label: 应急演练次数, type: int, min: 0}
  trained_share: {label: 培训覆盖率, type: percent}
  incident_count: {label: 事故起数, type: int, min: 0, default: 0}
  mine_checks: {label: 井下巡检缺漏次数, type: int, min: 0}
categories:
  - id: P
    name: 应急管理
    points: 20
    items:
      - id: P1
        name: 应急演练
        points: 10
        clause: 第三条
        when: drill_count < 4
        deduct: 2.5
        per: 4 - drill_count
        reason: 应急演练次数不足
      - id: P2
        name: 全员培训
        points: 10
        clause: 第四条
        when: trained_share < 100%
        deduct: 0.5
        per: (100% - trained_share) * 100
        per_rounding: ceil
        reason: 培训未全覆盖
  - id: Q
    name: 现场管理
    points: 30
    items:
      - id: Q1
        name: 现场检查
        points: 25
        clause: 第五条
        assessed: {deduct: [1, 25]}
      - id: Q2
        name: 井下巡检
        points: 5
        applies_when: entity.sector == '矿山'
        deduct: 1
        per: mine_checks
vetoes:
  - id: X1
    name: 发生生产安全事故
    clause: 第九条
    when: incident_count > 0
    effect: fail
    reason: 评审期内发生生产安全事故
"""

OTHER_ENTITIES = """\
id,name,行业
e1,"甲<b>化工</b>&""有限""公司",化工
e2,乙矿业,矿山
e3,丙商贸,商贸
e4,丁矿业,矿山
e5,戊化工,化工
"""

OTHER_VALUES = """\
entity,drill_count,trained_share,incident_count,mine_checks
e1,4,100%,0,0
e2,2,95%,0,2
e3,3,99.5%,1,0
e4,4,88%,0,0
e5,1,70%,0,1
"""

OTHER_FINDINGS = """\
entity,考核项目,扣分,得分,事由,评分单位,依据
e2,Q1,3,,现场安全标志缺失,评审组,现场评审记录
e5,Q1,12,,特种作业人员无证上岗,评审组,现场评审记录
"""


def _write_other(tmp: Path) -> tuple[Path, Path]:
    crit = tmp / "other.yaml"
    crit.write_text(OTHER, encoding="utf-8")
    data = tmp / "other_data"
    data.mkdir()
    (data / "entities.csv").write_text(OTHER_ENTITIES, encoding="utf-8")
    (data / "values.csv").write_text(OTHER_VALUES, encoding="utf-8")
    (data / "findings.csv").write_text(OTHER_FINDINGS, encoding="utf-8")
    return crit, data


SCHEMES = ["spec", "other", "county"]


@pytest.fixture(scope="module", params=SCHEMES)
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, Path]:
    """(results, output folder of `assess report`) for one scheme."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "spec":
        crit, data = SPEC, SPEC_DATA
    elif request.param == "other":
        crit, data = _write_other(tmp)
    else:
        if not COUNTY.exists() or not COUNTY_DATA.exists():
            pytest.skip("the example city is not in this checkout")
        crit, data = COUNTY, COUNTY_DATA
    problems = Problems()
    results = run(crit, data, problems)
    assert results is not None and not problems.errors, [p.render() for p in problems.items]
    out = tmp / "out"
    result = cli("report", "-c", str(crit), "-d", str(data), "-o", str(out))
    assert result.exit_code == 0, result.output
    return results, out


def test_report_writes_every_file_and_no_temporaries(case: tuple[Results, Path]) -> None:
    _, out = case
    assert sorted(p.name for p in out.iterdir()) == sorted(["results.xlsx", "report.html", "通报.md", "通报.docx"])


def _rows(ws: object, first: int) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]  # type: ignore[attr-defined]


def test_workbook_sheets_units_and_print_setup(case: tuple[Results, Path]) -> None:
    results, out = case
    wb = load_workbook(out / "results.xlsx")
    assert wb.sheetnames[:4] == ["汇总", "明细", "扣分说明", "数据问题"]
    assert len(wb.sheetnames) == 4 + len(results.units)   # then a 评分表 per unit (tests/test_scoresheet.py)
    places = results.scheme.meta.decimals
    score_format = "0." + "0" * places if places else "0"
    names = [r.name for r in results.units]

    summary = wb["汇总"]
    head = [c.value for c in summary[2]]
    assert head[:5] == ["名次", "编号", "单位", "总分", "等次"]
    for c in results.scheme.categories:
        assert f"{c.name}（{c.id}）" in head
    body = _rows(summary, 3)
    assert [row[2] for row in body] == names
    assert [Decimal(str(row[3])) for row in body] == [r.total for r in results.units]
    assert [row[4] for row in body] == [r.grade for r in results.units]
    assert summary.cell(row=3, column=4).number_format == score_format
    veto_col = head.index("否决/限制评优")
    for row, r in zip(body, results.units, strict=True):
        for v in r.vetoes:
            assert v["name"] in (row[veto_col] or "")

    detail = wb["明细"]
    items = results.scheme.items
    rows = _rows(detail, 5)
    assert [row[2] for row in rows] == names
    for row, r in zip(rows, results.units, strict=True):
        for k, it in enumerate(items):
            score = r.items[it.id]
            cell = row[3 + k]
            if score is None:
                assert cell == "不适用"
            else:
                assert Decimal(str(cell)) == score, (r.entity, it.id)

    events = wb["扣分说明"]
    assert [c.value for c in events[2]] == ["名次", "编号", "单位", "项目编号", "项目名称", "分值变动", "类型", "理由",
                                            "条款", "依据数据", "评分单位"]
    ev_rows = [row for row in _rows(events, 3) if row[1]]
    all_events = [e for r in results.units for e in r.events]
    assert len(ev_rows) == len(all_events)
    for row, e in zip(ev_rows, all_events, strict=True):  # stored as numbers (a double keeps ~15 digits)
        assert abs(Decimal(str(row[5])) - e.points) < Decimal("1e-9"), (row, e)
    assert {row[2] for row in ev_rows} <= set(names)
    assert [row[7] for row in ev_rows] == [e.reason for e in all_events]

    problems = wb["数据问题"]
    assert len([row for row in _rows(problems, 3) if row[0]]) == len(results.problems.items)

    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4)
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:")
        assert ws.freeze_panes
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and min(widths) >= 6


EXTERNAL = re.compile(r"""(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_html_is_self_contained_with_inline_charts_and_every_unit(case: tuple[Results, Path]) -> None:
    import html as std_html

    results, out = case
    text = (out / "report.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in text and '<meta charset="utf-8">' in text
    assert not EXTERNAL.search(text)
    assert not re.search(r"<link\b|<script[^>]+src=|@import|@font-face|<iframe|<img\b", text, re.I)
    assert not re.search(r"url\((?!#)", text)  # only references inside the page (an SVG gradient)
    assert text.count("<svg") >= 2 and 'aria-label="总分排名图"' in text and 'aria-label="各类别得分率热力图"' in text
    assert "@media print" in text
    for r in results.units:
        assert std_html.escape(r.name) in text
        assert text.count(f'id="unit-{std_html.escape(r.entity)}"') == 1
    for c in results.scheme.categories:
        assert std_html.escape(c.name[:6]) in text


def test_html_escapes_names(tmp_path: Path) -> None:
    crit, data = _write_other(tmp_path)
    assert cli("report", "-c", str(crit), "-d", str(data), "-o", str(tmp_path / "o")).exit_code == 0
    text = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "<b>化工</b>" not in text
    assert "甲&lt;b&gt;化工&lt;/b&gt;&amp;&quot;有限&quot;公司" in text
    md = (tmp_path / "o" / "通报.md").read_text(encoding="utf-8")
    assert "甲\\<b\\>化工\\</b\\>&\"有限\"公司" in md


# -- the 通报 draft: every number read back and compared with the results


def _q(d: Decimal, places: int) -> str:
    return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"


def _unmd(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _lines(out: Path) -> list[str]:
    return [_unmd(line) for line in (out / "通报.md").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_notice_overall_numbers_match_results(case: tuple[Results, Path]) -> None:
    results, out = case
    places = results.scheme.meta.decimals
    units = results.units
    text = "\n".join(_lines(out))
    m = re.search(r"本次共考核(\d+)个单位，平均得分([\d.]+)分。按考核等次分：(.+?)。", text)
    assert m, text
    assert int(m.group(1)) == len(units)
    assert m.group(2) == _q(sum((r.total for r in units), Decimal(0)) / len(units), places)
    dist = dict(re.findall(r"([^、]+?)(\d+)个", m.group(3)))
    expected = {g.name: 0 for g in results.scheme.grades}
    for r in units:
        expected[r.grade or ""] = expected.get(r.grade or "", 0) + 1
    assert {k: int(v) for k, v in dist.items()} == expected
    best = re.search(r"得分最高的是(.+?)（([\d.]+)分）", text)
    worst = re.search(r"得分最低的是(.+?)（([\d.]+)分）", text)
    assert best and worst
    top = min(r.rank or 0 for r in units)
    bottom = max(r.rank or 0 for r in units)
    assert best.group(1) == "、".join(r.name for r in units if r.rank == top)
    assert best.group(2) == _q(units[0].total, places)
    assert worst.group(2) == _q(units[-1].total, places)
    assert worst.group(1).split("（")[0] in [r.name for r in units if r.rank == bottom]
    vetoed = re.search(r"有(\d+)个单位触发否决或限制评优事项", text)
    assert (int(vetoed.group(1)) if vetoed else 0) == sum(1 for r in units if r.vetoes)


def test_notice_grade_lists_match_results(case: tuple[Results, Path]) -> None:
    results, out = case
    places = results.scheme.meta.decimals
    found: dict[str, list[tuple[str, str]]] = {}
    for line in _lines(out):
        m = re.fullmatch(r"（[一二三四五六七八九十]+）(\S+?)（(\d+)个）：(.*)。", line)
        if not m:
            continue
        listed = [] if m.group(3) == "无" else re.findall(r"(.+?)（([\d.]+)分）、?", m.group(3))
        assert len(listed) == int(m.group(2))
        found[m.group(1)] = listed
    expected: dict[str, list[tuple[str, str]]] = {g.name: [] for g in results.scheme.grades}
    for r in results.units:
        expected.setdefault(r.grade or "", []).append((r.name, _q(r.total, places)))
    assert found == expected


def test_notice_items_most_units_lost_points_on(case: tuple[Results, Path]) -> None:
    results, out = case
    places = results.scheme.meta.decimals
    losses = {}
    for it in results.scheme.items:
        lost = [(r, it.points - s) for r in results.units if (s := r.items[it.id]) is not None and s < it.points]
        if lost:
            losses[it.id] = (len(lost), sum((d for _, d in lost), Decimal(0)), [r.name for r, _ in lost])
    pattern = re.compile(r"(\d+)\. (.*)（([A-Za-z0-9_.\-]+)(?:，条款[^，]*)?，满分([\d.]+)分）："
                         r"(\d+)个单位失分，合计失分([\d.]+)分。失分单位：(.*)。")
    rows = [m for line in _lines(out) if (m := pattern.fullmatch(line))]
    assert len(rows) == min(10, len(losses))
    counts = []
    for m in rows:
        item = results.scheme.item(m.group(3))
        assert item is not None and m.group(2) == item.name
        assert Decimal(m.group(4)) == item.points
        count, lost, names = losses[item.id]
        assert int(m.group(5)) == count
        assert m.group(6) == _q(lost, places)
        assert m.group(7).split("、") == names
        counts.append((count, lost))
    assert counts == sorted(counts, key=lambda c: (-c[0], -c[1]))
    listed = {m.group(3) for m in rows}
    left_out = [c for k, (c, _, _) in losses.items() if k not in listed]
    assert all(c <= counts[-1][0] for c in left_out)  # nothing left out lost on more units than those listed
    total = re.search(r"共有(\d+)个考核项目有单位失分", "\n".join(_lines(out)))
    assert (int(total.group(1)) if total else 0) == len(losses)


def test_notice_vetoes_and_problems(case: tuple[Results, Path]) -> None:
    results, out = case
    lines = _lines(out)
    start = lines.index("### （二）否决和限制评优情况")
    end = lines.index("### （三）数据问题")
    section = lines[start + 1:end]
    vetoed = [r for r in results.units if r.vetoes]
    if not vetoed:
        assert section == ["本次考核没有单位触发否决或限制评优事项。"]
    else:
        assert len(section) == len(vetoed)
        for line, r in zip(section, vetoed, strict=True):
            assert line.split("：")[0].split(". ", 1)[1] == r.name
            for v in r.vetoes:
                assert v["name"] in line
    text = "\n".join(lines)
    probs = results.problems.items
    m = re.search(r"评分中发现数据问题(\d+)个（错误(\d+)个、警告(\d+)个）", text)
    if probs:
        assert m and int(m.group(1)) == len(probs)
        assert int(m.group(2)) == len(results.problems.errors) and int(m.group(3)) == len(results.problems.warnings)
    else:
        assert not m and "评分中未发现数据问题。" in text


def test_notice_placeholders_and_structure(case: tuple[Results, Path]) -> None:
    _, out = case
    md = (out / "通报.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert headings == ["一、总体情况", "二、考核等次", "三、存在的主要问题", "四、下一步工作要求"]
    assert md.startswith("# 关于") and "结果的通报" in md.splitlines()[0]
    assert len(PLACEHOLDER.findall(md)) >= 5
    # the office's own words are placeholders, and they carry no numbers of their own
    for ph in PLACEHOLDER.findall(md):
        assert not re.search(r"\d", ph), ph


def test_docx_says_what_the_markdown_says(case: tuple[Results, Path]) -> None:
    _, out = case
    doc = Document(str(out / "通报.docx"))
    paras = [p.text for p in doc.paragraphs if p.text.strip()]
    md = [re.sub(r"^(#+|>) ", "", line) for line in _lines(out)]
    word_only = ["各单位考核得分和名次如下：", "附件：各单位考核得分明细", "附件", "各单位考核得分明细"]  # with their tables
    assert [p for p in paras if p in word_only] == word_only
    assert [p for p in paras if p not in word_only] == md
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted and all(PLACEHOLDER.fullmatch(t) for t in highlighted)
    sec = doc.sections[0]
    assert sec.page_width is not None and abs(sec.page_width.cm - 21) < 0.01


def test_report_refuses_data_with_errors_and_writes_nothing(tmp_path: Path) -> None:
    crit, data = _write_other(tmp_path)
    (data / "values.csv").write_text(OTHER_VALUES.replace("e2,2,95%", "e2,两次,95%"), encoding="utf-8")
    out = tmp_path / "o"
    result = cli("report", "-c", str(crit), "-d", str(data), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_report_failure_leaves_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "o"
    assert cli("report", "-c", str(SPEC), "-d", str(SPEC_DATA), "-o", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*_: object) -> bytes:
        raise RuntimeError("docx failed")

    import reports.noticedocx as noticedocx

    monkeypatch.setattr(noticedocx, "notice_docx", boom)
    with pytest.raises(RuntimeError):
        cli("report", "-c", str(SPEC), "-d", str(SPEC_DATA), "-o", str(out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_reports_do_not_change_results() -> None:
    from reports.html import render_html
    from reports.notice import notice_markdown
    from reports.noticedocx import notice_docx
    from reports.xlsx import build_workbook
    from results.document import to_json

    results = run(SPEC, SPEC_DATA)
    assert results is not None
    before = to_json(results)
    build_workbook(results)
    render_html(results)
    notice_markdown(results)
    notice_docx(results)
    assert to_json(results) == before


def test_spec_fixture_has_a_not_applicable_item(case: tuple[Results, Path]) -> None:
    """The 明细 check above shows 不适用; make sure at least the spec data exercises it."""
    results, _ = case
    if results.scheme.meta.id == "spec-2020":
        assert any(r.not_applicable for r in results.units)


def test_other_scheme_is_unknown_to_the_code() -> None:
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "scoring" / "report").glob("*.py"))
    for name in ("一级", "应急演练", "drill_count", "现场管理", "评审"):
        assert name not in src


def test_html_shows_self_scores_beside_the_office_scores(tmp_path: Path) -> None:
    """自评分 beside 考核得分 for a unit that gave self-scores, and every item where they differ, also where the
    office gave more; a unit without self-scores has no 自评分 column."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    lines = (data / "values.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",自评分:A1,自评分:C3"] + [row + (",2,4" if row.startswith("c02") else ",,") for row in lines[1:]]
    (data / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("report", "-c", str(SPEC), "-d", str(data), "-o", str(out)).exit_code == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    units = {m.group(1): m.group(0) for m in re.finditer(r'<details class="unit" id="unit-(\w+)">.*?</details>', page, re.S)}
    c02 = units["c02"]
    assert '<th class="num">自评分</th><th class="num">考核得分/满分</th>' in c02
    assert re.search(r'data-label="项目">A1 [^<]*</td><td class="num own" rowspan="\d+" data-label="自评分">2</td>'
                     r'<td class="num" rowspan="\d+" data-label="考核得分/满分">1.5/2</td>', c02), c02
    section = c02[c02.index("自评分与考核得分不一致的项目"):]
    assert "A1 " in section and "C3 " in section  # C3: full marks from the office, 4 in the self-score
    assert "自评分" not in units["c01"]


def test_html_says_what_an_item_scored_up_from_zero_awards() -> None:
    """On an item scored up from 0 (`basis: zero`) an awarding event reads 得N, never "+N" (the unit may have lost
    points on it); a deduction keeps its sign (issue 16: signs that match what happened)."""
    from reports.html import render_html

    county = ROOT / "criteria" / "2020" / "county.yaml"
    results = run(county, ROOT / "examples" / "city-2020" / "counties")
    assert results is not None
    page = render_html(results)
    zero = [i for i in results.scheme.items if i.basis == "zero"]
    assert zero
    cells = re.findall(r'<td class="num plus" data-label="分值变动">([^<]*)</td>', page)
    # the page lists the events of the items where a unit lost points
    awarded = [e for r in results.units for e in r.events if e.points > 0 and e.item in {i.id for i in zero}
               and r.items.get(e.item) is not None and r.items[e.item] < results.scheme.item(e.item).points]
    assert awarded and sum(c.startswith("得") for c in cells) == len(awarded)
    assert all(c.startswith(("+", "得")) for c in cells)
