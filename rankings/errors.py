"""Errors the ranking layer raises to pages and commands."""


class RaceConfigurationError(ValueError):
    """A methodology that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class PageNotFound(Exception):
    """The request names something that does not exist (the view answers 404)."""
