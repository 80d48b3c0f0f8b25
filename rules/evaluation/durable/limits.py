"""The engine's hard limits and the budgets this package keeps under them (docs/durable-guard.md, L1-L6, G9-G11).

Each number says where it comes from: a C constant of durable-rules 2.0.28 or a figure measured here.
"""

from __future__ import annotations

MAX_FACT_FIELDS = 251  # L1: 255 slots, full at 255: 254 = caller fields + sid + _fid + generated id
MAX_RULES = 500  # L5
MAX_EQ_ALTERNATIVES = 500  # L5/L6: engine table of 512 buckets, full at 512
MAX_LOGIC_NODES = 15  # L5: engine MAX_SEQUENCE_EXPRESSIONS 32, two entries per $and/$or
MAX_DEPTH = 32  # nesting depth of a condition: bounds the recursion before MAX_LOGIC_NODES is counted
MAX_SESSIONS_PER_RULESET = 1000  # G10: engine MAX_STATE_INDEX_LENGTH 1024
MAX_FACTS_PER_RULESET = 4096  # G10: memory bound (~9 KB RSS per held fact)
MAX_FACTS_PER_SESSION = 256  # G9: keeps the false-duplicate probability ~1e-5 per session
MAX_RETRY_ROUNDS = 4  # G9
MAX_INT = 2**53  # L3
MAX_STRING_BYTES = 65535  # L3
_SHORT = MAX_STRING_BYTES // 4  # a str of at most this many characters is within MAX_STRING_BYTES
MAX_NAME_LENGTH = 200  # L3

# L6: engine limits of one alpha node, and the budgets used here (with a margin)
ENGINE_STACK = 64  # events.c MAX_STACK_SIZE
STACK_BUDGET = 60
ENGINE_HASHED_CHILDREN = 511  # rules.h NEXT_BUCKET_LENGTH 512; one bucket must stay empty
HASHED_CHILDREN_BUDGET = 500
ENGINE_NEXT_LIST = 127  # rules.h NEXT_LIST_LENGTH 128, needs a terminating 0
NEXT_LIST_BUDGET = 120
ENGINE_BETA_LIST = 255  # rules.h BETA_LIST_LENGTH 256, needs a terminating 0
BETA_LIST_BUDGET = 250
_ACTION_CAP = 1000  # G11: at most this many matches per action (the engine's "cap" setting)
_ANCHOR = "_fid"
_SEEN = "_seen"

_RESERVED_NAMES = frozenset({"sid", "id", _ANCHOR})
# engine-internal property names whose hash no caller field may share
_INTERNAL_NAMES = ("sid", "id", _ANCHOR, "$forward", "$s", "$i", "$m")
