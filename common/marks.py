"""The marks printed before a line (passed, failed, warned, clear), in one place.

Each is a character GBK can encode: a Chinese Windows console and a redirect there use GBK, which lacks
'✓' and '✗' (`assess validate … > out.txt` crashed on them). '√' and '×' are in GBK.
"""

from __future__ import annotations

PASS = "√"
FAIL = "×"
NEAR = "!"
CLEAR = "○"
