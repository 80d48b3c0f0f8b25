"""Problem codes of self-check (selfcheck): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
