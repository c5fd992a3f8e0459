"""The shared kernel every package may import: the error hierarchy, nothing else."""

from common.errors import CallerError, ConfigurationError, OperationalError, PintuError

__all__ = ["CallerError", "ConfigurationError", "OperationalError", "PintuError"]
