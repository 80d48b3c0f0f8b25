"""Problem codes of rule evaluation and the durable-rules cross-check (rules.evaluation): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
