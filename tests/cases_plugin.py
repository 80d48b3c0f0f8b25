"""Collect every `<scheme>.cases.yaml` beside a criteria file, and every cases file that carries its own
scheme under `criteria:` (the construct cases in rules/language/constructs), as pytest tests (one per case).

The same cases run in `assess validate`; here each case is its own test, named by the case's name,
so a scheme author sees which of their examples broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from common.problems import Problems
from rules.language.criteria import load_criteria
from rules.language.yamlsource import load_yaml_file
from scoring.cases import INLINE, has_inline_scheme, inline_scheme, run_case


def _criteria_for(cases: Path) -> Path:
    return cases.with_name(cases.name.replace(".cases.yaml", ".yaml"))


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(".cases.yaml") and (_criteria_for(file_path).exists()
                                                   or has_inline_scheme(file_path)):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CasesFile(pytest.File):
    def collect(self) -> Any:
        problems = Problems()
        beside = _criteria_for(self.path)
        scheme = load_criteria(beside, problems) if beside.exists() else None
        data, smap = load_yaml_file(self.path, problems)
        if scheme is None and isinstance(data, dict) and INLINE in data:
            scheme = inline_scheme(data[INLINE], smap, problems)
        if scheme is None or data is None:
            yield CaseItem.from_parent(self, name="load", scheme=None, case=None, defaults=None,
                                       load_errors=[p.render() for p in problems.errors])
            return
        defaults = data.get("defaults") or {}
        for i, case in enumerate(data.get("cases") or []):
            name = f"{i:03d} {case.get('name', '')}"
            yield CaseItem.from_parent(self, name=name, scheme=scheme, case=case, defaults=defaults,
                                       load_errors=[])


class CaseFailed(Exception):
    pass


class CaseItem(pytest.Item):
    def __init__(self, *, scheme: Any, case: Any, defaults: Any, load_errors: list[str], **kw: Any):
        super().__init__(**kw)
        self.scheme, self.case, self.defaults, self.load_errors = scheme, case, defaults, load_errors

    def runtest(self) -> None:
        if self.load_errors:
            raise CaseFailed("\n".join(self.load_errors))
        failures = run_case(self.scheme, self.case, self.defaults, str(self.path))
        if failures:
            raise CaseFailed("\n".join(failures))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return f"案例“{self.name}”失败：\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.name}"
