"""Reads of what staff enter: exports, review, completeness and data quality."""
