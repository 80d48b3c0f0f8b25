"""Entity lookup (intake.lookup): by id, by name, a suggestion when neither matches, ambiguous names refused."""

from __future__ import annotations

import pytest

from intake.lookup import UnknownUnit, find_unit
from tests.helpers import SPEC, SPEC_DATA, cli

IDS = ["u01", "u02", "u03"]
NAMES = {"u01": "秦川区", "u02": "长乐区", "u03": "长乐区"}


def test_by_id_and_by_name() -> None:
    assert find_unit("u02", IDS, NAMES) == "u02"
    assert find_unit("秦川区", IDS, NAMES) == "u01"


def test_unknown_suggests() -> None:
    with pytest.raises(UnknownUnit, match=r"单位“u1”不存在.*是否指 u01"):
        find_unit("u1", IDS, NAMES)


def test_a_name_two_units_share_asks_for_the_id() -> None:
    with pytest.raises(UnknownUnit, match=r"u02、u03.*请改用单位编号"):
        find_unit("长乐区", IDS, NAMES)


@pytest.mark.parametrize("command", [["explain", "c3"], ["selfcheck", "-e", "c3"]])
def test_both_commands_use_it(command: list[str]) -> None:
    result = cli(command[0], "-c", str(SPEC), "-d", str(SPEC_DATA), *command[1:])
    assert result.exit_code == 2 and "单位“c3”不存在" in result.output and "是否指 c03" in result.output
