"""Base: errors, shared checks, quarters, paths, schema, the catalogue; imports nothing above."""
