"""Writes, one module per domain: races, publishing, comments."""
