"""Writes of what staff enter: imports, value entry and the review workflow."""
