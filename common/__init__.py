"""Words every layer shares: problems, files written atomically, stage timing."""
