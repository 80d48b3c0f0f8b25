"""Problem codes of the web service (assess serve): code -> Chinese meaning."""

CODES: dict[str, str] = {
}
