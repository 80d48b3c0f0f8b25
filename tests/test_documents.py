"""The documents offices print (issue 16): a 评分表 per unit in results.xlsx, the printed self-check
(自查报告.docx / .xlsx) and 通报.docx on a template — read back with openpyxl and python-docx."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from reports.sheetnames import sheet_name
from tests.helpers import cli

ROOT = Path(__file__).parent.parent
COUNTY = ROOT / "criteria/2020/county.yaml"
COUNTY_DATA = ROOT / "examples/city-2020/counties"
HOSTILE = {"u01": "=1+1", "u02": "北" * 40, "u03": "a/b[c]:县", "u04": "北" * 35, "u05": "汇总"}


def _city(tmp_path: Path, self_scores: bool = True, names: dict[str, str] | None = None) -> Path:
    """The example city, with 自评分 columns for u01 (A2 given full marks, B6 at 2) and renamed units."""
    data = tmp_path / "data"
    shutil.copytree(COUNTY_DATA, data)
    if self_scores:
        values = (data / "values.csv").read_text(encoding="utf-8").splitlines()
        values = [values[0] + ",自评分:A2,自评分:B6"] + [
            row + (",3,2" if row.startswith("u01,") else ",,") for row in values[1:]]
        (data / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
    if names:
        lines = (data / "entities.csv").read_text(encoding="utf-8").splitlines()
        out = [lines[0]]
        for row in lines[1:]:
            cells = row.split(",")
            cells[1] = names.get(cells[0], cells[1])
            out.append(",".join(cells))
        (data / "entities.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return data


def _report(tmp_path: Path, data: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    result = cli("report", "-c", str(COUNTY), "-d", str(data), "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("city")
    return _report(tmp, _city(tmp))


def _table(ws: object, header_row: int = 2) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))  # type: ignore[attr-defined]
    head = rows[0]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


def test_each_unit_has_a_scoring_sheet_with_self_scores(city: Path) -> None:
    wb = load_workbook(city / "results.xlsx")
    assert wb.sheetnames[:4] == ["汇总", "明细", "扣分说明", "数据问题"]
    assert "秦川区" in wb.sheetnames and "麟北县" in wb.sheetnames
    rows = {r["考核项目"]: r for r in _table(wb["秦川区"])}
    assert list(next(iter(rows.values()))) == ["考核项目", "评分标准", "分值", "自评分", "考核得分", "扣分说明", "评分单位"]
    a2 = rows["A2 领导干部安全生产责任清单（一岗双责）"]
    assert (a2["分值"], a2["自评分"], a2["考核得分"]) == (3, 3, 2.5)
    assert "班子成员未明确安全生产责任清单" in str(a2["扣分说明"])
    assert str(a2["评分标准"]).startswith("〔一(一)2〕") and "每人扣0.5分" in str(a2["评分标准"])
    b6 = rows["B6 专项整治工作成效（专委会评分）"]
    assert (b6["自评分"], b6["考核得分"], b6["评分单位"]) == (2, 1.8, "市安委会专委会办公室")
    assert "由评分单位评定0—2分" in str(b6["评分标准"])
    assert rows["A1 党政同责（主要负责人履职）"]["自评分"] is None       # not self-scored: left empty
    assert rows["G3 煤矿“一矿一策”"]["考核得分"] == "不适用"
    a = rows["A 安全生产责任落实"]
    assert (a["分值"], a["考核得分"], a["评分标准"]) == (15, 14, "〔一〕本类小计")
    assert rows["总分"]["考核得分"] == 97.2 and "等次：优秀" in str(rows["总分"]["扣分说明"])
    # a unit without self-scores has no 自评分 column
    assert "自评分" not in [c.value for c in wb["麟北县"][2]]


def test_detail_sheet_puts_self_score_beside_score(city: Path) -> None:
    ws = load_workbook(city / "results.xlsx")["明细"]
    assert [c.value for c in ws[5]][3:5] == ["考核得分", "自评分"]
    assert [c.value for c in ws[3]][3] == "A1 党政同责（主要负责人履职）"
    first = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[1] == "u01")
    items = [c.value for c in ws[3]][3::2]
    a2 = 3 + 2 * items.index("A2 领导干部安全生产责任清单（一岗双责）")
    assert first[a2:a2 + 2] == (2.5, 3)


def test_hostile_unit_names_make_safe_unique_sheets_never_formulas(tmp_path: Path) -> None:
    out = _report(tmp_path, _city(tmp_path, self_scores=False, names=HOSTILE))
    wb = load_workbook(out / "results.xlsx")
    names = wb.sheetnames
    assert len(names) == len({n.lower() for n in names}) == 4 + 13
    for n in names:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\")
    assert "=1+1" in names and "汇总(2)" in names and "北" * 31 in names and "北" * 28 + "(2)" in names
    ws = wb["=1+1"]
    assert ws["A1"].data_type == "s" and ws["A1"].value.endswith("（=1+1）")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)


def test_too_many_units_get_one_sheet_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.scoresheet as scoresheet
    from common.problems import Problems
    from reports.xlsx import build_workbook
    from scoring.pipeline import run

    results = run(COUNTY, COUNTY_DATA, Problems())
    assert results is not None
    monkeypatch.setattr(scoresheet, "MAX_UNIT_SHEETS", 5)
    wb = load_workbook(io.BytesIO(build_workbook(results)))
    assert wb.sheetnames == ["汇总", "明细", "扣分说明", "数据问题", "评分表"]
    assert "13个单位，超过5个" in str(wb["评分表"]["A3"].value)


def test_sheet_name_rules() -> None:
    used: set[str] = set()
    assert sheet_name("History", used) == "History(2)"
    assert sheet_name("'quoted'", used) == "quoted"
    assert sheet_name("   ", used, fallback="u01") == "u01"
    assert sheet_name("A", used) == "A" and sheet_name("a", used) == "a(2)"


def test_notice_has_heading_styles_page_number_ranking_and_annex(city: Path) -> None:
    doc = Document(str(city / "通报.docx"))
    styles = {p.style.name for p in doc.paragraphs if p.text}
    assert {"Title", "Heading 1", "Heading 2", "Normal"} <= styles
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[:4] == ["一、总体情况", "二、考核等次", "三、存在的主要问题", "四、下一步工作要求"]
    footer = doc.sections[0].footer._element
    assert any("PAGE" in (t.text or "") for t in footer.iter(qn("w:instrText")))
    ranking, annex = doc.tables
    assert [c.text for c in ranking.rows[0].cells] == ["名次", "单位", "总分", "等次"]
    assert [c.text for c in ranking.rows[1].cells] == ["1", "秦川区", "97.20", "优秀"]
    assert len(ranking.rows) == 1 + 13
    head = [c.text for c in annex.rows[0].cells]
    assert head[:3] == ["名次", "单位", "安全生产责任落实（A）"] and "总分" in head and len(annex.rows) == 14
    assert [p.text for p in doc.paragraphs].count("附件") == 1
    assert doc.sections[-1].page_width > doc.sections[-1].page_height   # the annex prints landscape


def test_notice_uses_the_offices_template(tmp_path: Path) -> None:
    template = Document()
    template.add_paragraph("某市安全生产委员会办公室文件")          # a 红头 line before the text
    template.add_paragraph("【正文】")
    template.add_paragraph("抄送：市委办公室")
    path = tmp_path / "红头.docx"
    template.save(str(path))
    out = _report(tmp_path, _city(tmp_path, self_scores=False), "--notice-template", str(path))
    texts = [p.text for p in Document(str(out / "通报.docx")).paragraphs]
    assert texts[0] == "某市安全生产委员会办公室文件" and texts[1].startswith("关于")
    assert "【正文】" not in texts
    assert texts.index("抄送：市委办公室") > texts.index("四、下一步工作要求")


def test_notice_template_that_is_not_docx_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "模板.docx"
    bad.write_text("not a document", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("report", "-c", str(COUNTY), "-d", str(COUNTY_DATA), "-o", str(out), "--notice-template", str(bad))
    assert result.exit_code == 2 and "不是 Word 文档" in result.output
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_selfcheck_prints_score_vetoes_gaps_and_assessed_items(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"自查{suffix}"
    result = cli("selfcheck", "-c", str(COUNTY), "-d", str(COUNTY_DATA), "-e", "麟北县", "-o", str(out))
    assert result.exit_code == 0, result.output
    if suffix == ".docx":
        doc = Document(str(out))
        texts = [p.text for p in doc.paragraphs]
        tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
        assert doc.paragraphs[0].style.name == "Title"
        assert next(p.text for p in doc.paragraphs if p.style.name == "Heading 1").startswith("一、否决")
    else:
        wb = load_workbook(io.BytesIO(out.read_bytes()))
        assert wb.sheetnames == ["概况", "否决和限制评优", "失分项目", "由评分单位评分的项目"]
        texts = [str(r[0]) for r in wb["概况"].iter_rows(min_row=3, values_only=True)]
        tables = [[[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(min_row=2, values_only=True)]
                  for ws in wb.worksheets[1:]]
    assert "暂定总分：81.60分（满分100分，另计加分、扣分项）" in texts
    assert any(t.startswith("暂定等次：不合格") for t in texts)
    vetoes, gaps, assessed = tables
    assert vetoes[0] == ["编号", "事项", "后果", "状态", "说明"] and vetoes[1][3] == "已触发"
    lost = [Decimal(r[3]) for r in gaps[1:]]
    assert lost == sorted(lost, reverse=True) and gaps[1][1].startswith("C1 隐患整改率")
    assert "再整改" in gaps[1][5]   # the target, in words
    assert [r[0].split()[0] for r in assessed[1:] if r[1]] == ["A6", "B6", "F4"]
    assert any("合计可使总分在76.20—83.20分之间" in t for t in texts + [r[0] for r in assessed])


def test_scorer_stated_by_the_scheme_fills_the_scorer_column(tmp_path: Path) -> None:
    from common.problems import Problems
    from reports.xlsx import build_workbook
    from scoring.pipeline import run

    text = COUNTY.read_text(encoding="utf-8")
    assert text.count("assessed: {deduct: [0.5, 3]}") == 1
    crit = tmp_path / "county.yaml"
    crit.write_text(text.replace("assessed: {deduct: [0.5, 3]}", "assessed: {deduct: [0.5, 3], scorer: 市安委办}"),
                    encoding="utf-8")
    results = run(crit, COUNTY_DATA, Problems())
    assert results is not None
    unscored = next(r for r in results.units if not any(e.item == "A6" for e in r.events))
    wb = load_workbook(io.BytesIO(build_workbook(results)))
    a6 = next(r for r in _table(wb[unscored.name]) if str(r["考核项目"]).startswith("A6 "))
    assert a6["评分单位"] == "市安委办" and "由市安委办视情扣0.5—3分" in str(a6["评分标准"])
