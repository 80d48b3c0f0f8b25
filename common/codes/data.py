"""Problem codes of data intake (intake): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
