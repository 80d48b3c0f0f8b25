"""The results format: the JSON document, its run record, compare and verify."""
