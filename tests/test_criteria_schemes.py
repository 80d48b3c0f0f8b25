"""Every bundled scheme under criteria/ (any folder: a year, the province) validates cleanly and carries its
cases: a scheme added without cases, or one that stops validating, fails here by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from common import marks
from tests.helpers import cli

ROOT = Path(__file__).parent.parent
SCHEMES = sorted(p for p in (ROOT / "criteria").rglob("*.yaml") if not p.name.endswith(".cases.yaml"))


def test_the_province_scheme_is_among_them() -> None:
    assert ROOT / "criteria" / "province" / "city.yaml" in SCHEMES


@pytest.mark.parametrize("scheme", SCHEMES, ids=[str(p.relative_to(ROOT / "criteria")) for p in SCHEMES])
def test_scheme_validates_with_its_cases(scheme: Path) -> None:
    assert scheme.with_name(scheme.name.replace(".yaml", ".cases.yaml")).exists(), f"{scheme} has no cases file"
    result = cli("validate", str(scheme))
    assert result.exit_code == 0, result.output
    assert marks.PASS in result.output and "案例" in result.output, result.output


def test_the_province_self_check_example_scores_as_the_guide_says() -> None:
    """docs/省考与国考.md quotes this result; the example must keep producing it."""
    scheme, data = ROOT / "criteria" / "province" / "city.yaml", ROOT / "criteria" / "province" / "selfcheck-example"
    result = cli("score", "-c", str(scheme), "-d", str(data))
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "本市" in line and "c01" in line)
    assert "65.50" in row and "合格" in row
    guide = (ROOT / "docs" / "省考与国考.md").read_text(encoding="utf-8")
    assert row.split()[3] in guide and "65.50" in guide
    report = cli("selfcheck", "-c", str(scheme), "-d", str(data), "-e", "本市")
    assert report.exit_code == 0, report.output
    assert "V7" in report.output and "解除办法" in report.output and "达到100%（现为92.3%）" in report.output
