"""Evaluation of a compiled scheme over a data set: derive, evaluate, match (durable-rules)."""
