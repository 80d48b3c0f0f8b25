"""What callers of the durable-rules adapter see: the rule and fact they pass, and the error it raises."""

from __future__ import annotations

from dataclasses import dataclass

_PREFIX = "规则引擎错误："


class DurableEngineError(Exception):
    """Raised for anything the engine cannot do safely. ``str(e)`` is a Chinese message for users.

    When the problem lies with one rule or one fact, ``rule`` (the caller's rule name), ``fact_id`` and ``field``
    say which, and ``reason`` is the message without the internal names, so that a caller which knows what the
    rule and the fact stand for (a criteria line, a unit) can say so instead."""

    def __init__(self, message: str, reason: str | None = None, *, rule: str | None = None,
                 fact_id: int | None = None, field: str | None = None, fact_ids: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.reason = reason if reason is not None else message.removeprefix(_PREFIX)
        self.rule = rule
        self.fact_id = fact_id
        self.field = field
        self.fact_ids = fact_ids  # facts the engine could not process (all of them, not only those named)


@dataclass(frozen=True)
class CompiledRule:
    name: str  # unique within one call, e.g. "r17"; [A-Za-z0-9_] only
    condition: dict  # durable-rules JSON condition over fact fields


@dataclass(frozen=True)
class Fact:
    session: str  # a session key: facts with the same key share sessions (at most MAX_FACTS_PER_SESSION each)
    fact_id: int  # unique within one call
    fields: dict[str, int | float | str]  # no None / bool values


def _err(message: str, reason: str | None = None, **about: object) -> DurableEngineError:
    """An error whose message starts with the prefix users know; ``reason`` (the message without internal
    names) and ``about`` (rule, fact_id, field) let the caller locate it."""
    return DurableEngineError(_PREFIX + message, reason, **about)  # type: ignore[arg-type]


def _locate(error: DurableEngineError, where: str, **about: object) -> DurableEngineError:
    """Name the rule, fact or field an error is about (unless already named), and drop ``where`` (the internal
    names) from its reason."""
    for key, value in about.items():
        if getattr(error, key) is None:
            setattr(error, key, value)
    if error.reason == str(error).removeprefix(_PREFIX):  # no reason of its own yet
        error.reason = error.reason.removeprefix(where)
    return error
