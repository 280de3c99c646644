"""Domain operations as plain typed functions: they validate, flush and audit; callers commit."""
