"""Writes, one module per domain: loading races, publishing standings."""
