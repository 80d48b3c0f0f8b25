"""The engine's host, kept quiet and isolated (docs/durable-guard.md G1, G2, G4): no timer threads, no module-global
rulesets, rulesets built from JSON text this package wrote.  With session.py, the only modules that import
``durable`` and ``durable_rules_engine``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import durable_rules_engine
from durable import engine

from rules.evaluation.durable.api import DurableEngineError, _err

_ERROR_CODES = {
    202: "JSON 字符串无法解析",
    204: "JSON 对象无法解析",
    302: "事实字段过多",
    303: "同时成立的条件过多（内部栈溢出）",
    106: "同一节点下的条件过多",
    107: "同一节点下的 $nex/$or 过多",
    108: "结论相同的规则过多",
    113: "条件中的 $and/$or 过多",
}


class _QuietHost(engine.Host):
    """G2: a Host without timer threads; actions are looked up in the call's own table."""

    def __init__(self, actions: Callable[[str], Callable[[Any], None]]) -> None:
        self._make_action = actions
        super().__init__()

    def _run(self) -> None:  # the stock Host starts two never-ending timer threads here
        return None

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._make_action(action_name)

    def load_ruleset(self, ruleset_name: str) -> Any:
        raise _err(f"内部错误：规则集“{ruleset_name}”不存在。")

    def add_json_ruleset(self, name: str, definition: str, rule_names: Sequence[str]) -> _JsonRuleset:
        ruleset = _JsonRuleset(name, self, definition, rule_names)
        self._ruleset_directory[name] = ruleset
        self._ruleset_list.append(ruleset)
        return ruleset

    def remove_ruleset(self, ruleset: _JsonRuleset) -> None:
        self._ruleset_directory.pop(ruleset._name, None)
        if ruleset in self._ruleset_list:
            self._ruleset_list.remove(ruleset)


class _JsonRuleset(engine.Ruleset):
    """G4: a durable Ruleset created from JSON text written by this module (not by json.dumps)."""

    def __init__(self, name: str, host: _QuietHost, definition: str, rule_names: Sequence[str]) -> None:
        self._name = name
        self._host = host
        self._actions = {rule: engine.Promise(host.get_action(rule)) for rule in rule_names}
        self._definition = definition
        self._handle = durable_rules_engine.create_ruleset(name, definition)


def _engine_error(action: str, error: BaseException) -> DurableEngineError:
    text = str(error)
    found = re.search(r"error code:? (\d+)", text)
    detail = _ERROR_CODES.get(int(found.group(1)), "") if found else ""
    return _err(f"{action}时规则引擎报错（{text}{'：' + detail if detail else ''}）；请把规则和数据交给开发人员排查。")
