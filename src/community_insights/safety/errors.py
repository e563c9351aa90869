"""Errors the engine raises. Messages are one plain sentence and never quote raw data."""


class SafetyError(Exception):
    """Base class for every error the data safety engine raises on purpose."""


class InputError(SafetyError):
    """The input cannot be read as a table (missing, empty, wrong type, too big, …).

    The command line turns this into one sentence on stderr and exit code 2.
    """


def no_rows(file_name: str) -> InputError:
    """The one sentence for a file that has column names but no rows: not "safe", just empty."""

    return InputError(f"The file {file_name} has no rows of data, only column names, so there is nothing to work on.")


class PlanError(SafetyError):
    """A remedy plan is invalid (unknown column, unknown action, bad parameter)."""


class KeyFileError(SafetyError):
    """A pseudonymisation key is missing, the wrong size or readable by others."""


class EngineMemoryError(SafetyError):
    """The engine (a Spark session) ran out of memory: the data may be fine, the session was too small."""
