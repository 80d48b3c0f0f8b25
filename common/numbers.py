"""How numbers are shown to people: the one home of every Decimal-to-text rule.

Scores, event amounts, evidence values and percents are exact Decimals inside; what a user reads is one
of the few renderings here, so the JSON, the tables, the workbooks and the 通报 all print a number the
same way. Rounding is half-up (the office's rule), once, when a number is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

PERCENT_PLACES = 4          # 2/3 reads 66.6667%
RATIO_PLACES = 6            # a ratio like 5/7 reads 0.714286

# Points are added and subtracted in Decimal's default 28 significant digits, which keep any amount below
# HUGE to within 10^-7 of a point. A bigger amount (10^30 deaths at 1 point each) would lose units, and a
# clamp computed from a rounded sum would give the whole deduction back; such sums are made exactly, and
# shown with all their digits.
HUGE = Decimal("1e20")
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def arithmetic(points: Iterable[Decimal | None]) -> AbstractContextManager[Any]:
    """The context to add, subtract and multiply these points in (not to divide: exact division has no end):
    the default one, or an exact one when one of them is huge."""
    if any(p is not None and abs(p) >= HUGE for p in points):
        return localcontext(_EXACT)
    return nullcontext()


def rounded(d: Decimal, places: int) -> Decimal:
    """`d` rounded half-up to `places` decimals (the scheme's `decimals` for a published score)."""
    with arithmetic((d,)):   # a huge value quantized keeps all its digits
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(d: Decimal | None) -> str | None:
    """An exact decimal without trailing zeros and never in exponent form: 1.5, 2, 0.25, 0 (not -0)."""
    if d is None:
        return None
    if d == 0:
        return "0"
    with arithmetic((d,)):   # normalize() rounds to the context's digits: a huge amount keeps all of them
        return f"{d.normalize():f}"


def signed(d: Decimal) -> str:
    """An exact amount with its sign: +2, -0.5, 0 (points moved by an event)."""
    s = plain(d) or "0"
    return s if d < 0 or s == "0" else f"+{s}"


def fixed(d: Decimal | None, places: int) -> str | None:
    """A score as published: exactly `places` decimals, half-up (87.50)."""
    if d is None:
        return None
    return f"{rounded(d, places):f}"


def approx(d: Decimal, places: int = 4) -> str:
    """For reasons a person reads: exact when short, else rounded with ≈ (the event keeps the exact value)."""
    exact = plain(d) or "0"
    if "." in exact and len(exact.split(".")[1]) > places:
        return "≈" + (plain(rounded(d, places)) or "0")
    return exact


SPARE_PLACES = 4            # a figure in a reason: exact within the scheme's decimals plus these, else 约


def honest(d: Decimal, places: int, spare: int = SPARE_PLACES) -> str:
    """A figure in a sentence a person reads (a 扣分说明): exact when it has at most `places + spare`
    decimals (0.25, 71.425), else rounded half-up to `places` with 约 before it (约71.43), never claiming to be
    exact; more places are kept only when fewer would round a non-zero figure to 0 (约0.004)."""
    exact = plain(d) or "0"
    if "." not in exact or len(exact.split(".")[1]) <= places + spare:
        return exact
    p = places
    while rounded(d, p) == 0 and p < places + spare:
        p += 1
    return "约" + (plain(rounded(d, p)) or "0")


def honest_percent(fraction: Decimal, places: int, spare: int = SPARE_PLACES) -> str:
    """A fraction as a percent in a sentence, as `honest` shows a figure: 76%, 约71.43%."""
    return honest(fraction * 100, places, spare) + "%"


def percent(fraction: Decimal) -> str:
    """A fraction as a user types a percent: 0.875 → 87.5%, exact."""
    return f"{(fraction * 100).normalize():f}%"


def readable_percent(fraction: Decimal) -> str:
    """A percent for evidence: exact when short, else to four decimals, marked as rounded (2/3 → 约66.6667%):
    a rounded figure never claims to be exact."""
    pct = fraction * 100
    if -pct.normalize().as_tuple().exponent > PERCENT_PLACES:  # type: ignore[operator]
        return f"约{pct.quantize(Decimal(1).scaleb(-PERCENT_PLACES)).normalize():f}%"
    return f"{pct.normalize():f}%"


def readable(d: Decimal) -> str:
    """A value for evidence: whole numbers without decimals, long ratios to six places marked as rounded
    (5/7 → 约0.714286), else as stored."""
    if d == d.to_integral_value():
        return f"{d.normalize():f}"
    if -d.normalize().as_tuple().exponent > RATIO_PLACES:  # type: ignore[operator]
        return f"约{d.quantize(Decimal(1).scaleb(-RATIO_PLACES)).normalize():f}"
    return f"{d:f}"
