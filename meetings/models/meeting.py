"""A meeting, its exchange speeches and its deployment tasks."""

__all__: list[str] = []
