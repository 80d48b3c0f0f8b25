"""Problem codes of results documents, compare, verify and every written output (results, reports): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
