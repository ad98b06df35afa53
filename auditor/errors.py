"""User-facing errors and the process exit codes.

Every error a user can cause is an :class:`AuditorError`: the CLI prints its one-line
``str()`` (file, location, reason, hint) and exits with its ``exit_code``; no traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    GATE_FAILED = 1  # --fail-under / --fail-on / a blocking rule
    USER_ERROR = 2  # bad option, unreadable input, invalid rule file
    INTERNAL = 3  # a bug (also: one report or rule of a batch hit a bug; the others were audited)
    TEMP_SPACE = 4  # the temporary file a large batch is held in until it is written cannot be made or written
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class AuditorError(Exception):
    """An error the user can fix; printed as one line, never with a traceback."""

    exit_code: ExitCode = ExitCode.USER_ERROR
    #: a stable English code for tools (the JSON ``error_code`` of a report that could not be audited)
    code: str = "error"

    def __init__(self, message: str, *, location: Location | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.location}: " if self.location else ""
        tail = f"（提示：{self.hint}）" if self.hint else ""
        return f"{head}{self.message}{tail}"


class UsageError(AuditorError):
    """A bad command-line option or argument."""

    code = "usage"


class ReadError(AuditorError):
    """An input report that cannot be read (missing, unreadable, corrupt, too big, empty...)."""

    code = "unreadable"


class OutputError(AuditorError):
    """An output that cannot be written (no permission, disk full, a folder where a file goes...)."""

    code = "output"


class SpoolError(AuditorError):
    """The temporary file a large batch's reports are held in cannot be made or written (the temp
    folder is full or not writable): nothing is written, every output keeps its old content."""

    exit_code = ExitCode.TEMP_SPACE
    code = "temp-space"


@dataclass(frozen=True)
class RuleProblem:
    """One located problem in a rule file."""

    location: Location
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        tail = f"（提示：{self.hint}）" if self.hint else ""
        return f"{self.location}: {self.message}{tail}"


class RuleFileError(AuditorError):
    """Every problem found while loading rule files, all at once (compiler style)."""

    def __init__(self, problems: list[RuleProblem]):
        super().__init__(f"{len(problems)} error(s) in rule files")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
