"""Published reports and terminal tables, rendered from Results (the top layer)."""
