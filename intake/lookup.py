"""Finding a unit by what a user typed: its id or its name, with a "是否指" suggestion when neither matches.

The one home of entity lookup: the CLI's commands (`explain`, `selfcheck`) and the self-check use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from common.problems import did_you_mean


class UnknownUnit(Exception):
    """The unit asked for is not there, or its name is not unique (the message is Chinese)."""


def find_unit(wanted: str, ids: Sequence[str], names: Mapping[str, str]) -> str:
    """The id of the unit whose id, or else whose name, is `wanted`. Raises UnknownUnit."""
    if wanted in ids:
        return wanted
    by_name = [u for u in ids if names.get(u) == wanted]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise UnknownUnit(f"名称为“{wanted}”的单位有{len(by_name)}个（{'、'.join(by_name)}），请改用单位编号")
    choices = [*ids, *(names[u] for u in ids if u in names)]
    raise UnknownUnit(f"单位“{wanted}”不存在：数据中没有这个编号或名称{did_you_mean(wanted, choices)}")
