"""Self-check: a unit's gaps, vetoes and the targets that win points back."""
