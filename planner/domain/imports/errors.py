"""The one error every import raises when it refuses a file (nothing is written)."""

from __future__ import annotations


class ImportRefused(ValueError):
    """An import was refused and nothing was written; ``problems`` says why, in Norwegian."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
