"""Rectification (整改) items of yellow-flagged units and their plans."""

__all__: list[str] = []
