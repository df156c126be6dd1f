"""The project's exception hierarchy.

Every error a user can cause (a bad config key, bad data, a bad intervention, a
corrupt file) is a :class:`ScrutableError` with a one-line message that names the
offending key/array/value and the fix. The CLI prints ``error: <message>`` and exits
with code 2 for these, never a traceback.
"""

from __future__ import annotations


class ScrutableError(Exception):
    """Base class of every error the user can fix. The message is one line."""

    def __init__(self, message: str):
        # A multi-line message would break the CLI's one-line contract.
        super().__init__(" ".join(str(message).split()))


class ConfigError(ScrutableError, ValueError):
    """An unknown config key, a value of the wrong type, or an impossible value."""


class DataError(ScrutableError, ValueError):
    """Input arrays, labels or files that cannot be used as given."""


class InterventionError(ScrutableError, ValueError):
    """An intervention that names an unknown site, an out-of-range unit, or a bad value."""


class BackendError(ScrutableError, RuntimeError):
    """A simulator backend that cannot run here (missing compiler, missing package)."""


class FiringWarning(UserWarning):
    """A spiking network that fires far outside its working range: silent inputs, retries that
    ran out, or runaway firing. The results are computed but may not mean what they should."""
