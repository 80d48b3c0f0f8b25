"""Guarded adapter around durable-rules 2.0.28: the ONLY package of the project that imports ``durable``.

``match(rules, facts)`` asserts every fact in its session(s) (``Fact.session``) and returns every ``(rule name,
fact_id)`` pair that matched.  Anything the engine cannot do safely raises ``DurableEngineError``, whose
``str()`` is a Chinese message for users and whose attributes name the rule or fact at fault.  Rules are
single-fact conditions (no joins); matching a fact does not depend on the other facts.

The engine (a C extension behind a thin Python layer, unmaintained since 2020) has traps that lose or invent
matches silently.  docs/durable-guard.md lists each trap, the guard against it (G1-G13, L1-L6) and the tests
that show it; docs/durable-rules-notes.md holds the verified behaviour the guards rest on.

One module per concern:
  limits      the engine's hard limits and the budgets kept under them
  encoding    values, field names and number JSON as the engine reads them; its property hash
  conditions  rules: validation, normalisation, anchoring, ruleset JSON
  facts       facts: validation, encoding, grouping by session key
  alpha       a model of the engine's alpha network, to split rules into groups that fit
  host        the quiet, isolated host and JSON rulesets (imports durable)
  session     one call's sessions: assert, drain, audit, close (imports durable)
  retry       the call as a whole and the collision retry
"""

from __future__ import annotations

from rules.evaluation.durable.api import CompiledRule, DurableEngineError, Fact
from rules.evaluation.durable.limits import MAX_FACTS_PER_SESSION
from rules.evaluation.durable.retry import match

__all__ = ["MAX_FACTS_PER_SESSION", "CompiledRule", "DurableEngineError", "Fact", "match"]
