"""The shared kernel every package may import: the error hierarchy, its codes and their texts."""

from common.catalogue import MESSAGES_ID, people_text, text_id
from common.codes import Code
from common.errors import CallerError, ConfigurationError, OperationalError, PintuError

__all__ = [
    "MESSAGES_ID",
    "CallerError",
    "Code",
    "ConfigurationError",
    "OperationalError",
    "PintuError",
    "people_text",
    "text_id",
]
