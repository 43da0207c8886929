"""Reads, one module per domain: race inputs, publications, leaderboards, districts, comments."""
