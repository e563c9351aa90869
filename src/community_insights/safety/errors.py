"""Errors the engine raises. Messages are one plain sentence and never quote raw data."""


class SafetyError(Exception):
    """Base class for every error the data safety engine raises on purpose."""


class InputError(SafetyError):
    """The input cannot be read as a table (missing, empty, wrong type, too big, …).

    The command line turns this into one sentence on stderr and exit code 2.
    """


class PlanError(SafetyError):
    """A remedy plan is invalid (unknown column, unknown action, bad parameter)."""


class KeyFileError(SafetyError):
    """A pseudonymisation key is missing, the wrong size or readable by others."""
