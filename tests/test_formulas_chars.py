"""common.formulas keeps its own copy of openpyxl's forbidden-character pattern (to import faster)."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL

from common.formulas import ILLEGAL_CHARACTERS_RE, xml_text


def test_forbidden_characters_are_openpyxls() -> None:
    assert ILLEGAL_CHARACTERS_RE.pattern == OPENPYXL.pattern
    every = "".join(chr(c) for c in range(0x40))
    assert [c for c in every if ILLEGAL_CHARACTERS_RE.match(c)] == [c for c in every if OPENPYXL.match(c)]
    assert xml_text("a\x00b\x0bc\td\ne") == "a\ufffdb\ufffdc\td\ne"
