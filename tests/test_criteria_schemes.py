"""Every bundled scheme under criteria/ (any folder: a year, the province) validates cleanly and carries its
cases: a scheme added without cases, or one that stops validating, fails here by name."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert "✓" in result.output and "案例" in result.output, result.output
