"""Documentation must keep up: tests that fail when a command or a language key is undocumented."""

from __future__ import annotations

import typing
from pathlib import Path

from pydantic import BaseModel

from assess import main
from rules.language import model
from rules.language.constructs.vetoes import EFFECTS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "criteria" / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = README.split("```")
    first = blocks[1]
    assert "assess score" in first and "examples/city-2020/counties" in first
    assert "pytest" in first


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"assess {name}" in README, f"README.md does not mention `assess {name}`"


def _keys(cls: type[BaseModel], seen: set[type]) -> set[str]:
    if cls in seen:
        return set()
    seen.add(cls)
    out = set(cls.model_fields)
    for f in cls.model_fields.values():
        for arg in [f.annotation, *typing.get_args(f.annotation)]:
            for inner in [arg, *typing.get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    out |= _keys(inner, seen)
    return out


def test_every_language_key_is_in_the_guide() -> None:
    keys = _keys(model.SchemeFile, set()) - {"note", "description"}
    missing = sorted(k for k in keys if f"{k}" not in GUIDE)
    assert not missing, f"criteria/README.md does not document: {missing}"


def test_every_veto_effect_is_in_the_guide() -> None:
    section = GUIDE.split("### 2.15 否决", 1)[1].split("\n### ", 1)[0]
    missing = [e for e in EFFECTS if f"`{e}`" not in section and f"{{{e}:" not in section]
    assert not missing, f"criteria/README.md 2.15 does not document the veto effects: {missing}"
