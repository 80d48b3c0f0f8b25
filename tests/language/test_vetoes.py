"""Veto effects: the language's list, its one wording per effect, and the scoring registry agree."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rules.language import expr as ex
from rules.language.constructs.vetoes import EFFECTS, CVeto
from scoring.vetoes import ACTIONS
from tests.helpers import MINIMAL
from tests.language.test_criteria_errors import problems_of, write


def _veto(effect: str, arg: object) -> CVeto:
    return CVeto("V1", "否决", ex.parse("missed > 0"), None, effect, arg, None, None)


def test_the_scoring_registry_has_exactly_the_languages_effects() -> None:
    assert set(ACTIONS) == set(EFFECTS), "scoring/vetoes.py ACTIONS and the veto construct's EFFECTS differ"


def test_one_wording_per_effect() -> None:
    said = {e: _veto(e, arg).words("不合格") for e, arg in (
        ("fail", None), ("zero", None), ("exclude", None), ("deduct", Decimal("30.0")), ("max_grade", "良好"),
        ("downgrade", 1), ("flag", "预否决"))}
    assert said == {"fail": "等次定为不合格", "zero": "总分计0分", "exclude": "不予评定等次", "deduct": "扣30分",
                    "max_grade": "等次不高于良好", "downgrade": "等次降1档", "flag": "预否决"}
    assert _veto("flag", None).words("不合格") == "标记"


def test_the_written_form_is_kept_for_results_documents() -> None:
    assert _veto("max_grade", "良好").effect_text() == "max_grade: 良好"
    assert _veto("fail", None).effect_text() == "fail"
    assert _veto("flag", None).effect_text() == "flag"


def test_reports_use_the_constructs_wording() -> None:
    root = Path(__file__).parent.parent.parent
    for report in ("summary.py", "selfcheckreport.py"):
        text = (root / "reports" / report).read_text(encoding="utf-8")
        assert "最高评为" not in text and "等次不高于" not in text, f"reports/{report} words an effect itself"


def _with_veto(effect: str) -> str:
    return MINIMAL + f"vetoes:\n  - {{id: V1, name: 否决, when: missed > 5, effect: {effect}}}\n"


def test_a_bad_effect_lists_every_effect(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, _with_veto("fial")))
    assert any("（是否指 fail？）" in o and "{max_grade: 等次}" in o and "(veto-effect)" in o for o in out), out


def test_an_unknown_grade_and_absurd_deduction_are_refused(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, _with_veto("{max_grade: 优秀}")))
    assert any("等次“优秀”未在 scheme.grades 中定义" in o for o in out), out
    out = problems_of(write(tmp_path, _with_veto("{deduct: 1.0e309}")))
    assert any("超出合理范围" in o and ":21:" in o for o in out), out
