"""The base of hadir's named domain errors."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken by the input; `code` is stable and machine-readable."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InputProblems(DomainError):
    """Many problems found in one input (a file): each is one line for the user."""

    code = "invalid_input"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
