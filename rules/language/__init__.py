"""The criteria language: YAML with lines, models, compiled scheme, expressions."""
