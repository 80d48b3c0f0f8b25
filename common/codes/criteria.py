"""Problem codes of criteria files (rules.language): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
