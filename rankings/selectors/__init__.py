"""Reads, one module per domain: race inputs and previews, methodologies, publications,
leaderboards, district and indicator pages."""
