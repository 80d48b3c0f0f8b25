"""Small helpers shared by tests: a minimal valid scheme to mutate, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from assess import main

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = FIXTURES / "spec.yaml"
SPEC_DATA = FIXTURES / "spec_data"

MINIMAL = """\
scheme:
  id: mini
  title: 最小考核细则
  total: 10
  grades:
    - {name: 合格, min: 6}
    - {name: 不合格, min: 0}
inputs:
  missed: {label: 未完成项数, type: int, min: 0}
categories:
  - id: A
    name: 责任落实
    points: 10
    items:
      - id: A1
        name: 任务完成
        points: 10
        deduct: 1
        per: missed
"""


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
