"""The constructs of the criteria language, one module each: its model, compile step, compiled form and
Chinese wording, with a docstring that is its user documentation and a `<module>.cases.yaml` of cases beside it.

base (numbers, text, ids) · grades (scheme, grades and quotas) · inputs (inputs, ledgers, entity fields) ·
derived · checks · items (categories and items) · rules · tables (decision tables) · rank · assessed (assessed
items and findings) · vetoes · adjustments (bonuses and penalties).
"""
