"""Problem codes of scoring, grades, ranks and cases files (scoring): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
