"""What every part of report.html shares, so the charts and the tables agree.

Escaping lives here because each string from criteria or data must be escaped the same way wherever it is
shown. The grade colours live here because a grade's bar in the ranking chart and its chip in the tables
must have the same colour.
"""

from __future__ import annotations

import html

from scoring.pipeline import Results

GRADE_COLOURS = ["#2e7d32", "#1565c0", "#ef8f00", "#c62828", "#6a1b9a", "#455a64"]
OTHER_COLOUR = "#9e9e9e"  # grades past the palette, and units without a grade


def esc(x: object) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def grade_colours(results: Results) -> dict[str, str]:
    """The scheme's grades in their order, each with its colour from the palette."""
    names = [g.name for g in results.scheme.grades]
    return {g: GRADE_COLOURS[i] if i < len(GRADE_COLOURS) else OTHER_COLOUR for i, g in enumerate(names)}
